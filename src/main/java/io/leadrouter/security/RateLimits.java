package io.leadrouter.security;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.RateLimited;
import io.quarkus.scheduler.Scheduled;

/**
 * The limits on callers, per replica (in memory: with N replicas behind a load balancer a caller gets up to N times
 * each): failed authentications per client address, after which its requests with a credential are refused until the
 * minute is over; and requests per API key or console session.
 */
@ApplicationScoped
public class RateLimits {

    private final MinuteWindows failures = new MinuteWindows(Clock.systemUTC());
    private final MinuteWindows requests = new MinuteWindows(Clock.systemUTC());
    private final LeadRouterConfig.Limits limits;

    public RateLimits(LeadRouterConfig config) {
        this.limits = config.limits();
    }

    /** Refuses an address that failed to authenticate too often this minute. */
    void checkAddress(String address) {
        failures.full(address, limits.failedAuthPerAddress()).ifPresent(wait -> {
            throw new RateLimited("Too many failed authentications from this address; try again later", wait);
        });
    }

    void failedAuthentication(String address) {
        failures.count(address, limits.failedAuthPerAddress());
    }

    /** Counts a request of a key or session, refusing it over the key's own limit or the configured one. */
    void request(Caller caller) {
        int limit = caller.requestsPerMinute() > 0 ? caller.requestsPerMinute() : limits.requestsPerKey();
        requests.count(caller.credential().id(), limit).ifPresent(wait -> {
            throw new RateLimited("This key made more than " + limit + " requests this minute; try again later", wait);
        });
    }

    @Scheduled(every = "60s")
    void prune() {
        failures.prune();
        requests.prune();
    }
}
