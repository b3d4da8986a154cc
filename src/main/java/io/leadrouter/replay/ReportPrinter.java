package io.leadrouter.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import io.leadrouter.routing.ShadowComparison;

/** Plain-text tables of one replay, or of two policies over the same day side by side. */
public final class ReportPrinter {

    private ReportPrinter() {
    }

    public static String print(ReplayReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Replay of ").append(report.scenario()).append(" with policy ").append(report.policy())
                .append(", seed ").append(report.seed()).append("\n\n");
        List<String[]> summary = new ArrayList<>();
        summary.add(new String[] { "metric", "value" });
        metrics().forEach((label, metric) -> summary.add(new String[] { label, metric.apply(report) }));
        table(out, summary);
        out.append("\nFairness by team (assignments per weight)\n");
        List<String[]> teams = new ArrayList<>();
        teams.add(new String[] { "team", "reps", "assigned", "value", "max/min", "gini" });
        report.teams().forEach(t -> teams.add(new String[] { t.team(), String.valueOf(t.reps()), String.valueOf(t.assigned()),
                money(t.value()), ratio(t.maxMinRatio()), decimal(t.gini()) }));
        table(out, teams);
        out.append("\nValue by rep tier\n");
        List<String[]> tiers = new ArrayList<>();
        tiers.add(new String[] { "tier", "assigned", "value" });
        report.valueByTier().forEach(t -> tiers.add(new String[] { t.tier(), String.valueOf(t.assigned()), money(t.value()) }));
        table(out, tiers);
        out.append("\nReps\n");
        List<String[]> reps = new ArrayList<>();
        reps.add(new String[] { "rep", "team", "tier", "weight", "assigned", "expected", "ratio", "value" });
        report.reps().forEach(r -> reps.add(new String[] { r.rep(), r.team(), r.tier() == null ? "-" : r.tier().toString(),
                decimal(r.weight()), String.valueOf(r.assigned()), decimal(r.expected()), ratio(r.ratio()), money(r.value()) }));
        table(out, reps);
        return out.toString();
    }

