package io.leadrouter.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.CostBound;
import io.leadrouter.common.Jobs;
import io.leadrouter.common.SafeContexts;
import io.leadrouter.common.Sql;
import io.leadrouter.lifecycle.KnownTeams;
import io.leadrouter.lifecycle.ModeService;
import io.leadrouter.queue.QueueService;
import io.leadrouter.queue.QueueView;
import io.leadrouter.rep.RepSql;
import io.leadrouter.routing.Mode;
import io.leadrouter.routing.Presence;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Gauges of the queue, held leads, connected reps and team modes. They come from the database, so
 * a sampler reads them every {@code leadrouter.metrics-interval} and scrapes only read the last
 * sample: a scrape never queries, however many scrapers there are. Every known team (of reps, of the
 * policy, the default team) is reported, with 0 when it has nothing queued or held, so that the
 * autoscaler and alerts read a value rather than no series; at most {@code leadrouter.metrics-max-teams}
 * teams keep their own {@code team} label ({@link TeamLabels}).
 */
@ApplicationScoped
public class QueueMetrics {

    private static final Logger LOG = Logger.getLogger(QueueMetrics.class);

    private static final String HELD_BY_TEAM = "SELECT team, count(*) FROM lead WHERE status = 'HELD' GROUP BY team";
    /** Connected as the matcher means it: a live socket, so not OFFLINE and not in the grace period. */
    private static final String CONNECTED_BY_PRESENCE = """
            SELECT presence, count(*) FROM rep
            WHERE active AND %s GROUP BY presence
            """.formatted(RepSql.connected(""));
    private static final List<Presence> CONNECTED_PRESENCES = List.of(Presence.AVAILABLE, Presence.BUSY, Presence.AWAY);

    /** The priority an empty known team's queue depth is reported at: that of a lead without score or rules. */
    private static final String EMPTY_PRIORITY = "3";

    private final QueueService queue;
    private final ModeService modes;
    private final KnownTeams knownTeams;
    private final int maxTeams;
    private final Vertx vertx;
    private final CostBound sampling = new CostBound();
    private final GaugeRows queueDepth;
    private final GaugeRows oldestWait;
    private final GaugeRows held;
    private final GaugeRows repsConnected;
    private final GaugeRows teamMode;

    public QueueMetrics(QueueService queue, ModeService modes, KnownTeams knownTeams, LeadRouterConfig config, MeterRegistry registry,
            Vertx vertx) {
        this.queue = queue;
        this.modes = modes;
        this.knownTeams = knownTeams;
        this.maxTeams = config.metricsMaxTeams();
        this.vertx = vertx;
        queueDepth = new GaugeRows(MultiGauge.builder("leadrouter.queue.depth")
                .description("Leads QUEUED, by team and priority").register(registry));
        oldestWait = new GaugeRows(MultiGauge.builder("leadrouter.queue.oldest.wait").baseUnit("seconds")
                .description("How long the oldest QUEUED lead of the team has waited").register(registry));
        held = new GaugeRows(MultiGauge.builder("leadrouter.leads.held")
                .description("Leads HELD (nobody qualified, or offered too often), by team").register(registry));
        repsConnected = new GaugeRows(MultiGauge.builder("leadrouter.reps.connected")
                .description("Reps with a live socket, by presence").register(registry));
        teamMode = new GaugeRows(MultiGauge.builder("leadrouter.team.mode")
                .description("1 for the team's current matcher mode (PUSH or PULL), 0 for the other").register(registry));
    }

    private record Sample(QueueView queue, List<Object[]> held, List<Object[]> connected, Set<String> known) {
    }

