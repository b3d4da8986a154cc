package io.leadrouter.policy;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.common.ComparableNumber;
import io.leadrouter.common.NulCharacter;
import io.leadrouter.common.Problem.FieldError;
import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.HolidayCalendar;
import io.leadrouter.routing.ModeHysteresis;
import io.leadrouter.routing.RoutingRules;
import io.leadrouter.routing.Weights;

/**
 * Checks a policy document and compiles it: every error is reported with its JSON path, and a
 * document with none becomes a {@link Policy}. Absent settings come from {@code builtIn}.
 */
public final class PolicyCompiler {

    /** The result: a policy, or the reasons there is none. */
    public record Result(Policy policy, List<FieldError> errors) {
    }

    static final Set<String> LEAD_FIELDS = Set.of("externalId", "source", "name", "email", "phone", "company", "country",
            "region", "postalCode", "language", "product", "industry", "value", "score", "team");
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,100}$");
    private static final Pattern SKILL = Pattern.compile("^[a-z0-9_.-]{1,50}$");
    private static final int MAX_DEPTH = 10;
    private static final Set<String> DUPLICATE_KEYS = Set.of("email", "phone", "externalId");
    private static final int MAX_DUPLICATE_KEYS = 5;
    private static final Pattern FREE_MAIL_DOMAIN = Pattern.compile("^[a-z0-9-]{1,63}(\\.[a-z0-9-]{1,63}){0,5}(\\.\\*)?$");
    /*
     * Every rule is evaluated on every lead at intake, on the event loop: these bound the work one lead can cost,
     * whatever the CRM sends (Condition bounds the text each comparison sees).
     */
    static final int MAX_RULES = 100;
    /** Conditions in all rules together, each comparison and each all / any / not counting one. */
    static final int MAX_CONDITIONS = 500;
    /** Characters of a text value, and of a {@code matches} expression. */
    static final int MAX_VALUE_TEXT = 500;
    /** Values of one {@code in} / {@code notIn} list. */
    static final int MAX_VALUES = 500;
    /**
     * RE2 instructions of all {@code matches} expressions together: a lead's text is searched by each (its first
     * {@link Condition#MAX_MATCHED} characters), in time proportional to both.
     */
    static final int MAX_INSTRUCTIONS = 2000;

    private final TeamPolicy builtIn;

    public PolicyCompiler(TeamPolicy builtIn) {
        this.builtIn = builtIn;
    }

    /** The policy in force before any is written: the built-in settings and no rules. */
    public Policy builtInPolicy() {
        return new Policy(0, new PolicyDocument("built-in defaults", null, null, null, null, null, null), builtIn, Map.of(), List.of(), DuplicateRule.DEFAULT);
    }

    public Result compile(PolicyDocument document, int version) {
        List<FieldError> errors = new ArrayList<>();
        List<HolidayCalendar> holidays = holidays(document.holidays(), errors);
        TeamPolicy base = holidays.isEmpty() ? builtIn : builtIn.withRouting(builtIn.routing().withHolidays(holidays));
        TeamPolicy defaults = settings(document.defaults(), base, "defaults", errors);
        Map<String, TeamPolicy> teams = new LinkedHashMap<>();
        if (document.teams() != null) {
            document.teams().forEach((team, settings) -> {
                if (!NAME.matcher(team).matches()) {
                    errors.add(new FieldError("teams." + team, "must be a team name of letters, digits, . _ -"));
                } else if (settings == null) {
                    errors.add(new FieldError("teams." + team, "must be an object of settings"));
                } else {
                    teams.put(team, settings(settings, defaults, "teams." + team, errors));
                }
            });
        }
        List<LeadRule> rules = new ArrayList<>();
        if (document.rules() != null && document.rules().size() > MAX_RULES) {
            errors.add(new FieldError("rules", "must hold at most " + MAX_RULES + " rules"));
        } else if (document.rules() != null) {
            Set<String> names = new HashSet<>();
            Budget budget = new Budget();
            for (int i = 0; i < document.rules().size(); i++) {
                PolicyDocument.Rule rule = document.rules().get(i);
                String at = "rules[" + i + "]";
                if (rule == null) {
                    errors.add(new FieldError(at, "must be a rule object"));
                    continue;
                }
                if (rule.name() == null || rule.name().isBlank() || rule.name().length() > 100) {
                    errors.add(new FieldError(at + ".name", "is required, 1 to 100 characters"));
                } else if (!names.add(rule.name())) {
                    errors.add(new FieldError(at + ".name", "is used by another rule"));
                }
                String nul = rule.when() == null ? null : NulCharacter.pathIn(rule.when(), at + ".when");
                Condition when = rule.when() == null || rule.when().isNull()
                        ? fail(errors, at + ".when", "is required")
                        : nul != null ? fail(errors, nul, NulCharacter.REASON)
                        : condition(rule.when(), at + ".when", 1, budget, errors);
                LeadRule compiled = then(rule.then(), rule.name(), when, at + ".then", errors);
                if (compiled != null) {
                    rules.add(compiled);
                }
            }
            if (budget.conditions > MAX_CONDITIONS) {
                errors.add(new FieldError("rules", "must hold at most " + MAX_CONDITIONS + " conditions in all, not " + budget.conditions));
            }
        }
        if (document.defaultTeam() != null && !NAME.matcher(document.defaultTeam()).matches()) {
            errors.add(new FieldError("defaultTeam", "must be a team name of letters, digits, . _ -"));
        }
        DuplicateRule duplicates = duplicates(document.duplicates(), errors);
        errors.sort((a, b) -> a.field().compareTo(b.field()));
        return errors.isEmpty()
                ? new Result(new Policy(version, document, defaults, Map.copyOf(teams), List.copyOf(rules), duplicates), List.of())
                : new Result(null, List.copyOf(errors));
    }

    private TeamPolicy settings(PolicyDocument.Settings s, TeamPolicy base, String at, List<FieldError> errors) {
        if (s == null) {
            return base;
        }
        Duration offerTimeout = duration(s.offerTimeout(), base.offerTimeout(), Duration.ofSeconds(1), Duration.ofHours(1),
                at + ".offerTimeout", errors);
        int maxAttempts = integer(s.maxAttempts(), base.maxAttempts(), 1, 50, at + ".maxAttempts", errors);
        ModeHysteresis mode = base.mode();
        if (s.mode() != null) {
            double pullAbove = number(s.mode().pullAbove(), mode.pullAbove(), 0.1, 1000, at + ".mode.pullAbove", errors);
            double pushBelow = number(s.mode().pushBelow(), mode.pushBelow(), 0, 1000, at + ".mode.pushBelow", errors);
            if (pushBelow > pullAbove) {
                errors.add(new FieldError(at + ".mode.pushBelow", "must not exceed pullAbove (" + pullAbove + ")"));
            } else {
                mode = new ModeHysteresis(pullAbove, pushBelow);
            }
        }
        RoutingRules r = base.routing();
        Weights weights = weights(s.weights(), r.weights(), at + ".weights", errors);
        List<RoutingRules.ValueTier> valueTiers = r.valueTiers();
        if (s.valueTiers() != null) {
            valueTiers = new ArrayList<>();
            for (int i = 0; i < s.valueTiers().size(); i++) {
                PolicyDocument.ValueTier tier = s.valueTiers().get(i);
                String path = at + ".valueTiers[" + i + "]";
                if (tier == null || tier.minValue() == null || tier.tier() == null) {
                    errors.add(new FieldError(path, "needs minValue and tier"));
                    continue;
                }
                double min = number(tier.minValue(), 0, 0, 1e15, path + ".minValue", errors);
                int t = integer(tier.tier(), 1, 1, 10, path + ".tier", errors);
                valueTiers.add(new RoutingRules.ValueTier(min, t));
            }
            valueTiers.sort((a, b) -> Double.compare(b.minValue(), a.minValue()));
        }
        Duration idle = duration(s.idleSaturation(), r.idleSaturation(), Duration.ofSeconds(1), Duration.ofDays(7),
                at + ".idleSaturation", errors);
        boolean weekly = base.fairnessWeekly();
        if (s.fairnessPeriod() != null) {
            switch (s.fairnessPeriod()) {
                case "day" -> weekly = false;
                case "week" -> weekly = true;
                default -> errors.add(new FieldError(at + ".fairnessPeriod", "must be day or week"));
            }
        }
        List<Criterion> fallback = s.fallback() == null ? r.fallback() : criteria(s.fallback(), at + ".fallback", errors);
        RoutingRules routing = new RoutingRules(s.requireTerritory() == null ? r.requireTerritory() : s.requireTerritory(),
                s.requireLanguage() == null ? r.requireLanguage() : s.requireLanguage(), weights, List.copyOf(valueTiers),
                idle, fallback, r.holidays(), s.fairness() == null || s.fairness().makeUp() == null ? r.makeUp() : s.fairness().makeUp());
        TeamPolicy.Aging aging = base.aging();
        if (s.aging() != null) {
            Duration every = s.aging().every() == null && aging == null ? null
                    : duration(s.aging().every(), aging == null ? null : aging.every(), Duration.ofSeconds(1), Duration.ofDays(1),
                            at + ".aging.every", errors);
            if (every == null) {
                errors.add(new FieldError(at + ".aging.every", "is required to turn aging on"));
            } else {
                aging = new TeamPolicy.Aging(every,
                        integer(s.aging().step(), aging == null ? 1 : aging.step(), 1, 100, at + ".aging.step", errors),
                        integer(s.aging().max(), aging == null ? 5 : aging.max(), 0, 100, at + ".aging.max", errors));
            }
        }
        Duration escalateHeldAfter = s.holding() == null ? base.escalateHeldAfter()
                : duration(s.holding().escalateAfter(), base.escalateHeldAfter(), Duration.ZERO, Duration.ofDays(7),
                        at + ".holding.escalateAfter", errors);
        int afterAttempts = base.escalateAfterAttempts();
        int boost = base.escalationPriorityBoost();
        List<Criterion> relax = base.escalationRelax();
        if (s.escalation() != null) {
            afterAttempts = integer(s.escalation().afterAttempts(), afterAttempts, 0, 50, at + ".escalation.afterAttempts", errors);
            boost = integer(s.escalation().priorityBoost(), boost, 0, 100, at + ".escalation.priorityBoost", errors);
            if (s.escalation().relax() != null) {
                relax = criteria(s.escalation().relax(), at + ".escalation.relax", errors);
            }
        }
        Duration untended = s.sla() == null ? base.untendedAfter()
                : duration(s.sla().untendedAfter(), base.untendedAfter(), Duration.ofSeconds(1), Duration.ofDays(30),
                        at + ".sla.untendedAfter", errors);
        return new TeamPolicy(offerTimeout, maxAttempts, mode, routing, aging, escalateHeldAfter, afterAttempts, boost,
                relax, untended, weekly, affinity(s.affinity(), base.affinity(), at + ".affinity", errors));
    }

    private static AffinityRule affinity(PolicyDocument.Affinity a, AffinityRule base, String at, List<FieldError> errors) {
        if (a == null) {
            return base;
        }
        List<String> by = base.by();
        if (a.by() != null) {
            by = new ArrayList<>();
            for (int i = 0; i < a.by().size(); i++) {
                String key = a.by().get(i);
                if (key == null || !AffinityRule.KEYS.contains(key)) {
                    errors.add(new FieldError(at + ".by[" + i + "]", "must be attributes.accountId, emailDomain or company"));
                } else if (by.contains(key)) {
                    errors.add(new FieldError(at + ".by[" + i + "]", "is named twice"));
                } else {
                    by.add(key);
                }
            }
        }
        Duration window = duration(a.window(), base.window(), Duration.ofMinutes(1), Duration.ofDays(730), at + ".window", errors);
        Set<String> freeMail = base.freeMailDomains();
        if (a.freeMailDomains() != null) {
            if (a.freeMailDomains().size() > MAX_VALUES) {
                errors.add(new FieldError(at + ".freeMailDomains", "must name at most " + MAX_VALUES + " domains"));
            }
            freeMail = new HashSet<>();
            for (int i = 0; i < a.freeMailDomains().size() && i < MAX_VALUES; i++) {
                String domain = a.freeMailDomains().get(i);
                if (domain == null || !FREE_MAIL_DOMAIN.matcher(domain).matches()) {
                    errors.add(new FieldError(at + ".freeMailDomains[" + i + "]",
                            "must be a lower-case domain such as example.com, or example.* for every domain of a provider"));
                } else {
                    freeMail.add(domain);
                }
            }
        }
        return new AffinityRule(List.copyOf(by), window, Set.copyOf(freeMail));
    }

    /** At most this many calendars, and dates in each: every offer checks a rep's local day against them. */
    static final int MAX_HOLIDAY_CALENDARS = 50;
    static final int MAX_HOLIDAY_DATES = 400;
    /** Teams, and regions, one calendar may list. */
    static final int MAX_HOLIDAY_SCOPE = 100;
    private static final Pattern REGION = Pattern.compile("^[A-Z]{2}(-[A-Z0-9]{1,3})?$");
    private static final Pattern DATE = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");

    private static List<HolidayCalendar> holidays(List<PolicyDocument.Holiday> calendars, List<FieldError> errors) {
        if (calendars == null) {
            return List.of();
        }
        if (calendars.size() > MAX_HOLIDAY_CALENDARS) {
            errors.add(new FieldError("holidays", "must hold at most " + MAX_HOLIDAY_CALENDARS + " calendars"));
            return List.of();
        }
        List<HolidayCalendar> compiled = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < calendars.size(); i++) {
            PolicyDocument.Holiday calendar = calendars.get(i);
            String at = "holidays[" + i + "]";
            if (calendar == null) {
                errors.add(new FieldError(at, "must be a calendar object"));
                continue;
            }
            int before = errors.size();
            if (calendar.name() == null || calendar.name().isBlank() || calendar.name().length() > 100) {
                errors.add(new FieldError(at + ".name", "is required, 1 to 100 characters"));
            } else if (!names.add(calendar.name())) {
                errors.add(new FieldError(at + ".name", "is used by another calendar"));
            }
            Set<LocalDate> dates = new HashSet<>();
            if (calendar.dates() == null || calendar.dates().isEmpty()) {
                errors.add(new FieldError(at + ".dates", "is required: at least one YYYY-MM-DD date"));
            } else if (calendar.dates().size() > MAX_HOLIDAY_DATES) {
                errors.add(new FieldError(at + ".dates", "must hold at most " + MAX_HOLIDAY_DATES + " dates"));
            } else {
                for (int d = 0; d < calendar.dates().size(); d++) {
                    LocalDate date = date(calendar.dates().get(d));
                    if (date == null) {
                        errors.add(new FieldError(at + ".dates[" + d + "]", "must be a date YYYY-MM-DD"));
                    } else {
                        dates.add(date);
                    }
                }
            }
            Set<String> teams = scope(calendar.teams(), NAME, "a team name of letters, digits, . _ -", at + ".teams", errors);
            Set<String> regions = scope(calendar.regions(), REGION, "an ISO country (DE) or subdivision (DE-BY) code",
                    at + ".regions", errors);
            if (errors.size() == before) {
                compiled.add(new HolidayCalendar(calendar.name(), dates, teams, regions));
            }
        }
        return List.copyOf(compiled);
    }

    private static LocalDate date(String text) {
        if (text == null || !DATE.matcher(text).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Set<String> scope(List<String> values, Pattern pattern, String rule, String at, List<FieldError> errors) {
        if (values == null) {
            return Set.of();
        }
        if (values.size() > MAX_HOLIDAY_SCOPE) {
            errors.add(new FieldError(at, "must hold at most " + MAX_HOLIDAY_SCOPE + " entries"));
            return Set.of();
        }
        Set<String> valid = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || !pattern.matcher(values.get(i)).matches()) {
                errors.add(new FieldError(at + "[" + i + "]", "must be " + rule));
            } else {
                valid.add(values.get(i));
            }
        }
        return valid;
    }

    private static Weights weights(PolicyDocument.ScoreWeights w, Weights base, String at, List<FieldError> errors) {
        if (w == null) {
            return base;
        }
        Weights weights = new Weights(
                number(w.skill(), base.skill(), 0, 10, at + ".skill", errors),
                number(w.language(), base.language(), 0, 10, at + ".language", errors),
                number(w.territory(), base.territory(), 0, 10, at + ".territory", errors),
                number(w.valueTierFit(), base.valueTierFit(), 0, 10, at + ".valueTierFit", errors),
                number(w.fairness(), base.fairness(), 0, 10, at + ".fairness", errors),
                number(w.idle(), base.idle(), 0, 10, at + ".idle", errors),
                number(w.headroom(), base.headroom(), 0, 10, at + ".headroom", errors));
        if (weights.skill() + weights.language() + weights.territory() + weights.valueTierFit() + weights.fairness()
                + weights.idle() + weights.headroom() == 0) {
            errors.add(new FieldError(at, "at least one weight must be above 0"));
        }
        return weights;
    }

    private static List<Criterion> criteria(List<String> names, String at, List<FieldError> errors) {
        List<Criterion> criteria = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Criterion criterion = criterion(names.get(i));
            if (criterion == null) {
                errors.add(new FieldError(at + "[" + i + "]", "must be one of territory, language, skills, tier"));
            } else if (criteria.contains(criterion)) {
                errors.add(new FieldError(at + "[" + i + "]", "is listed twice"));
            } else {
                criteria.add(criterion);
            }
        }
        return List.copyOf(criteria);
    }

    private static Criterion criterion(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "territory" -> Criterion.TERRITORY;
            case "language" -> Criterion.LANGUAGE;
            case "skills" -> Criterion.SKILLS;
            case "tier" -> Criterion.TIER;
            default -> null;
        };
    }

    private static LeadRule then(PolicyDocument.Then then, String name, Condition when, String at, List<FieldError> errors) {
        if (then == null) {
            errors.add(new FieldError(at, "is required"));
            return null;
        }
        if (then.priority() == null && then.priorityBoost() == null && then.scoreBoost() == null && then.loadPoints() == null
                && then.tiers() == null && then.requiredSkills() == null && then.team() == null) {
            errors.add(new FieldError(at, "must set at least one of priority, priorityBoost, scoreBoost, loadPoints, tiers, requiredSkills,"
                    + " team"));
            return null;
        }
        if (then.team() != null && !NAME.matcher(then.team()).matches()) {
            errors.add(new FieldError(at + ".team", "must be a team name of letters, digits, . _ -"));
        }
        Integer priority = then.priority() == null ? null : integer(then.priority(), 0, 0, Policy.MAX_PRIORITY, at + ".priority", errors);
        int priorityBoost = integer(then.priorityBoost(), 0, -100, 100, at + ".priorityBoost", errors);
        int scoreBoost = integer(then.scoreBoost(), 0, -100, 100, at + ".scoreBoost", errors);
        Integer loadPoints = then.loadPoints() == null ? null : integer(then.loadPoints(), 1, 1, 100, at + ".loadPoints", errors);
        List<Integer> tiers = new ArrayList<>();
        if (then.tiers() != null) {
            if (then.tiers().isEmpty()) {
                errors.add(new FieldError(at + ".tiers", "must name at least one tier"));
            }
            for (int i = 0; i < then.tiers().size(); i++) {
                tiers.add(integer(then.tiers().get(i), 1, 1, 10, at + ".tiers[" + i + "]", errors, true));
            }
        }
        Map<String, Integer> skills = new LinkedHashMap<>();
        if (then.requiredSkills() != null) {
            then.requiredSkills().forEach((skill, level) -> {
                if (!SKILL.matcher(skill).matches()) {
                    errors.add(new FieldError(at + ".requiredSkills." + skill, "must be a skill name of a-z, 0-9, _ . -"));
                } else {
                    skills.put(skill, integer(level, 1, 1, 5, at + ".requiredSkills." + skill, errors, true));
                }
            });
        }
        return when == null ? null
                : new LeadRule(name, when, priority, priorityBoost, scoreBoost, loadPoints, List.copyOf(tiers), Map.copyOf(skills),
                        then.team());
    }

    /** What the rules compiled so far take of the policy's bounds. */
    private static final class Budget {
        int conditions;
        /** RE2 instructions of the {@code matches} expressions. */
        int instructions;
    }

    /** Compiles a condition node, reporting every problem at its path; {@code budget} adds up what is compiled. */
    private static Condition condition(JsonNode node, String at, int depth, Budget budget, List<FieldError> errors) {
        if (!node.isObject()) {
            return fail(errors, at, "must be an object: {\"field\", \"op\", \"value\"}, {\"all\"}, {\"any\"} or {\"not\"}");
        }
        if (depth > MAX_DEPTH) {
            return fail(errors, at, "nests deeper than " + MAX_DEPTH + " levels");
        }
        budget.conditions++;
        if (node.has("all") || node.has("any")) {
            String key = node.has("all") ? "all" : "any";
            if (!only(node, Set.of(key), at, errors)) {
                return null;
            }
            JsonNode list = node.get(key);
            if (!list.isArray() || list.isEmpty()) {
                return fail(errors, at + "." + key, "must be a non-empty array of conditions");
            }
            List<Condition> parts = new ArrayList<>();
            for (int i = 0; i < list.size() && budget.conditions <= MAX_CONDITIONS; i++) {
                parts.add(condition(list.get(i), at + "." + key + "[" + i + "]", depth + 1, budget, errors));
            }
            if (parts.contains(null) || parts.size() < list.size()) {
                return null;
            }
            return key.equals("all") ? new Condition.All(List.copyOf(parts)) : new Condition.Any(List.copyOf(parts));
        }
        if (node.has("not")) {
            if (!only(node, Set.of("not"), at, errors)) {
                return null;
            }
            Condition inner = condition(node.get("not"), at + ".not", depth + 1, budget, errors);
            return inner == null ? null : new Condition.Not(inner);
        }
        if (!only(node, Set.of("field", "op", "value"), at, errors)) {
            return null;
        }
        JsonNode field = node.get("field");
        if (field == null || !field.isTextual()) {
            return fail(errors, at + ".field", "is required: a lead field or attributes.<name>");
        }
        String name = field.asText();
        if (!LEAD_FIELDS.contains(name) && !(name.startsWith("attributes.") && name.length() > "attributes.".length()
                && name.length() <= MAX_VALUE_TEXT)) {
            return fail(errors, at + ".field", "must be one of " + new java.util.TreeSet<>(LEAD_FIELDS) + " or attributes.<name>");
        }
        JsonNode opNode = node.get("op");
        Condition.Op op = opNode == null || !opNode.isTextual() ? null : op(opNode.asText());
        if (op == null) {
            return fail(errors, at + ".op", "must be one of eq, ne, gt, gte, lt, lte, in, notIn, contains, startsWith, matches, exists");
        }
        JsonNode value = node.get("value");
        return switch (op) {
            case EXISTS -> value == null || value.isBoolean()
                    ? new Condition.Compare(name, op, value == null || value.asBoolean(), null)
                    : fail(errors, at + ".value", "must be true or false for exists");
            case IN, NOT_IN -> {
                if (value == null || !value.isArray() || value.isEmpty() || value.size() > MAX_VALUES || !allScalar(value)) {
                    yield fail(errors, at + ".value", "must be an array of 1 to " + MAX_VALUES + " strings or numbers");
                }
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    values.add(scalar(value.get(i), at + ".value[" + i + "]", errors));
                }
                yield values.contains(null) ? null : new Condition.Compare(name, op, List.copyOf(values), null);
            }
            case MATCHES -> {
                if (value == null || !value.isTextual() || value.asText().length() > MAX_VALUE_TEXT) {
                    yield fail(errors, at + ".value", "must be a regular expression of at most " + MAX_VALUE_TEXT + " characters");
                }
                try {
                    com.google.re2j.Pattern pattern = MatchesExpression.compile(value.asText(), MAX_INSTRUCTIONS - budget.instructions);
                    budget.instructions += pattern.programSize();
                    yield new Condition.Compare(name, op, value.asText(), pattern);
                } catch (MatchesExpression.Refused refused) {
                    yield fail(errors, at + ".value", refused.getMessage());
                }
            }
            default -> {
                if (value == null || !(value.isTextual() || value.isNumber() || value.isBoolean())) {
                    yield fail(errors, at + ".value", "must be a string, number or boolean");
                }
                Object scalar = scalar(value, at + ".value", errors);
                yield scalar == null ? null : new Condition.Compare(name, op, scalar, null);
            }
        };
    }

    private static DuplicateRule duplicates(PolicyDocument.Duplicates d, List<FieldError> errors) {
        if (d == null) {
            return DuplicateRule.DEFAULT;
        }
        List<String> keys = DuplicateRule.DEFAULT.keys();
        if (d.keys() != null) {
            if (d.keys().size() > MAX_DUPLICATE_KEYS) {
                errors.add(new FieldError("duplicates.keys", "must name at most " + MAX_DUPLICATE_KEYS + " keys"));
            }
            keys = new ArrayList<>();
            for (int i = 0; i < d.keys().size() && i < MAX_DUPLICATE_KEYS; i++) {
                String key = d.keys().get(i);
                if (key == null || !(DUPLICATE_KEYS.contains(key) || key.startsWith("attributes.")
                        && NAME.matcher(key.substring("attributes.".length())).matches())) {
                    errors.add(new FieldError("duplicates.keys[" + i + "]", "must be email, phone, externalId or attributes.<name>"));
                } else if (keys.contains(key)) {
                    errors.add(new FieldError("duplicates.keys[" + i + "]", "is named twice"));
                } else {
                    keys.add(key);
                }
            }
        }
        Duration window = duration(d.window(), DuplicateRule.DEFAULT.window(), Duration.ofMinutes(1), Duration.ofDays(365),
                "duplicates.window", errors);
        return new DuplicateRule(List.copyOf(keys), window);
    }

    private static boolean only(JsonNode node, Set<String> allowed, String at, List<FieldError> errors) {
        boolean ok = true;
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String key = names.next();
            if (!allowed.contains(key)) {
                errors.add(new FieldError(at + "." + key, "unknown field"));
                ok = false;
            }
        }
        return ok;
    }

    private static boolean allScalar(JsonNode array) {
        for (JsonNode v : array) {
            if (!(v.isTextual() || v.isNumber())) {
                return false;
            }
        }
        return true;
    }

    /** A value to compare with: a number rules can compare, or text of at most {@link #MAX_VALUE_TEXT} characters; null when it is neither. */
    private static Object scalar(JsonNode v, String at, List<FieldError> errors) {
        if (v.isNumber()) {
            if ((v.isDouble() && !Double.isFinite(v.doubleValue())) || ComparableNumber.of(v.decimalValue()) == null) {
                return fail(errors, at, "must be a finite number of at most " + ComparableNumber.MAX_TEXT + " digits");
            }
            return v.decimalValue();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.asText().length() <= MAX_VALUE_TEXT ? v.asText()
                : fail(errors, at, "must be at most " + MAX_VALUE_TEXT + " characters");
    }

    private static Condition.Op op(String name) {
        Function<String, String> snake = s -> s.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        if (!name.equals(name.toLowerCase(Locale.ROOT)) && !name.equals("notIn") && !name.equals("startsWith")) {
            return null;
        }
        try {
            return Condition.Op.valueOf(snake.apply(name));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static <T> T fail(List<FieldError> errors, String at, String reason) {
        errors.add(new FieldError(at, reason));
        return null;
    }

    private static Duration duration(Duration value, Duration base, Duration min, Duration max, String at, List<FieldError> errors) {
        if (value == null) {
            return base;
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            errors.add(new FieldError(at, "must be between " + min + " and " + max));
            return base;
        }
        return value;
    }

    private static int integer(Integer value, int base, int min, int max, String at, List<FieldError> errors) {
        return integer(value, base, min, max, at, errors, false);
    }

    private static int integer(Integer value, int base, int min, int max, String at, List<FieldError> errors, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(at, "is required"));
            }
            return base;
        }
        if (value < min || value > max) {
            errors.add(new FieldError(at, "must be between " + min + " and " + max));
            return base;
        }
        return value;
    }

    private static double number(Double value, double base, double min, double max, String at, List<FieldError> errors) {
        if (value == null) {
            return base;
        }
        if (value.isNaN() || value < min || value > max) {
            errors.add(new FieldError(at, "must be between " + min + " and " + max));
            return base;
        }
        return value;
    }
}
