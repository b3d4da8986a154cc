package io.leadrouter.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A webhook receiver on loopback for tests: records every request (headers and body) and answers as told, one
 * scripted answer per request, then the default. It can be stopped and started again on the same port.
 */
public final class Receiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Request(Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** What to answer: a status, a body, and how long to wait first. */
    public record Answer(int status, String body, Duration delay) {

        public static Answer status(int status) {
            return new Answer(status, "", Duration.ZERO);
        }
    }

    private final Vertx vertx;
    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<Request> received = new ArrayList<>();
    private volatile Answer otherwise = Answer.status(204);
    private volatile HttpServer server;
    private int port;

    private Receiver(Vertx vertx) {
        this.vertx = vertx;
    }

    public static Receiver start(Vertx vertx) {
        Receiver receiver = new Receiver(vertx);
        receiver.listen(0);
        return receiver;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The next requests get these answers, in order. */
    public Receiver then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    public Receiver otherwise(Answer answer) {
        otherwise = answer;
        return this;
    }

    public synchronized List<Request> received() {
        return List.copyOf(received);
    }

    /** Stops listening: deliveries fail with a refused connection until {@link #resume}. */
    public void stop() {
        await(server.close());
        server = null;
    }

    public void resume() {
        listen(port);
    }

    private void listen(int onPort) {
        HttpServer created = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Map<String, String> headers = new java.util.HashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            synchronized (this) {
                received.add(new Request(headers, body.toString()));
            }
            Answer answer = script.isEmpty() ? otherwise : script.poll();
            vertx.setTimer(Math.max(1, answer.delay().toMillis()),
                    t -> request.response().setStatusCode(answer.status()).end(answer.body()));
        }));
        server = await(created.listen(onPort, "127.0.0.1"));
        port = server.actualPort();
    }

    @Override
    public void close() {
        if (server != null) {
            stop();
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
