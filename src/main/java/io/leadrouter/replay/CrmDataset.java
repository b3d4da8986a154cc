package io.leadrouter.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.leadrouter.routing.RepFacts;

/**
 * The CRM sales-opportunities sample as a replay: the 35 agents of {@code sales_teams.csv} are the
 * roster (team = regional office), and opportunities of {@code sales_pipeline.csv} are the leads,
 * routed to the team of the agent who historically had them. Tiers and skills derive from each
 * agent's history; see docs/replay.md.
 */
public final class CrmDataset {

    /** Skills are the product series, lower case: gtx, gtk, mg. */
    static final List<String> SERIES = List.of("GTX", "GTK", "MG");
    static final int MAX_LOAD = 6;
    /** Agents without any history are new hires: basic training in the volume series, junior tier. */
    static final int NEW_HIRE_LEVEL = 2;

    private static final Map<String, String> COUNTRIES = Map.ofEntries(Map.entry("united states", "US"),
            Map.entry("belgium", "BE"), Map.entry("brazil", "BR"), Map.entry("china", "CN"), Map.entry("germany", "DE"),
            Map.entry("italy", "IT"), Map.entry("japan", "JP"), Map.entry("jordan", "JO"), Map.entry("kenya", "KE"),
            Map.entry("korea", "KR"), Map.entry("norway", "NO"), Map.entry("panama", "PA"), Map.entry("philipines", "PH"),
            Map.entry("philippines", "PH"), Map.entry("poland", "PL"), Map.entry("romania", "RO"));

    /**
     * Which leads make the day.
     *
     * @param date replay the opportunities engaged on this date only; null: the {@code busiestDays}
     *     dates with the most engagements, laid onto one simulated day
     */
    public record Selection(LocalDate date, int busiestDays) {
    }

    record Product(String name, String series, double price) {
    }

    private CrmDataset() {
    }

    public static Scenario load(Path dir, Selection selection, BehaviourModel behaviour, long seed) throws IOException {
        Map<String, String> teamOf = new LinkedHashMap<>();
        for (Map<String, String> row : Csv.read(dir.resolve("sales_teams.csv"))) {
            teamOf.put(row.get("sales_agent"), row.get("regional_office"));
        }
        Map<String, Map<String, String>> accounts = new HashMap<>();
        for (Map<String, String> row : Csv.read(dir.resolve("accounts.csv"))) {
            accounts.put(row.get("account"), row);
        }
        Map<String, Product> products = new HashMap<>();
        for (Map<String, String> row : Csv.read(dir.resolve("products.csv"))) {
            products.put(productKey(row.get("product")), new Product(row.get("product"), row.get("series"),
                    Double.parseDouble(row.get("sales_price"))));
        }
        List<Map<String, String>> pipeline = Csv.read(dir.resolve("sales_pipeline.csv"));

        List<Map<String, String>> day = selectDay(pipeline, teamOf, selection);
        LocalDate simulatedDate = selection.date() != null ? selection.date()
                : day.stream().map(r -> LocalDate.parse(r.get("engage_date"))).max(Comparator.naturalOrder())
                        .orElse(LocalDate.of(2017, 1, 2));
        Instant dayStart = simulatedDate.atStartOfDay(ZoneOffset.UTC).toInstant();

        List<ScenarioLead> leads = new ArrayList<>();
        for (Map<String, String> row : day) {
            leads.add(lead(row, teamOf.get(row.get("sales_agent")), accounts, products, seed, dayStart));
        }
        leads.sort(Comparator.comparing(ScenarioLead::arrival).thenComparing(ScenarioLead::sourceId));

        List<SimulatedRep> reps = roster(teamOf, pipeline, products).stream()
                .map(facts -> SimulatedRep.scheduled(facts, behaviour, dayStart, seed)).toList();
        String name = "CRM " + (selection.date() != null ? selection.date()
                : "busiest " + selection.busiestDays() + " engage dates on one day");
        return new Scenario(name, dayStart, reps, leads, behaviour);
    }

    /** Engaged opportunities of known agents, of the chosen date or the busiest dates (ties: earlier date). */
    static List<Map<String, String>> selectDay(List<Map<String, String>> pipeline, Map<String, String> teamOf,
            Selection selection) {
        List<Map<String, String>> engaged = pipeline.stream()
                .filter(r -> !r.get("engage_date").isEmpty() && teamOf.containsKey(r.get("sales_agent"))).toList();
        Set<String> dates;
        if (selection.date() != null) {
            dates = Set.of(selection.date().toString());
        } else {
            Map<String, Long> perDate = engaged.stream()
                    .collect(Collectors.groupingBy(r -> r.get("engage_date"), TreeMap::new, Collectors.counting()));
            dates = perDate.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(selection.busiestDays()).map(Map.Entry::getKey).collect(Collectors.toSet());
        }
        return engaged.stream().filter(r -> dates.contains(r.get("engage_date"))).toList();
    }

