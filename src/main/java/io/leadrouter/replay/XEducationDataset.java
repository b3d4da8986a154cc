package io.leadrouter.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.leadrouter.routing.RepFacts;

/**
 * The X Education lead-scoring data as a replay: the first N leads of the file on one simulated
 * day, Indian (and country-less) leads to team India, the rest to team International. The file has
 * no reps, so the roster is synthetic; see docs/replay.md.
 */
public final class XEducationDataset {

    static final String INDIA = "India";
    static final String INTERNATIONAL = "International";
    static final int MAX_LOAD = 6;
    /** A fixed simulated date (a Monday): the file has no dates. */
    static final LocalDate DAY = LocalDate.of(2024, 1, 8);

    private static final Map<String, String> COUNTRIES = Map.ofEntries(Map.entry("india", "IN"),
            Map.entry("united states", "US"), Map.entry("united arab emirates", "AE"), Map.entry("singapore", "SG"),
            Map.entry("saudi arabia", "SA"), Map.entry("united kingdom", "GB"), Map.entry("australia", "AU"),
            Map.entry("qatar", "QA"), Map.entry("bahrain", "BH"), Map.entry("hong kong", "HK"), Map.entry("oman", "OM"),
            Map.entry("france", "FR"), Map.entry("germany", "DE"), Map.entry("canada", "CA"), Map.entry("nigeria", "NG"),
            Map.entry("kuwait", "KW"), Map.entry("south africa", "ZA"), Map.entry("sweden", "SE"));

    /** The "Lead Quality" judgement as a CRM score. */
    private static final Map<String, Integer> QUALITY_SCORE = Map.of("High in Relevance", 90, "Might be", 60, "Not Sure", 45,
            "Low in Relevance", 25, "Worst", 5);

    /** What international reps cover: two regional desks, the rest generalists without territories. */
    private static final List<Set<String>> INTERNATIONAL_DESKS = List.of(Set.of("AE", "SA", "QA", "BH", "OM", "KW"),
            Set.of("US", "GB", "AU", "SG", "HK", "CA"), Set.of());

    private XEducationDataset() {
    }

    public static Scenario load(Path file, int leadCount, int repCount, BehaviourModel behaviour, long seed)
            throws IOException {
        Instant dayStart = DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<ScenarioLead> leads = new ArrayList<>();
        for (Map<String, String> row : Csv.read(file)) {
            if (leads.size() == leadCount) {
                break;
            }
            if (!known(row.get("Prospect ID"))) {
                continue;
            }
            leads.add(lead(row, seed, dayStart));
        }
        leads.sort(Comparator.comparing(ScenarioLead::arrival).thenComparing(ScenarioLead::sourceId));
        List<SimulatedRep> reps = roster(repCount).stream()
                .map(facts -> SimulatedRep.scheduled(facts, behaviour, dayStart, seed)).toList();
        return new Scenario("X Education, first " + leads.size() + " leads, " + repCount + " synthetic reps", dayStart,
                reps, leads, behaviour);
    }

    static ScenarioLead lead(Map<String, String> row, long seed, Instant dayStart) {
        String id = row.get("Prospect ID");
        String country = country(row.get("Country"));
        String team = country == null || country.equals("IN") ? INDIA : INTERNATIONAL;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("externalId", id);
        putKnown(fields, "source", row.get("Lead Source"));
        putKnown(fields, "industry", row.get("Specialization"));
        if (country != null) {
            fields.put("country", country);
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        putKnown(attributes, "origin", row.get("Lead Origin"));
        putKnown(attributes, "occupation", row.get("What is your current occupation"));
        putKnown(attributes, "city", row.get("City"));
        putKnown(attributes, "tags", row.get("Tags"));
        putKnown(attributes, "lastActivity", row.get("Last Activity"));
        fields.put("attributes", attributes);
        fields.put("team", team);
        return new ScenarioLead(id, Seeds.arrivalWithin(seed, id, dayStart), team, fields, score(row), Map.of());
    }

    /** Lead Quality when judged; else the activity score (8..18 in the data) scaled to 0..100; else none. */
    static Integer score(Map<String, String> row) {
        Integer quality = QUALITY_SCORE.get(row.getOrDefault("Lead Quality", "").strip());
        if (quality != null) {
            return quality;
        }
        Double activity = CrmDataset.number(row.get("Asymmetrique Activity Score"));
        return activity == null ? null : (int) Math.max(0, Math.min(100, Math.round((activity - 8) * 10)));
    }

    /**
     * A synthetic roster: 70% in team India (English and Hindi, covering everything), the rest in
     * International (English; Gulf desk, Anglosphere/APAC desk, generalists in turn); tiers 1..3 in turn.
     */
    static List<RepFacts> roster(int count) {
        int international = Math.max(1, Math.round(count * 0.3f));
        List<RepFacts> reps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean india = i < count - international;
            int n = india ? i + 1 : i - (count - international) + 1;
            String team = india ? INDIA : INTERNATIONAL;
            String id = String.format(Locale.ROOT, "%s-%02d", india ? "in" : "intl", n);
            RepFacts base = RepFacts.of(id, team, MAX_LOAD);
            Set<String> territories = india ? Set.of() : INTERNATIONAL_DESKS.get((n - 1) % INTERNATIONAL_DESKS.size());
            reps.add(new RepFacts(id, team, true, base.presence(), true, MAX_LOAD, 0, Map.of(),
                    india ? Set.of("en", "hi") : Set.of("en"), territories, 1 + (n - 1) % 3, 1.0, base.zone(), Map.of(),
                    List.of(), RepFacts.Caps.NONE, RepFacts.Caps.ZERO, null, 0));
        }
        return reps;
    }

    static String country(String name) {
        return known(name) ? COUNTRIES.get(name.strip().toLowerCase(Locale.ROOT)) : null;
    }

    /** Blanks and the form's "Select" placeholder mean unknown. */
    static boolean known(String value) {
        return value != null && !value.isBlank() && !value.strip().equalsIgnoreCase("select");
    }

    private static void putKnown(Map<String, Object> fields, String name, String value) {
        if (known(value)) {
            fields.put(name, value.strip());
        }
    }
}
