package io.leadrouter.common;

import java.util.function.Supplier;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs reactive database work started outside a request (timers, sockets closing, drains) on a
 * fresh duplicated Vert.x context marked safe, which Hibernate Reactive sessions require.
 */
public final class SafeContexts {

    private SafeContexts() {
    }

    public static <T> Uni<T> run(Vertx vertx, Supplier<? extends Uni<? extends T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> Uni.createFrom().<T> deferred(work::get).subscribe().with(emitter::complete, emitter::fail));
        });
    }
}
