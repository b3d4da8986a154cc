package io.leadrouter.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadrouter.routing.RepFacts;

class AdapterTest {

    @Test
    void productNamesMatchWhateverTheirSpacingAndCase() {
        assertThat(CrmDataset.productKey("GTXPro")).isEqualTo(CrmDataset.productKey("GTX Pro"))
                .isEqualTo(CrmDataset.productKey(" gtx  pro "));
        assertThat(CrmDataset.productKey("GTX Plus Pro")).isNotEqualTo(CrmDataset.productKey("GTX Pro"));
    }

    @Test
    void aMessyOpportunityBecomesALeadWithTheListPriceAndNoUnknownFields() {
        Map<String, CrmDataset.Product> products = Map.of(CrmDataset.productKey("GTX Pro"),
                new CrmDataset.Product("GTX Pro", "GTX", 4821));
        Map<String, String> row = Map.of("opportunity_id", "OPP1", "sales_agent", "Anna", "product", "GTXPro", "account", "",
                "deal_stage", "Engaging", "engage_date", "2017-07-22", "close_date", "", "close_value", "");

        ScenarioLead lead = CrmDataset.lead(row, "Central", Map.of(), products, 1, TestScenarios.DAY);

        assertThat(lead.fields()).containsEntry("product", "GTX Pro").containsEntry("value", 4821.0)
                .doesNotContainKeys("company", "country", "industry");
        assertThat(lead.team()).isEqualTo("Central");
        assertThat(lead.id()).isEqualTo(CrmDataset.lead(row, "Central", Map.of(), products, 2, TestScenarios.DAY).id());
    }

    @Test
    void countriesMapToIsoCodesAndUnknownOnesToNull() {
        assertThat(CrmDataset.country("United States")).isEqualTo("US");
        assertThat(CrmDataset.country("Philipines")).isEqualTo("PH");
        assertThat(CrmDataset.country("Atlantis")).isNull();
        assertThat(CrmDataset.country("")).isNull();
    }

    @Test
    void theCrmRosterHasEveryAgentWithTiersAndSkillsFromHistory() throws Exception {
        Scenario day = CrmDataset.load(CrmReplayTest.CRM, new CrmDataset.Selection(LocalDate.parse("2017-07-22"), 1),
                BehaviourModel.DEFAULT, 1);

        List<RepFacts> reps = day.reps().stream().map(SimulatedRep::facts).toList();
        assertThat(reps).hasSize(35);
        assertThat(reps).extracting(RepFacts::team).containsOnly("Central", "East", "West");
        assertThat(reps).extracting(RepFacts::tier).containsOnly(1, 2, 3);
        assertThat(reps).allSatisfy(r -> assertThat(r.skills()).containsKey("gtx"));
        assertThat(reps).anySatisfy(r -> assertThat(r.skills().getOrDefault("gtk", 0)).isGreaterThanOrEqualTo(3));
        assertThat(day.leads()).hasSize(66).allSatisfy(l -> assertThat(l.arrival()).isAfter(day.dayStart()));
    }

    @Test
    void xEducationPlaceholdersAreUnknownAndLeadQualityBecomesTheScore() {
        Map<String, String> row = Map.of("Prospect ID", "p-1", "Lead Source", "Google", "Country", "Select",
                "Specialization", "Select", "City", "", "Lead Quality", "High in Relevance",
                "Asymmetrique Activity Score", "14", "Lead Origin", "API");

        ScenarioLead lead = XEducationDataset.lead(row, 1, TestScenarios.DAY);

        assertThat(lead.team()).isEqualTo(XEducationDataset.INDIA);
        assertThat(lead.fields()).containsEntry("source", "Google").doesNotContainKeys("country", "industry");
        assertThat(lead.crmScore()).isEqualTo(90);
        assertThat(XEducationDataset.score(Map.of("Lead Quality", "", "Asymmetrique Activity Score", "14"))).isEqualTo(60);
        assertThat(XEducationDataset.score(Map.of("Lead Quality", ""))).isNull();
        assertThat(XEducationDataset.lead(Map.of("Prospect ID", "p-2", "Country", "Qatar"), 1, TestScenarios.DAY).team())
                .isEqualTo(XEducationDataset.INTERNATIONAL);
    }

    @Test
    void theXEducationFileReplaysWithoutViolations() throws Exception {
        Scenario day = XEducationDataset.load(TestScenarios.DATA.resolve("x-education-leads.csv"), 300, 12,
                BehaviourModel.DEFAULT, 3);

        ReplayReport report = new Simulation(new io.leadrouter.policy.PolicyCompiler(ReplayCommand.BUILT_IN).builtInPolicy(),
                "built-in", 3).run(day);

        assertThat(report.leads()).isEqualTo(300);
        assertThat(report.violations()).isEmpty();
        assertThat(report.outcome().total()).isEqualTo(300);
    }
}
