package io.leadrouter.common;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Runs work for one key strictly one after another (work for other keys runs freely), so that,
 * say, a rep's socket closing and reopening reach the database in the order they happened.
 */
public final class KeyedSequencer {

    private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

    public <T> Uni<T> run(String key, Supplier<Uni<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tails.compute(key, (k, tail) -> {
            CompletionStage<?> previous = tail == null ? CompletableFuture.completedFuture(null) : tail;
            CompletableFuture<T> next = previous.handle((ignored, failure) -> null)
                    .thenCompose(ignored -> work.get().subscribeAsCompletionStage()).toCompletableFuture();
            next.whenComplete((item, failure) -> {
                tails.remove(k, next);
                if (failure != null) {
                    result.completeExceptionally(failure instanceof java.util.concurrent.CompletionException
                            && failure.getCause() != null ? failure.getCause() : failure);
                } else {
                    result.complete(item);
                }
            });
            return next;
        });
        return Uni.createFrom().completionStage(result);
    }
}