    static ScenarioLead lead(Map<String, String> row, String team, Map<String, Map<String, String>> accounts,
            Map<String, Product> products, long seed, Instant dayStart) {
        String id = row.get("opportunity_id");
        Product product = products.get(productKey(row.get("product")));
        Map<String, String> account = accounts.get(row.get("account"));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("externalId", id);
        fields.put("product", product == null ? blankToNull(row.get("product")) : product.name());
        Double closeValue = number(row.get("close_value"));
        // a lost deal closes at 0: at intake its value was the list price, like an open one's
        Double value = closeValue != null && closeValue > 0 ? closeValue : product == null ? null : product.price();
        fields.put("value", value);
        fields.put("language", "en");
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (account != null) {
            fields.put("company", account.get("account"));
            fields.put("industry", blankToNull(account.get("sector")));
            fields.put("country", country(account.get("office_location")));
            attributes.put("revenue", number(account.get("revenue")));
            attributes.put("employees", number(account.get("employees")));
        }
        attributes.values().removeIf(v -> v == null);
        fields.values().removeIf(v -> v == null);
        fields.put("attributes", attributes);
        fields.put("team", team);
        return new ScenarioLead(id, Seeds.arrivalWithin(seed, id, dayStart), team, fields, null, Map.of());
    }

    /**
     * The 35 agents with facts derived from the whole pipeline: tier by won value within the team
     * (top third 1, middle 2, rest 3), skill per series 1..5 by the agent's opportunities in it
     * relative to the team's most experienced agent; weight 1, English, no territories.
     */
    static List<RepFacts> roster(Map<String, String> teamOf, List<Map<String, String>> pipeline,
            Map<String, Product> products) {
        Map<String, Double> won = new HashMap<>();
        Map<String, Map<String, Integer>> experience = new HashMap<>();
        for (Map<String, String> row : pipeline) {
            String agent = row.get("sales_agent");
            Product product = products.get(productKey(row.get("product")));
            if (product != null) {
                experience.computeIfAbsent(agent, a -> new HashMap<>()).merge(product.series(), 1, Integer::sum);
            }
            if ("Won".equals(row.get("deal_stage")) && number(row.get("close_value")) != null) {
                won.merge(agent, number(row.get("close_value")), Double::sum);
            }
        }
        Map<String, List<String>> byTeam = new TreeMap<>();
        teamOf.forEach((agent, team) -> byTeam.computeIfAbsent(team, t -> new ArrayList<>()).add(agent));
        List<RepFacts> reps = new ArrayList<>();
        byTeam.forEach((team, agents) -> {
            List<String> ranked = agents.stream().sorted(Comparator.comparing((String a) -> -won.getOrDefault(a, 0.0))
                    .thenComparing(a -> a)).toList();
            Map<String, Integer> mostInTeam = new HashMap<>();
            agents.forEach(a -> experience.getOrDefault(a, Map.of())
                    .forEach((series, n) -> mostInTeam.merge(series, n, Math::max)));
            int third = (agents.size() + 2) / 3;
            for (String agent : agents) {
                int tier = Math.min(3, 1 + ranked.indexOf(agent) / third);
                Map<String, Integer> skills = new TreeMap<>();
                for (String series : SERIES) {
                    int done = experience.getOrDefault(agent, Map.of()).getOrDefault(series, 0);
                    int level = done == 0 ? 0 : (int) Math.ceil(5.0 * done / mostInTeam.get(series));
                    if (!experience.containsKey(agent) && !series.equals("GTK")) {
                        level = NEW_HIRE_LEVEL;
                    }
                    if (level > 0) {
                        skills.put(series.toLowerCase(Locale.ROOT), level);
                    }
                }
                RepFacts base = RepFacts.of(agent, team, MAX_LOAD);
                reps.add(new RepFacts(agent, team, true, base.presence(), true, MAX_LOAD, 0, Map.copyOf(skills),
                        Set.of("en"), Set.of(), won.containsKey(agent) ? tier : 3, 1.0, base.zone(), Map.of(), List.of(),
                        RepFacts.Caps.NONE, RepFacts.Caps.ZERO, null, 0));
            }
        });
        return reps;
    }

    /** "GTXPro", "GTX Pro" and " gtx  pro " are one product. */
    static String productKey(String name) {
        return name == null ? "" : name.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }

    /** ISO 3166 code of an account's office country; null when blank or unknown. */
    static String country(String name) {
        return name == null ? null : COUNTRIES.get(name.strip().toLowerCase(Locale.ROOT));
    }

    static Double number(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
