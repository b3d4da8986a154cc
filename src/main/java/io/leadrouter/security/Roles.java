package io.leadrouter.security;

import java.util.List;
import java.util.Set;

/**
 * The kinds of caller. An API key holds one or more of {@link #INTAKE}, {@link #READ} and {@link #ADMIN} (an admin
 * key may do what the others may); a console session reads; a rep token opens the agent socket and nothing else.
 */
public final class Roles {
    /** Posts leads and source payloads, nothing else: the key a web form or a CRM's outbound call holds. */
    public static final String INTAKE = "intake";
    /** Reads: every GET of the API, the manager console's feed and the API description. */
    public static final String READ = "read";
    /** Changes the configuration: reps and their tokens, policy, webhooks, connectors, sources, keys; closes leads. */
    public static final String ADMIN = "admin";
    public static final String REP = "rep";

    /** The roles a key may be given, in the order they are listed. */
    public static final List<String> KEY_ROLES = List.of(INTAKE, READ, ADMIN);

    private Roles() {
    }

    /** The roles a caller holding these key roles has: admin includes the others. */
    public static Set<String> granted(Set<String> keyRoles) {
        return keyRoles.contains(ADMIN) ? Set.of(ADMIN, READ, INTAKE) : Set.copyOf(keyRoles);
    }
}
