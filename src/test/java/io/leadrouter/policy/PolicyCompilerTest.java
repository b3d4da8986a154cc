package io.leadrouter.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.leadrouter.common.Problem.FieldError;
import io.leadrouter.routing.Criterion;
import io.leadrouter.routing.ModeHysteresis;
import io.leadrouter.routing.RoutingRules;

class PolicyCompilerTest {

    static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    static final TeamPolicy BUILT_IN = new TeamPolicy(Duration.ofSeconds(30), 5, new ModeHysteresis(3, 1), RoutingRules.DEFAULT,
            new TeamPolicy.Aging(Duration.ofMinutes(5), 1, 5), Duration.ofMinutes(10), 0, 0, List.of(), null, false);
    static final PolicyCompiler COMPILER = new PolicyCompiler(BUILT_IN);

    static PolicyCompiler.Result compile(String json) throws Exception {
        return COMPILER.compile(JSON.readValue(json.replace('\'', '"'), PolicyDocument.class), 7);
    }

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                Arguments.of("{'defaults':{'maxAttempts':0}}", "defaults.maxAttempts"),
                Arguments.of("{'defaults':{'offerTimeout':'PT0.5S'}}", "defaults.offerTimeout"),
                Arguments.of("{'defaults':{'mode':{'pullAbove':1,'pushBelow':2}}}", "defaults.mode.pushBelow"),
                Arguments.of("{'defaults':{'weights':{'fairness':11}}}", "defaults.weights.fairness"),
                Arguments.of("{'defaults':{'weights':{'skill':0,'language':0,'territory':0,'valueTierFit':0,'fairness':0,'idle':0,'headroom':0}}}", "defaults.weights"),
                Arguments.of("{'defaults':{'fallback':['territory','mood']}}", "defaults.fallback[1]"),
                Arguments.of("{'defaults':{'fallback':['territory','territory']}}", "defaults.fallback[1]"),
                Arguments.of("{'defaults':{'fairnessPeriod':'month'}}", "defaults.fairnessPeriod"),
                Arguments.of("{'defaults':{'affinity':{'by':['phone']}}}", "defaults.affinity.by[0]"),
                Arguments.of("{'defaults':{'affinity':{'by':['company','company']}}}", "defaults.affinity.by[1]"),
                Arguments.of("{'defaults':{'affinity':{'window':'PT1S'}}}", "defaults.affinity.window"),
                Arguments.of("{'defaults':{'affinity':{'freeMailDomains':['Mail.Example']}}}", "defaults.affinity.freeMailDomains[0]"),
                Arguments.of("{'defaults':{'affinity':{'freeMailDomains':['*.example']}}}", "defaults.affinity.freeMailDomains[0]"),
                Arguments.of("{'defaults':{'valueTiers':[{'minValue':1000}]}}", "defaults.valueTiers[0]"),
                Arguments.of("{'defaults':{'escalation':{'relax':['everything']}}}", "defaults.escalation.relax[0]"),
                Arguments.of("{'teams':{'bad team':{}}}", "teams.bad team"),
                Arguments.of("{'teams':{'emea':{'maxAttempts':99}}}", "teams.emea.maxAttempts"),
                Arguments.of("{'rules':[{'when':{'field':'value','op':'gte','value':1},'then':{'priority':5}}]}", "rules[0].name"),
                Arguments.of("{'rules':[{'name':'a','then':{'priority':5}}]}", "rules[0].when"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'value','op':'gte','value':1}}]}", "rules[0].then"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'value','op':'gte','value':1},'then':{}}]}", "rules[0].then"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'value','op':'gte','value':1},'then':{'priority':101}}]}", "rules[0].then.priority"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'value','op':'gte','value':1},'then':{'loadPoints':0}}]}", "rules[0].then.loadPoints"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'value','op':'gte','value':1},'then':{'requiredSkills':{'saas':6}}}]}", "rules[0].then.requiredSkills.saas"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'salary','op':'gte','value':1},'then':{'priority':5}}]}", "rules[0].when.field"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'value','op':'bigger','value':1},'then':{'priority':5}}]}", "rules[0].when.op"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'value','op':'gte'},'then':{'priority':5}}]}", "rules[0].when.value"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'source','op':'in','value':[]},'then':{'priority':5}}]}", "rules[0].when.value"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'source','op':'matches','value':'('},'then':{'priority':5}}]}", "rules[0].when.value"),
                Arguments.of("{'rules':[{'name':'a','when':{'all':[]},'then':{'priority':5}}]}", "rules[0].when.all"),
                Arguments.of("{'rules':[{'name':'a','when':{'all':[{'field':'value','op':'gte','value':1},{'field':'x','op':'eq','value':1}]},'then':{'priority':5}}]}", "rules[0].when.all[1].field"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'value','op':'gte','value':1,'unless':true},'then':{'priority':5}}]}", "rules[0].when.unless"),
                Arguments.of("{'rules':[{'name':'a','when':{'not':'x'},'then':{'priority':5}}]}", "rules[0].when.not"),
                Arguments.of("{'rules':[{'name':'a','when':{'field':'value','op':'gte','value':1},'then':{'priority':5}},"
                        + "{'name':'a','when':{'field':'value','op':'gte','value':1},'then':{'priority':5}}]}", "rules[1].name"));
    }

    @ParameterizedTest
    @MethodSource("invalidDocuments")
    void anInvalidDocumentIsRefusedWithThePathOfTheError(String json, String field) throws Exception {
        PolicyCompiler.Result result = compile(json);
        assertThat(result.policy()).isNull();
        assertThat(result.errors()).extracting(FieldError::field).contains(field);
    }

    @Test
    void theDocumentedExamplePolicyIsValid() throws Exception {
        PolicyDocument example = JSON.readValue(java.nio.file.Path.of("docs/examples/crm-policy.json").toFile(), PolicyDocument.class);
        PolicyCompiler.Result result = COMPILER.compile(example, 1);
        assertThat(result.errors()).isEmpty();
        assertThat(result.policy().rules()).hasSize(5);
        assertThat(result.policy().forTeam("West").offerTimeout()).isEqualTo(Duration.ofSeconds(60));
        Policy.LeadScore gtk = result.policy().score(Map.of("product", "GTK 500", "value", 26_000, "industry", "software",
                "attributes", Map.of("revenue", 4000)), null, Map.of());
        assertThat(gtk.matchedRules()).containsExactly("GTK 500 deal to a senior GTK specialist", "large account",
                "technology and software accounts first");
        assertThat(gtk.priority()).isEqualTo(10);
        assertThat(gtk.tiers()).containsExactly(1);
    }

    @Test
    void anEmptyDocumentIsTheBuiltInPolicy() throws Exception {
        Policy policy = compile("{}").policy();
        assertThat(policy.version()).isEqualTo(7);
        assertThat(policy.forTeam("any")).isEqualTo(BUILT_IN);
    }

    @Test
    void teamSettingsOverrideTheDefaultsFieldByField() throws Exception {
        Policy policy = compile("""
                {'defaults': {'maxAttempts': 4, 'offerTimeout': 'PT20S', 'fallback': ['territory'], 'weights': {'fairness': 5}},
                 'teams': {'enterprise': {'offerTimeout': 'PT2M', 'requireLanguage': false, 'fairnessPeriod': 'week'}}}""").policy();
        TeamPolicy enterprise = policy.forTeam("enterprise");
        TeamPolicy other = policy.forTeam("smb");
        assertThat(other.maxAttempts()).isEqualTo(4);
        assertThat(other.offerTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(other.routing().fallback()).containsExactly(Criterion.TERRITORY);
        assertThat(other.routing().weights().fairness()).isEqualTo(5);
        assertThat(enterprise.maxAttempts()).isEqualTo(4);
        assertThat(enterprise.offerTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(enterprise.routing().requireLanguage()).isFalse();
        assertThat(enterprise.routing().weights().fairness()).isEqualTo(5);
        assertThat(enterprise.fairnessWeekly()).isTrue();
    }

    @Test
    void rulesScorePrioritiseWeighAndReserveLeads() throws Exception {
        Policy policy = compile("""
                {'rules': [
                  {'name': 'enterprise deal', 'when': {'all': [{'field': 'value', 'op': 'gte', 'value': 50000},
                                                              {'field': 'attributes.licence', 'op': 'eq', 'value': 'Enterprise'}]},
                   'then': {'priority': 9, 'loadPoints': 2, 'tiers': [1], 'requiredSkills': {'negotiation': 3}}},
                  {'name': 'referral', 'when': {'field': 'source', 'op': 'in', 'value': ['Referral', 'Partner']},
                   'then': {'scoreBoost': 30, 'priorityBoost': 1}},
                  {'name': 'not a student', 'when': {'not': {'field': 'attributes.occupation', 'op': 'eq', 'value': 'student'}},
                   'then': {'scoreBoost': 10}},
                  {'name': 'known country', 'when': {'field': 'country', 'op': 'exists', 'value': true}, 'then': {'scoreBoost': 5}},
                  {'name': 'gmail', 'when': {'field': 'email', 'op': 'matches', 'value': '@gmail\\\\.com$'}, 'then': {'scoreBoost': -20}}
                ]}""").policy();

        Policy.LeadScore big = policy.score(Map.of("value", new BigDecimal("75000"), "source", "Partner",
                "attributes", Map.of("licence", "enterprise")), null, Map.of("saas", 2));
        assertThat(big.matchedRules()).containsExactly("enterprise deal", "referral", "not a student");
        assertThat(big.score()).isEqualTo(40);
        assertThat(big.priority()).as("at least 9, plus the referral boost").isEqualTo(10);
        assertThat(big.loadPoints()).isEqualTo(2);
        assertThat(big.tiers()).containsExactly(1);
        assertThat(big.requiredSkills()).containsEntry("negotiation", 3).containsEntry("saas", 2);

        Policy.LeadScore small = policy.score(Map.of("value", 900, "email", "a@gmail.com", "country", "DE",
                "attributes", Map.of("occupation", "Student")), 50, Map.of());
        assertThat(small.matchedRules()).containsExactly("known country", "gmail");
        assertThat(small.score()).isEqualTo(35);
        assertThat(small.priority()).isEqualTo(2);
        assertThat(small.loadPoints()).isEqualTo(1);
        assertThat(small.tiers()).isEmpty();

        Policy.LeadScore none = compile("{}").policy().score(Map.of(), null, Map.of());
        assertThat(none.score()).isNull();
        assertThat(none.priority()).as("no score: the middle priority").isEqualTo(3);
    }

    @Test
    void fairnessAndAffinityTakeTheirDefaultsAndTeamsOverrideThem() throws Exception {
        Policy policy = compile("{'defaults':{'fairness':{'makeUp':false}},'teams':{'smb':{'affinity':{'by':[]}},"
                + "'ent':{'fairness':{'makeUp':true},'affinity':{'by':['company','attributes.accountId'],'window':'P30D',"
                + "'freeMailDomains':['mailbox.example','corp-mail.*']}}}}").policy();

        assertThat(BUILT_IN.routing().makeUp()).as("make-up is the default").isTrue();
        assertThat(BUILT_IN.affinity()).isEqualTo(AffinityRule.DEFAULT);
        assertThat(AffinityRule.DEFAULT.by()).containsExactly("attributes.accountId", "emailDomain");
        assertThat(AffinityRule.DEFAULT.window()).isEqualTo(Duration.ofDays(90));
        assertThat(policy.forTeam("other").routing().makeUp()).isFalse();
        assertThat(policy.forTeam("other").affinity()).isEqualTo(AffinityRule.DEFAULT);
        assertThat(policy.forTeam("smb").affinity().off()).isTrue();
        assertThat(policy.forTeam("smb").routing().makeUp()).as("inherited from defaults").isFalse();
        AffinityRule ent = policy.forTeam("ent").affinity();
        assertThat(policy.forTeam("ent").routing().makeUp()).isTrue();
        assertThat(ent.by()).containsExactly("company", "attributes.accountId");
        assertThat(ent.window()).isEqualTo(Duration.ofDays(30));
        assertThat(ent.freeMailDomains()).containsExactlyInAnyOrder("mailbox.example", "corp-mail.*");
    }

    @Test
    void theAccountKeysOfALeadComeInTheRulesOrderWithoutFreeMail() {
        AffinityRule all = new AffinityRule(List.of("company", "emailDomain", "attributes.accountId"), Duration.ofDays(90),
                java.util.Set.of("corp-mail.*"));
        assertThat(all.keysOf("0015g", "Ann@Globex.COM", "Globex, Inc.")).containsExactly(Map.entry("company", "globex"),
                Map.entry("emailDomain", "globex.com"), Map.entry("attributes.accountId", "0015g"));
        assertThat(all.keysOf(42, "bob@gmail.com", null)).containsExactly(Map.entry("attributes.accountId", "42"));
        assertThat(all.keysOf(null, "carol@yahoo.co.uk", "  ")).isEmpty();
        assertThat(all.keysOf(null, "dave@corp-mail.de", null)).as("the policy's free mail").isEmpty();
    }
}
