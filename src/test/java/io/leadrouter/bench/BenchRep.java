package io.leadrouter.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One simulated rep on {@code /ws/agent}: accepts (after thinking), declines or ignores offers, closes assigned
 * leads after working on them, and pulls whenever it has room while the team is in PULL (as a real agent client
 * would: a team the server put in PULL gets no offers). Like the agent client, it reconnects when its socket is
 * lost, to the next replica.
 */
final class BenchRep implements WebSocket.Listener {

    /** A rep's capacity in the harness ({@code maxLoad} of its rep document). */
    static final int MAX_LOAD = 5;
    private static final long QUEUE_EMPTY_RETRY_MILLIS = 20;
    private static final long RECONNECT_MILLIS = 250;

    private final String repId;
    private final BenchOptions options;
    private final BenchRun run;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService timers;
    private final HttpClient http;
    /** The replica to connect to next: the harness spreads reps, and reconnections, over the replicas. */
    private final Supplier<URI> replicas;
    private volatile String token;
    /** The replica of the socket now open (or being opened). */
    private volatile URI connectedTo;
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    /** Leads whose accept is on its way: nanoTime the accept was sent. */
    private final Map<String, Long> acceptSentAt = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicBoolean pulling = new AtomicBoolean();
    private volatile long pullSentAt;
    /** The team's mode as the server last told it: in PULL the server offers nothing, reps pull. */
    private volatile boolean teamInPull;
    private volatile boolean stopping;
    private volatile boolean capReached;
    private volatile WebSocket socket;
    /** JDK WebSocket takes one outgoing message at a time: every send waits for the previous one. */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    BenchRep(String repId, BenchOptions options, BenchRun run, ObjectMapper mapper, ScheduledExecutorService timers,
            HttpClient http, Supplier<URI> replicas) {
        this.repId = repId;
        this.options = options;
        this.run = run;
        this.mapper = mapper;
        this.timers = timers;
        this.http = http;
        this.replicas = replicas;
    }

    /** Connects with the rep's token and completes on the first {@code welcome}. */
    CompletableFuture<Void> connect(String token) {
        this.token = token;
        return open().thenCompose(ws -> welcomed);
    }

    private CompletableFuture<WebSocket> open() {
        URI replica = replicas.get();
        connectedTo = replica;
        URI address = URI.create(replica.toString().replaceFirst("^http", "ws") + "/ws/agent?token=" + token);
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(address, this);
    }

    /** Cuts the socket without a close handshake, as a lost network does; the rep reconnects. */
    void drop() {
        WebSocket current = socket;
        if (current != null && !stopping) {
            run.count("sockets dropped by the harness");
            current.abort();
            reconnectLater();
        }
    }

    private void reconnectLater() {
        pulling.set(false);
        timers.schedule(() -> {
            if (!stopping) {
                open().whenComplete((ws, error) -> {
                    if (error != null) {
                        run.count("reconnect failures");
                        reconnectLater();
                    } else {
                        run.count("reconnects");
                    }
                });
            }
        }, RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
    }

    String repId() {
        return repId;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        partial.setLength(0);
        webSocket.request(1);
    }

    /** Stops taking work and closes the socket. */
    CompletableFuture<?> close() {
        stopping = true;
        return enqueue(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bench over"));
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                onFrame(mapper.readTree(text), now);
            } catch (Exception e) {
                run.count("rep frame failures");
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        run.count("socket errors");
        welcomed.completeExceptionally(error);
        if (webSocket == socket) {
            reconnectLater();
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        welcomed.completeExceptionally(new IllegalStateException(repId + " closed: " + statusCode + " " + reason));
        if (!stopping && webSocket == socket) {
            run.count("sockets closed by server");
            reconnectLater();
        }
        return null;
    }

    private void onFrame(JsonNode frame, long now) {
        String type = frame.path("type").asText();
        run.count("frames: " + type);
        switch (type) {
            case "welcome" -> {
                teamInPull = "PULL".equals(frame.path("mode").asText());
                send(Map.of("type", "status", "status", "AVAILABLE"));
                welcomed.complete(null);
            }
            case "mode" -> {
                teamInPull = "PULL".equals(frame.path("mode").asText());
                pullIfRoom();
            }
            case "offer" -> onOffer(frame.path("offerId").asText(), frame.path("lead").path("id").asText(), now);
            case "assigned" -> onAssigned(frame.path("lead").path("id").asText(), now);
            case "queue-empty" -> {
                pulling.set(false);
                timers.schedule(this::pullIfRoom, QUEUE_EMPTY_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
            // the server set the rep AWAY (a missed offer, say): a working rep comes back
            case "status" -> {
                if (!"AVAILABLE".equals(frame.path("status").asText()) && !stopping) {
                    send(Map.of("type", "status", "status", "AVAILABLE"));
                }
            }
            case "error" -> {
                // a rep at its day cap gets nothing more today: it stops pulling, as the agent client does
                if ("CAP_REACHED".equals(frame.path("code").asText())) {
                    capReached = true;
                    pulling.set(false);
                } else if (run.counted("frames: error") <= 5) {
                    System.err.println(repId + " got " + frame);
                }
            }
            default -> {
                // offer-withdrawn, closed, lead-taken-back: counted above, nothing to do
            }
        }
    }

    private void onOffer(String offerId, String leadId, long now) {
        run.leadOffered(leadId, now, connectedTo);
        double draw = ThreadLocalRandom.current().nextDouble();
        if (draw < options.ignore()) {
            run.count("offers ignored");
            return;
        }
        boolean decline = draw < options.ignore() + options.decline();
        timers.schedule(() -> {
            if (decline) {
                run.count("offers declined");
                send(Map.of("type", "decline", "offerId", offerId, "reason", "bench"));
            } else {
                run.count("offers accepted");
                acceptSentAt.put(leadId, System.nanoTime());
                send(Map.of("type", "accept", "offerId", offerId));
            }
        }, options.think().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void onAssigned(String leadId, long now) {
        Long accepted = acceptSentAt.remove(leadId);
        if (accepted != null) {
            run.acceptRoundTrip.recordNanos(now - accepted);
        } else if (pulling.compareAndSet(true, false)) {
            run.pullToAssigned.recordNanos(now - pullSentAt);
            run.leadPulled(leadId);
        }
        held.incrementAndGet();
        timers.schedule(() -> {
            send(Map.of("type", "close", "leadId", leadId, "outcome", "CONTACTED"));
            run.count("leads closed");
            held.decrementAndGet();
            pullIfRoom();
        }, options.work().toNanos(), TimeUnit.NANOSECONDS);
        pullIfRoom();
    }

    /** While the team is in PULL, keeps one pull outstanding as long as the rep holds fewer than its capacity. */
    void pullIfRoom() {
        if (teamInPull && !stopping && !capReached && held.get() < MAX_LOAD && pulling.compareAndSet(false, true)) {
            pullSentAt = System.nanoTime();
            send(Map.of("type", "pull"));
        }
    }

    private void send(Map<String, String> frame) {
        String text;
        try {
            text = mapper.writeValueAsString(frame);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        enqueue(ws -> ws.sendText(text, true));
    }

    private synchronized CompletableFuture<?> enqueue(Function<WebSocket, CompletableFuture<WebSocket>> message) {
        lastSend = lastSend.thenCompose(previous -> message.apply(socket)).exceptionally(error -> {
            run.count("rep send failures");
            return null;
        });
        return lastSend;
    }
}
