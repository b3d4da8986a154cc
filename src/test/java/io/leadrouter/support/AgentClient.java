package io.leadrouter.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real socket client (the JDK's WebSocket) for the agent socket, and the manager's, that keeps every frame it receives, so tests
 * can wait for a frame of a type without caring what arrived in between.
 */
public final class AgentClient implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String AGENT = "/ws/agent";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonNode> received = new ArrayList<>();
    private final List<Boolean> consumed = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    private AgentClient() {
    }

    /** Connects the way browsers do: the token in the Sec-WebSocket-Protocol list. */
    public static AgentClient connect(URI root, String token) {
        return connect(root, AGENT, token);
    }

    /** Connects to a socket path ({@code /ws/agent}, {@code /ws/manager}) with the credential as a browser sends it. */
    public static AgentClient connect(URI root, String path, String credential) {
        return open(root.resolve(path), "bearer-token-carrier", "quarkus-http-upgrade#Authorization#Bearer%20" + credential);
    }

    /** Connects the way tools that cannot set a sub-protocol do: {@code ?token=}. */
    public static AgentClient connectWithQueryToken(URI root, String token) {
        return open(root.resolve(AGENT + "?token=" + token));
    }

    /** The HTTP status the agent socket's upgrade was refused with, or 101 if it was accepted. */
    public static int handshakeStatus(URI root, String subprotocolToken) {
        return handshakeStatus(root, AGENT, subprotocolToken);
    }

    /** The HTTP status the upgrade of a socket path was refused with, or 101 if it was accepted. */
    public static int handshakeStatus(URI root, String path, String credential) {
        try (AgentClient client = credential == null ? open(root.resolve(path)) : connect(root, path, credential)) {
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static AgentClient open(URI uri, String... subprotocols) {
        AgentClient client = new AgentClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        client.socket = builder.buildAsync(URI.create(uri.toString().replaceFirst("^http", "ws")), client.new Listener()).join();
        return client;
    }

    public void send(String raw) {
        socket.sendText(raw, true).join();
    }

    public void send(Map<String, ?> frame) {
        try {
            send(MAPPER.writeValueAsString(frame));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The first frame of this type not returned before (waiting up to the timeout). */
    public JsonNode await(String type, Duration timeout) {
        return await(type, frame -> true, timeout);
    }

    public JsonNode await(String type) {
        return await(type, Duration.ofSeconds(10));
    }

    public synchronized JsonNode await(String type, Predicate<JsonNode> matching, Duration timeout) {
        return poll(type, matching, timeout).orElseThrow(
                () -> new AssertionError("No '" + type + "' frame within " + timeout + "; received: " + received));
    }

    /** The first frame of this type not returned before, or empty when none arrives within the time. */
    public Optional<JsonNode> poll(String type, Duration timeout) {
        return poll(type, frame -> true, timeout);
    }

    private synchronized Optional<JsonNode> poll(String type, Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = 0; i < received.size(); i++) {
                JsonNode frame = received.get(i);
                if (!consumed.get(i) && type.equals(frame.path("type").asText()) && matching.test(frame)) {
                    consumed.set(i, true);
                    return Optional.of(frame);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Whether a frame of this type (not yet returned) arrives within the time. */
    public boolean receives(String type, Predicate<JsonNode> matching, Duration within) {
        return poll(type, matching, within).isPresent();
    }

    public synchronized List<JsonNode> all(String type) {
        return received.stream().filter(f -> type.equals(f.path("type").asText())).toList();
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    /** The close code the server sent, waiting up to the timeout. */
    public int awaitClose(Duration timeout) {
        return closed.completeOnTimeout(-1, timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Drops the connection without a close handshake, as a crashed browser would. */
    public void abort() {
        socket.abort();
        closed.complete(1006);
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        }
    }

    private synchronized void add(JsonNode frame) {
        received.add(frame);
        consumed.add(false);
        notifyAll();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    add(MAPPER.readTree(partial.toString()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("The server sent a frame that is not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }
    }
}
