package io.leadrouter.common;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/** Scheduled work: a failed run is logged and swallowed, so the next run happens on time. */
public final class Jobs {

    private Jobs() {
    }

    public static Uni<Void> logged(Uni<?> run, Logger log, String what) {
        return run.onFailure().invoke(failure -> log.warn(what + " failed", failure)).onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
