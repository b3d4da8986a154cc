package io.leadrouter.lifecycle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.common.Sql;
import io.leadrouter.lead.Lead;
import io.leadrouter.policy.AffinityRule;
import io.leadrouter.routing.AffinityMatch;
import io.smallrye.mutiny.Uni;

/**
 * Finds the earlier lead of a lead's account (owner affinity): the most recent lead with an owner (ASSIGNED or CLOSED)
 * created within the team's window, on the first of the team's keys that matches. One statement, one branch per key,
 * each served by its V14 partial index of owned leads.
 */
@ApplicationScoped
class OwnerAffinity {

    private static final String BRANCH = """
            (SELECT %d AS ord, l.id, l.owner_rep_id FROM lead l
             WHERE %s = :v%d AND l.owner_rep_id IS NOT NULL AND l.status IN ('ASSIGNED', 'CLOSED')
               AND l.created_at > now() - cast(cast(:window AS text) AS interval) AND l.id <> :lead
             ORDER BY l.created_at DESC LIMIT 1)""";

    /** The indexed expression of each key (V14). */
    private static final Map<String, String> COLUMNS = Map.of(AffinityRule.ACCOUNT_ID, "(l.attributes ->> 'accountId')",
            AffinityRule.EMAIL_DOMAIN, "l.email_domain", AffinityRule.COMPANY, "l.company_key");

    /** The lead's match, or null when the rule is off, the lead has no key value or no earlier lead matches. */
    Uni<AffinityMatch> of(Lead lead, AffinityRule rule) {
        if (rule.off()) {
            return Uni.createFrom().nullItem();
        }
        Map<String, String> keys = rule.keysOf(lead.attributes == null ? null : lead.attributes.get("accountId"), lead.email,
                lead.company);
        if (keys.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        List<Map.Entry<String, String>> ordered = new ArrayList<>(keys.entrySet());
        List<String> branches = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        params.put("window", rule.window().toString());
        params.put("lead", lead.id);
        for (int i = 0; i < ordered.size(); i++) {
            branches.add(BRANCH.formatted(i, COLUMNS.get(ordered.get(i).getKey()), i));
            params.put("v" + i, ordered.get(i).getValue());
        }
        String sql = "SELECT ord, id, owner_rep_id FROM (" + String.join(" UNION ALL ", branches) + ") m ORDER BY ord LIMIT 1";
        return Sql.rows(sql, params).map(rows -> {
            if (rows.isEmpty()) {
                return null;
            }
            Map.Entry<String, String> key = ordered.get(((Number) rows.get(0)[0]).intValue());
            return new AffinityMatch(key.getKey(), key.getValue(), (UUID) rows.get(0)[1], (String) rows.get(0)[2]);
        });
    }
}