    /** Two replays of the same day under two policies: every metric, team and rep side by side. */
    public static String compare(ReplayReport a, ReplayReport b) {
        StringBuilder out = new StringBuilder();
        out.append("Replay of ").append(a.scenario()).append(", seed ").append(a.seed()).append(": A = ")
                .append(a.policy()).append(", B = ").append(b.policy()).append("\n\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "metric", "A", "B" });
        metrics().forEach((label, metric) -> rows.add(new String[] { label, metric.apply(a), metric.apply(b) }));
        for (ReplayReport.TeamRow teamA : a.teams()) {
            ReplayReport.TeamRow teamB = b.teams().stream().filter(t -> t.team().equals(teamA.team())).findFirst().orElse(null);
            rows.add(new String[] { teamA.team() + " max/min", ratio(teamA.maxMinRatio()),
                    teamB == null ? "-" : ratio(teamB.maxMinRatio()) });
            rows.add(new String[] { teamA.team() + " gini", decimal(teamA.gini()), teamB == null ? "-" : decimal(teamB.gini()) });
        }
        TreeSet<String> tierNames = new TreeSet<>();
        a.valueByTier().forEach(t -> tierNames.add(t.tier()));
        b.valueByTier().forEach(t -> tierNames.add(t.tier()));
        for (String tier : tierNames) {
            rows.add(new String[] { "value to " + tier, tierValue(a, tier), tierValue(b, tier) });
        }
        table(out, rows);
        out.append("\nAssigned per rep\n");
        List<String[]> reps = new ArrayList<>();
        reps.add(new String[] { "rep", "team", "tier", "weight", "A assigned", "A ratio", "B assigned", "B ratio" });
        for (ReplayReport.RepRow repA : a.reps()) {
            ReplayReport.RepRow repB = b.reps().stream().filter(r -> r.rep().equals(repA.rep())).findFirst().orElse(null);
            reps.add(new String[] { repA.rep(), repA.team(), repA.tier() == null ? "-" : repA.tier().toString(),
                    decimal(repA.weight()), String.valueOf(repA.assigned()), ratio(repA.ratio()),
                    repB == null ? "-" : String.valueOf(repB.assigned()), repB == null ? "-" : ratio(repB.ratio()) });
        }
        table(out, reps);
        return out.toString();
    }

    /** The replay's decisions against the shadow policy's, as {@code GET /routing/policy/shadow/report} shows them. */
    public static String shadow(ReplayReport report) {
        ShadowComparison.Report comparison = report.shadow().comparison();
        StringBuilder out = new StringBuilder();
        out.append("Shadow ").append(report.shadow().policy()).append(" against ").append(report.policy()).append(": ")
                .append(comparison.agreed()).append(" of ").append(comparison.decisions()).append(" decisions agree (")
                .append(comparison.agreementRate() == null ? "-" : percent(comparison.agreementRate())).append(")\n\n");
        List<String[]> teams = new ArrayList<>();
        teams.add(new String[] { "team", "decisions", "agreement", "live max/min", "shadow max/min", "live gini", "shadow gini" });
        comparison.teams().forEach(t -> teams.add(new String[] { t.team(), String.valueOf(t.decisions()),
                t.agreementRate() == null ? "-" : percent(t.agreementRate()), ratio(t.live().maxMinRatio()),
                ratio(t.shadow().maxMinRatio()), decimal(t.live().gini()), decimal(t.shadow().gini()) }));
        table(out, teams);
        out.append("\nValue by tier of the chosen rep (decisions)\n");
        List<String[]> tiers = new ArrayList<>();
        tiers.add(new String[] { "tier", "live value", "live", "shadow value", "shadow" });
        comparison.valueByTier().forEach(t -> tiers.add(new String[] { t.tier(), money(t.liveValue()),
                String.valueOf(t.liveDecisions()), money(t.shadowValue()), String.valueOf(t.shadowDecisions()) }));
        table(out, tiers);
        out.append("\nWho would have got what (decisions)\n");
        List<String[]> reps = new ArrayList<>();
        reps.add(new String[] { "rep", "team", "weight", "live", "shadow" });
        comparison.reps().forEach(r -> reps.add(new String[] { r.repId(), r.team(), decimal(r.weight()), String.valueOf(r.live()),
                String.valueOf(r.shadow()) }));
        table(out, reps);
        if (!comparison.disagreements().isEmpty()) {
            out.append("\nFirst disagreements\n");
            List<String[]> sample = new ArrayList<>();
            sample.add(new String[] { "lead", "team", "live", "shadow" });
            comparison.disagreements().forEach(d -> sample.add(new String[] { d.leadId().toString(), d.team(),
                    d.liveRepId() == null ? ShadowComparison.NOBODY : d.liveRepId(),
                    d.shadowRepId() == null ? ShadowComparison.NOBODY : d.shadowRepId() }));
            table(out, sample);
        }
        return out.toString();
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f %%", rate * 100);
    }

    private static Map<String, Function<ReplayReport, String>> metrics() {
        Map<String, Function<ReplayReport, String>> metrics = new LinkedHashMap<>();
        metrics.put("leads", r -> String.valueOf(r.leads()));
        metrics.put("assigned at end (closed)", r -> r.outcome().assigned() + " (" + r.outcome().closed() + ")");
        metrics.put("queued at end", r -> String.valueOf(r.outcome().queued()));
        metrics.put("under offer at end", r -> String.valueOf(r.outcome().offered()));
        metrics.put("held at end", r -> String.valueOf(r.outcome().held()));
        metrics.put("offers made", r -> String.valueOf(r.offers().made()));
        metrics.put("offers accepted", r -> String.valueOf(r.offers().accepted()));
        metrics.put("offers declined", r -> String.valueOf(r.offers().declined()));
        metrics.put("offers lapsed", r -> String.valueOf(r.offers().lapsed()));
        metrics.put("held, no qualified rep", r -> String.valueOf(r.heldByReason().getOrDefault(Simulation.NO_QUALIFIED_REP, 0)));
        metrics.put("held, max attempts", r -> String.valueOf(r.heldByReason().getOrDefault(Simulation.MAX_ATTEMPTS, 0)));
        metrics.put("escalated", r -> String.valueOf(r.escalated()));
        metrics.put("held again after escalation", r -> String.valueOf(r.heldAfterEscalation()));
        metrics.put("taken back untended", r -> String.valueOf(r.takenBack()));
        metrics.put("wait p50", r -> duration(r.waiting().p50()));
        metrics.put("wait p90", r -> duration(r.waiting().p90()));
        metrics.put("wait p99", r -> duration(r.waiting().p99()));
        metrics.put("wait max", r -> duration(r.waiting().max()));
        metrics.put("violations", r -> r.violationCount() == 0 ? "0" : r.violationCount() + " " + r.violations());
        return metrics;
    }

    private static String tierValue(ReplayReport report, String tier) {
        return report.valueByTier().stream().filter(t -> t.tier().equals(tier)).findFirst()
                .map(t -> money(t.value()) + " (" + t.assigned() + ")").orElse("-");
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // first column left-aligned (names), the rest right-aligned (numbers)
                line.append(i == 0 ? String.format("%-" + widths[i] + "s", row[i]) : String.format("  %" + widths[i] + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    static String duration(Long seconds) {
        if (seconds == null) {
            return "-";
        }
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", seconds / 3600, seconds % 3600 / 60, seconds % 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }

    private static String ratio(Double ratio) {
        return ratio == null ? "unbounded" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String money(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }
}
