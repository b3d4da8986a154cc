package io.leadrouter.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.leadrouter.replica.Notifications;
import io.quarkus.runtime.StartupEvent;

/**
 * Revoked keys and console sessions, told to every replica over LISTEN/NOTIFY so that each drops them from its
 * cache and closes the consoles using them. Each revocation reaches this replica's observers as a {@link Revoked}
 * event at once and the other replicas' within milliseconds; a replica that was not listening (its listening
 * connection dropped) gets {@link Revoked#ANY} when it listens again: anything may have been revoked meanwhile.
 */
@ApplicationScoped
public class Revocations {

    private static final Logger LOG = Logger.getLogger(Revocations.class);
    static final String CHANNEL = "leadrouter_revocations";

    /**
     * A credential revoked: an API key (and with it the console sessions it opened) or a console session; kind and
     * id null for "look again, any may have been".
     */
    public record Revoked(Credential.Kind kind, String id) {
        public static final Revoked ANY = new Revoked(null, null);

        /** Whether a caller holding this credential lost it. */
        public boolean covers(Credential credential) {
            return kind == null
                    || kind == Credential.Kind.API_KEY && id.equals(credential.keyId())
                    || kind == Credential.Kind.CONSOLE_SESSION && credential.kind() == Credential.Kind.CONSOLE_SESSION
                            && id.equals(credential.id());
        }
    }

    private final Notifications notifications;
    private final Event<Revoked> observers;

    public Revocations(Notifications notifications, Event<Revoked> observers) {
        this.notifications = notifications;
        this.observers = observers;
    }

    void listen(@Observes StartupEvent event) {
        notifications.listen(CHANNEL, this::received, () -> observers.fire(Revoked.ANY));
    }

    /** Tells this replica at once and the others through PostgreSQL. */
    void revoked(Credential.Kind kind, String id) {
        observers.fire(new Revoked(kind, id));
        notifications.send(CHANNEL, kind.name() + " " + id);
    }

    private void received(String payload) {
        int space = payload.indexOf(' ');
        try {
            observers.fire(new Revoked(Credential.Kind.valueOf(payload.substring(0, Math.max(space, 0))), payload.substring(space + 1)));
        } catch (IllegalArgumentException e) {
            LOG.warnf("Ignoring a revocation notice that could not be read: %s", payload);
        }
    }
}
