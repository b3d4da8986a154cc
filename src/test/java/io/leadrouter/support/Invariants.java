package io.leadrouter.support;

import java.util.List;

/**
 * Invariants 1, 3 and 5 as queries over the whole database, each returning the rows that break it:
 * one owner and at most one open offer per lead, an open offer exactly for each offered lead at its
 * attempt, rep load equal to what it holds and within max_load and period caps, and no open offer left past its
 * deadline plus the sweep. Shared by the in-process tests (Vert.x pool) and the replica tests (JDBC).
 */
public final class Invariants {

    /** A query whose rows are the violations, and what they are. */
    public record Check(String violation, String sql) {
    }

    public static final List<Check> CHECKS = List.of(
            new Check("leads with more than one open offer",
                    "SELECT lead_id FROM offer WHERE state = 'OPEN' GROUP BY lead_id HAVING count(*) > 1"),
            // a lead is accepted once, or once more after each time it was taken back untended
            new Check("leads accepted twice", """
                    SELECT lead_id FROM offer o WHERE state = 'ACCEPTED' GROUP BY lead_id
                    HAVING count(*) > 1 + (SELECT count(*) FROM decision d WHERE d.lead_id = o.lead_id AND d.kind = 'TAKEN_BACK')
                    """),
            new Check("offered leads without their open offer", """
                    SELECT l.id FROM lead l WHERE l.status = 'OFFERED' AND NOT EXISTS (
                        SELECT 1 FROM offer o WHERE o.lead_id = l.id AND o.state = 'OPEN' AND o.attempt = l.attempts)
                    """),
            new Check("open offers whose lead moved on", """
                    SELECT o.id FROM offer o JOIN lead l ON l.id = o.lead_id
                    WHERE o.state = 'OPEN' AND (l.status <> 'OFFERED' OR l.attempts <> o.attempt)
                    """),
            new Check("accepted offers whose lead has another owner and was neither taken back nor reassigned by a manager", """
                    SELECT o.id FROM offer o JOIN lead l ON l.id = o.lead_id
                    WHERE o.state = 'ACCEPTED' AND (l.owner_rep_id IS DISTINCT FROM o.rep_id)
                      AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.lead_id = o.lead_id AND d.kind IN ('TAKEN_BACK', 'MANUAL')
                                      AND d.created_at >= o.resolved_at)
                    """),
            new Check("reps over max_load or with a load that differs from what they hold", """
                    SELECT r.id, r.active_load, r.max_load,
                           coalesce((SELECT sum(load_points) FROM offer WHERE rep_id = r.id AND state = 'OPEN'), 0)
                         + coalesce((SELECT sum(load_points) FROM lead WHERE owner_rep_id = r.id AND status = 'ASSIGNED'), 0) AS held
                    FROM rep r
                    WHERE r.active_load > r.max_load
                       OR r.active_load <> coalesce((SELECT sum(load_points) FROM offer WHERE rep_id = r.id AND state = 'OPEN'), 0)
                                         + coalesce((SELECT sum(load_points) FROM lead WHERE owner_rep_id = r.id AND status = 'ASSIGNED'), 0)
                    """),
            // invariant 3's period caps, counted as the service counts them: leads assigned since the period began in the rep's timezone
            new Check("reps assigned more leads than a day, week or month cap allows", """
                    SELECT r.id, p.period, p.cap, p.used FROM rep r
                    CROSS JOIN LATERAL (SELECT coalesce(r.document ->> 'timezone', 'UTC') AS tz) z
                    CROSS JOIN LATERAL (VALUES ('day'), ('week'), ('month')) AS periods (period)
                    CROSS JOIN LATERAL (
                        SELECT periods.period, (r.document -> 'caps' ->> periods.period)::int AS cap,
                               (SELECT count(*) FROM lead l WHERE l.owner_rep_id = r.id
                                  AND l.assigned_at >= date_trunc(periods.period, now() AT TIME ZONE z.tz) AT TIME ZONE z.tz) AS used) p
                    WHERE p.cap IS NOT NULL AND p.used > p.cap
                    """),
            new Check("open offers past deadline plus sweep",
                    "SELECT id FROM offer WHERE state = 'OPEN' AND expires_at < now() - interval '3 seconds'"));

    private Invariants() {
    }
}
