package io.leadrouter;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
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

    /** How long a manager console session lasts from sign-in ({@code POST /api/v1/console/sessions}). */
    @WithDefault("8h")
    Duration consoleSessionTtl();

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

    /** Teams the gauges at {@code /q/metrics} name in their team label, known teams first; the rest are reported as team "(other)". */
    @WithDefault("100")
    int metricsMaxTeams();

    /** Team of a lead that names none and of a rep document without one. */
    @WithDefault("default")
    String defaultTeam();

    /** Whether a lead may name a team no rep and no policy knows, when the policy does not say (its allowNewTeams). */
    @WithDefault("false")
    boolean allowNewTeams();

    /** Data directory of the embedded PostgreSQL, used only when no datasource URL is configured. */
    @WithDefault("${user.home}/.lead-router/pgdata")
    String embeddedDbDir();

    /** Whether the embedded PostgreSQL starts from an empty data directory (tests). */
    @WithDefault("false")
    boolean embeddedDbClean();

    /** Largest request body of every call but the bulk ones (a JSON batch of 1,000 leads fits well below it); larger is a 413. */
    @WithDefault("4M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize maxBodySize();

    /** The bulk roster ({@code PUT /api/v1/reps}) and the CSV lead import ({@code POST /api/v1/leads/import}). */
    Bulk bulk();

    interface Bulk {

        /** Most reps one {@code PUT /api/v1/reps} may hold. */
        @WithDefault("10000")
        int maxReps();

        /** Largest body of {@code PUT /api/v1/reps}. */
        @WithDefault("16M")
        @WithConverter(MemorySizeConverter.class)
        MemorySize rosterMaxBodySize();

        /** Largest body of {@code POST /api/v1/leads/import}: the file is read as it arrives, so this bounds its length, not memory. */
        @WithDefault("256M")
        @WithConverter(MemorySizeConverter.class)
        MemorySize importMaxBodySize();
    }

    /**
     * Leads created on a replica since its last ANALYZE of the lead table that make it analyze again, once they are
     * also a fifth of the table: a bulk load would otherwise leave the planner's statistics behind until autovacuum.
     */
    @WithDefault("10000")
    long analyzeAfterLeads();

    /** Whether a packaged start without a datasource URL may start the embedded PostgreSQL (demos); else it stops. */
    @WithDefault("false")
    boolean embeddedDbInProd();

    /** Limits on callers, each counted per replica in memory. */
    Limits limits();

    interface Limits {

        /** Failed authentications from one client address in a minute; beyond, its requests with a credential get 429 until the minute ends. */
        @WithDefault("20")
        int failedAuthPerAddress();

        /** Requests an API key or console session may make in a minute, unless the key sets its own; beyond, 429 until the minute ends. */
        @WithDefault("6000")
        int requestsPerKey();

        /** Agent sockets one rep may hold open on a replica (tabs); the next handshake is refused with 429. */
        @WithDefault("5")
        int socketsPerRep();
    }

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

    /** Owner write-back to the CRMs, delivered from the event log like a webhook endpoint. */
    Crm crm();

    interface Crm {

        /** Salesforce: the owner of the Lead or Contact record the lead came from. */
        Salesforce salesforce();

        /** HubSpot: the owner of the contact (or other object) the lead came from. */
        Hubspot hubspot();

        /** How long a CRM has to answer one request. */
        @WithDefault("10s")
        Duration timeout();

        /** How long a connector waits when the CRM says the day's API allowance is spent, or nearly (see api-usage-ceiling). */
        @WithDefault("1h")
        Duration limitBackoff();
    }

    interface Salesforce {

        /** Whether owners are written back to Salesforce; needs instance-url, client-id and client-secret. */
        @WithDefault("false")
        boolean enabled();

        /** The org's My Domain URL (https://acme.my.salesforce.com); the token comes from its /services/oauth2/token. */
        Optional<String> instanceUrl();

        /** The consumer key of the external client app with the client credentials flow enabled. */
        Optional<String> clientId();

        /** That app's consumer secret. */
        Optional<String> clientSecret();

        /** The REST API version in the request path. */
        @WithDefault("v62.0")
        String apiVersion();

        /** The sObject a lead's externalId names: Lead or Contact. */
        @WithDefault("Lead")
        String object();

        /** The events that write the owner: lead.assigned sets the rep, lead.taken_back sets unassigned-owner-id. */
        @WithDefault("lead.assigned,lead.taken_back")
        List<String> events();

        /** The owner a taken-back lead gets (a queue 00G... or an integration user); unset, a take-back is skipped. */
        Optional<String> unassignedOwnerId();

        /** The share of the org's daily API requests (Sforce-Limit-Info) above which write-backs pause for limit-backoff. */
        @WithDefault("0.9")
        double apiUsageCeiling();
    }

    interface Hubspot {

        /** Whether owners are written back to HubSpot; needs token. */
        @WithDefault("false")
        boolean enabled();

        /** The API's base URL. */
        @WithDefault("https://api.hubapi.com")
        String baseUrl();

        /** A private app's access token with the write scope of the object (crm.objects.contacts.write). */
        Optional<String> token();

        /** The CRM object a lead's externalId names, as in /crm/v3/objects/{object}/{id}. */
        @WithDefault("contacts")
        String object();

        /** The unique property a lead's externalId is matched on when it is not the record id (email); unset, the id. */
        Optional<String> idProperty();

        /** The events that write the owner: lead.assigned sets the rep, lead.taken_back clears it (or sets unassigned-owner-id). */
        @WithDefault("lead.assigned,lead.taken_back")
        List<String> events();

        /** The owner a taken-back lead gets; unset, the owner is cleared. */
        Optional<String> unassignedOwnerId();

        /** The wait after a 429 that gives no Retry-After (HubSpot's limits are per ten seconds). */
        @WithDefault("10s")
        Duration rateLimitBackoff();
    }

    /** Salesforce outbound messages in ({@code POST /api/v1/intake/salesforce}). */
    SalesforceIntake salesforce();

    interface SalesforceIntake {

        /** The org ids (15 or 18 characters) whose outbound messages are taken in; unset, every message is refused. */
        Optional<List<String>> organizationIds();
    }

    /** How long lifecycle events are kept in the log ({@code GET /events?after=}); older ones are pruned. */
    @WithDefault("30d")
    Duration eventRetention();

    /** How often each replica prunes lifecycle events older than {@code event-retention}. */
    @WithDefault("1h")
    Duration eventPruneInterval();
}
