package io.leadrouter.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The routing policy as sales ops write it ({@code PUT /api/v1/routing/policy}): settings for every
 * team, overrides per team, and lead rules. Every field is optional; what is absent takes the
 * defaults documented in docs/routing-policy.md. Checked by {@link PolicyCompiler}.
 *
 * @param defaultTeam the team of a lead that names none and that no rule sends anywhere (else {@code leadrouter.default-team})
 * @param allowNewTeams whether a lead may name a team that neither a rep nor this policy knows (else 422); unset,
 *     {@code leadrouter.allow-new-teams} decides
 * @param duplicates which open leads a lead sent in duplicates (else the e-mail within 30 days)
 * @param holidays calendars of days off that take the reps of their teams or regions out, like out of office
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyDocument(String description, Settings defaults, Map<String, Settings> teams, List<Rule> rules,
        String defaultTeam, Boolean allowNewTeams, Duplicates duplicates, List<Holiday> holidays) {

    /** A document without holiday calendars. */
    public PolicyDocument(String description, Settings defaults, Map<String, Settings> teams, List<Rule> rules,
            String defaultTeam, Boolean allowNewTeams, Duplicates duplicates) {
        this(description, defaults, teams, rules, defaultTeam, allowNewTeams, duplicates, null);
    }

    /**
     * A holiday calendar: {@code dates} ({@code YYYY-MM-DD}, each a whole day in the rep's own timezone) are days off for
     * the reps of {@code teams} and of {@code regions} (ISO country {@code DE} or subdivision {@code DE-BY}; a country
     * covers its subdivisions); with neither, for every rep.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Holiday(String name, List<String> dates, List<String> teams, List<String> regions) {
    }

    /**
     * A lead matching an open lead on any of {@code keys} ({@code email}, {@code phone}, {@code externalId},
     * {@code attributes.<name>}) created within {@code window} is answered with that lead instead of being routed;
     * no keys turn the check off.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Duplicates(List<String> keys, Duration window) {
    }

    /** Team-level settings; in {@code teams.<name>} each present field overrides {@code defaults}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Settings(Duration offerTimeout, Integer maxAttempts, ModeThresholds mode, Boolean requireTerritory,
            Boolean requireLanguage, ScoreWeights weights, List<ValueTier> valueTiers, Duration idleSaturation,
            String fairnessPeriod, List<String> fallback, Aging aging, Holding holding, Escalation escalation, Sla sla,
            Fairness fairness, Affinity affinity) {
    }

    /** Whether a rep back from away, out of office or a cap catches up on its weighted share ({@code makeUp}). */
    public record Fairness(Boolean makeUp) {
    }

    /**
     * A lead matching an earlier lead of the account on any of {@code by} (in order) within {@code window} goes first to
     * that lead's owner; {@code freeMailDomains} adds to the built-in free-mail list; {@code "by": []} turns it off.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Affinity(List<String> by, Duration window, List<String> freeMailDomains) {
    }

    public record ModeThresholds(Double pullAbove, Double pushBelow) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScoreWeights(Double skill, Double language, Double territory, Double valueTierFit, Double fairness,
            Double idle, Double headroom) {
    }

    public record ValueTier(Double minValue, Integer tier) {
    }

    /** Priority rises by {@code step} every {@code every} a lead waits, up to {@code max} above its base. */
    public record Aging(Duration every, Integer step, Integer max) {
    }

    /** A lead nobody qualifies for waits in the holding pool this long before it escalates. */
    public record Holding(Duration escalateAfter) {
    }

    /** After this many lapsed or declined offers a lead escalates: priority boost and relaxed criteria. */
    public record Escalation(Integer afterAttempts, Integer priorityBoost, List<String> relax) {
    }

    /** An assigned lead not closed within {@code untendedAfter} is taken back and re-routed. */
    public record Sla(Duration untendedAfter) {
    }

    /** IF {@code when} THEN {@code then}; every matching rule applies, in order. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rule(String name, JsonNode when, Then then) {
    }

    /**
     * @param priority the lead's priority is at least this
     * @param priorityBoost added to the priority
     * @param scoreBoost added to the lead's score (0 when the CRM sent none), kept within 0..100
     * @param loadPoints capacity the lead takes from its rep (the largest of the matching rules)
     * @param tiers only reps of these tiers may take the lead (relaxable as {@code tier})
     * @param requiredSkills skills at minimum levels, merged with the lead's own
     * @param team the team the lead goes to, unless it names one itself (the first matching rule with a team wins)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Then(Integer priority, Integer priorityBoost, Integer scoreBoost, Integer loadPoints, List<Integer> tiers,
            Map<String, Integer> requiredSkills, String team) {
    }
}
