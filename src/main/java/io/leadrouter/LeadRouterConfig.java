package io.leadrouter;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything under {@code leadrouter.}; the environment form is LEADROUTER_UPPER_SNAKE. */
@ConfigMapping(prefix = "leadrouter")
public interface LeadRouterConfig {

    /** API keys accepted as {@code Authorization: Bearer <key>} for CRM and admin calls. None: every API call is refused. */
    Optional<List<String>> apiKeys();

    /** How long a rep has to accept an offer ({@code 30s} or ISO-8601 {@code PT30S}). */
    @WithDefault("30s")
    Duration offerTimeout();

    /** Offers made for one lead before it is held instead of requeued. */
    @WithDefault("5")
    int maxAttempts();

    /** Whether a rep who lets an offer expire is set AWAY, so offers stop going to someone who left. */
    @WithDefault("true")
    boolean awayOnMiss();

    /** How long a dropped socket keeps the rep's presence before the rep is OFFLINE. */
    @WithDefault("30s")
    Duration presenceGrace();

    /** The presence a rep gets when connecting while OFFLINE (AVAILABLE, BUSY or AWAY). */
    @WithDefault("AVAILABLE")
    String statusOnConnect();

    /** A team in PUSH switches to PULL when waiting leads (queued or under offer) reach this many per free capacity point. */
    @WithDefault("3.0")
    double modePullAbove();

    /** A team in PULL switches back to PUSH when waiting leads fall to this many per free capacity point. */
    @WithDefault("1.0")
    double modePushBelow();

    /** Secret that signs rep tokens (HMAC-SHA256); all replicas must share it. Unset: a random one per process. */
    Optional<String> tokenSecret();

    /** How long an issued rep token stays valid. */
    @WithDefault("12h")
    Duration tokenTtl();

    /** How often expired offers, lapsed presence and team modes are swept (the timers' safety net), and aging, held-lead escalation and untended takeback run. */
    @WithDefault("1s")
    Duration sweepInterval();

    /** How often connected manager consoles get a fresh snapshot (queue, reps, decisions, fairness). */
    @WithDefault("2s")
    Duration consoleInterval();

    /** How often queue depth is sampled for the console's 30-minute chart. */
    @WithDefault("15s")
    Duration consoleHistoryInterval();

    /** How often each replica records its heartbeat in the database. */
    @WithDefault("2s")
    Duration heartbeatInterval();

    /** A replica silent this long is taken for dead: its reps' sockets are forgotten and their grace period starts. */
    @WithDefault("10s")
    Duration replicaTimeout();

    /** How often the queue, held-lead, connected-rep and team-mode gauges at {@code /q/metrics} are sampled from the database. */
    @WithDefault("5s")
    Duration metricsInterval();

    /** Team of a lead that names none and of a rep document without one. */
    @WithDefault("default")
    String defaultTeam();

    /** Data directory of the embedded PostgreSQL, used only when no datasource URL is configured. */
    @WithDefault("${user.home}/.lead-router/pgdata")
    String embeddedDbDir();

    /** Whether the embedded PostgreSQL starts from an empty data directory (tests). */
    @WithDefault("false")
    boolean embeddedDbClean();

    /** Webhooks: the event log delivered to receivers. */
    Webhooks webhooks();

    interface Webhooks {

        /** Whether webhook URLs may point at loopback, private, link-local and metadata addresses (on-prem receivers, tests). */
        @WithDefault("false")
        boolean allowPrivateTargets();

        /** The waits between attempts at a failing delivery, with a fifth of jitter; after the last the endpoint is disabled. */
        @WithDefault("5s,5m,30m,2h,5h,10h,10h")
        List<Duration> retrySchedule();

        /** How long a receiver has to answer with a 2xx. */
        @WithDefault("10s")
        Duration timeout();

        /** How often each replica looks for webhook endpoints with events to deliver. */
        @WithDefault("1s")
        Duration pollInterval();

        /** How long a replica holds an endpoint while delivering to it; another takes over after this if it dies. */
        @WithDefault("30s")
        Duration lease();
    }

    /** How long lifecycle events are kept in the log ({@code GET /events?after=}); older ones are pruned. */
    @WithDefault("30d")
    Duration eventRetention();

    /** How often each replica prunes lifecycle events older than {@code event-retention}. */
    @WithDefault("1h")
    Duration eventPruneInterval();
}