    @Scheduled(every = "${leadrouter.metrics-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        // the snapshot counts the queue: spaced by its cost when the queue is deep
        return Jobs.logged(sampling.runIfDue(() -> SafeContexts.run(vertx, () -> Panache.withSession(() -> queue.snapshot(null)
                .chain(view -> Sql.rows(HELD_BY_TEAM, Map.of())
                        .chain(heldRows -> Sql.rows(CONNECTED_BY_PRESENCE, Map.of())
                                .chain(connectedRows -> knownTeams.all()
                                        .map(known -> new Sample(view, heldRows, connectedRows, known))))))))
                .invoke(sample -> {
                    if (sample != null) {
                        publish(sample);
                    }
                }), LOG, "Sampling the queue for metrics");
    }

    private void publish(Sample sample) {
        Map<String, Long> heldByTeam = new HashMap<>();
        for (Object[] row : sample.held()) {
            heldByTeam.put((String) row[0], ((Number) row[1]).longValue());
        }
        // every team known, evaluated by this process, or with leads waiting or held since its last evaluation
        Set<String> teams = new TreeSet<>(sample.known());
        teams.addAll(modes.knownTeams());
        teams.addAll(sample.queue().teams().keySet());
        teams.addAll(heldByTeam.keySet());
        UnaryOperator<String> label = TeamLabels.of(sample.known(), teams, maxTeams);

        Map<Tags, Long> depth = new HashMap<>();
        Map<Tags, Long> oldest = new HashMap<>();
        Map<Tags, Long> heldRows = new HashMap<>();
        for (String team : sample.known()) {
            oldest.put(Tags.of("team", label.apply(team)), 0L);
            heldRows.put(Tags.of("team", label.apply(team)), 0L);
        }
        Set<String> queued = new HashSet<>();
        sample.queue().teams().forEach((team, teamQueue) -> {
            teamQueue.byPriority().forEach((priority, count) -> {
                depth.merge(Tags.of("team", label.apply(team), "priority", Integer.toString(priority)), count, Long::sum);
                queued.add(label.apply(team));
            });
            oldest.merge(Tags.of("team", label.apply(team)), teamQueue.oldestWaitingSeconds(), Math::max);
        });
        for (String team : sample.known()) {
            if (queued.add(label.apply(team))) {
                depth.put(Tags.of("team", label.apply(team), "priority", EMPTY_PRIORITY), 0L);
            }
        }
        queueDepth.publish(depth);
        oldestWait.publish(oldest);
        heldByTeam.forEach((team, count) -> heldRows.merge(Tags.of("team", label.apply(team)), count, Long::sum));
        held.publish(heldRows);

        Map<Tags, Long> connected = new HashMap<>();
        CONNECTED_PRESENCES.forEach(presence -> connected.put(Tags.of("presence", presence.name()), 0L));
        for (Object[] row : sample.connected()) {
            connected.put(Tags.of("presence", (String) row[0]), ((Number) row[1]).longValue());
        }
        repsConnected.publish(connected);

        // teams under one label count the teams in each mode
        Map<Tags, Long> mode = new HashMap<>();
        for (String team : teams) {
            Mode current = modes.modeOf(team);
            for (Mode each : Mode.values()) {
                mode.merge(Tags.of("team", label.apply(team), "mode", each.name()), each == current ? 1L : 0L, Long::sum);
            }
        }
        teamMode.publish(mode);
    }

    /**
     * The rows of one multi-gauge. Values move in place, so a scrape never sees a row missing
     * between samples; rows of a team no longer known, or of a priority no longer queued, are removed.
     */
    private static final class GaugeRows {
        private final MultiGauge gauge;
        private final Map<Tags, AtomicLong> values = new HashMap<>();

        GaugeRows(MultiGauge gauge) {
            this.gauge = gauge;
        }

        void publish(Map<Tags, Long> sample) {
            values.keySet().retainAll(sample.keySet());
            sample.forEach((tags, value) -> values.computeIfAbsent(tags, t -> new AtomicLong()).set(value));
            gauge.register(values.entrySet().stream().map(row -> MultiGauge.Row.of(row.getKey(), row.getValue())).toList(), false);
        }
    }
}
