package io.leadrouter.security;

import static io.leadrouter.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.leadrouter.support.Api;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Policy rules run on CRM input at intake, on the event loop: a crafted value cannot make them backtrack, recurse or
 * parse without bound (RE2 expressions, bounded text and numbers), a policy cannot hold more rules than intake can
 * evaluate cheaply, and an expression RE2 cannot run is refused at PUT with its path.
 */
@QuarkusTest
class PolicyEvaluationTest {

    /** Other tests share the service: put the built-in behaviour back. */
    @AfterEach
    void restoreBuiltInPolicy() {
        api().body(Map.of()).put("/api/v1/routing/policy").then().statusCode(200);
    }

    /** A policy whose one rule, for this team only, gives priority 42 when {@code when} holds. */
    private static void rule(String team, Map<String, Object> when) {
        api().body(Map.of("rules", List.of(Map.of("name", "hostile", "when",
                Map.of("all", List.of(Map.of("field", "team", "op", "eq", "value", team), when)), "then", Map.of("priority", 42)))))
                .put("/api/v1/routing/policy").then().statusCode(200);
    }

    private static int priorityOf(String team, Map<String, Object> attributes) {
        return api().body(Map.of("company", "Acme " + UUID.randomUUID(), "team", team, "attributes", attributes)).post("/api/v1/leads")
                .then().statusCode(201).extract().path("priority");
    }

    @Test
    void anExpressionThatBacktracksCatastrophicallyInJavaIsEvaluatedAtOnce() {
        String team = Api.newTeam();
        // java.util.regex takes exponential time to fail this on 500 a's and a '!': the event loop would never answer
        rule(team, Map.of("not", Map.of("field", "attributes.handle", "op", "matches", "value", "^(a+)+$")));
        // a hang guard only (generous, never a timing assertion): before RE2 this request did not return at all
        int priority = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> priorityOf(team, Map.of("handle", "a".repeat(500) + "!")));
        assertThat(priority).as("the rule was evaluated: no match, so not(...) held").isEqualTo(42);
        assertThat(priorityOf(team, Map.of("handle", "aaaa"))).isEqualTo(3);
    }

    @Test
    void anExpressionThatRecursesPerCharacterInJavaMatchesALongValue() {
        String team = Api.newTeam();
        // java.util.regex recurses once per repetition of an alternation: a long value overflowed the stack (a 500)
        rule(team, Map.of("field", "attributes.notes", "op", "matches", "value", "^(a|b)*$"));
        assertThat(priorityOf(team, Map.of("notes", "ab".repeat(2048)))).isEqualTo(42);
        assertThat(priorityOf(team, Map.of("notes", "abc"))).isEqualTo(3);
    }

    @Test
    void matchesIsCaseInsensitiveAndFoundAnywhereAsDocumented() {
        String team = Api.newTeam();
        rule(team, Map.of("field", "attributes.email", "op", "matches", "value", "@gmail\\.com$"));
        assertThat(priorityOf(team, Map.of("email", "Ann.Example@GMail.COM"))).isEqualTo(42);
        assertThat(priorityOf(team, Map.of("email", "ann@gmail.com.evil.example"))).isEqualTo(3);
    }

    @Test
    void anExpressionRe2CannotRunIsRefusedAtPutWithItsPath() {
        for (String pattern : List.of("(a)\\1", "foo(?=bar)", "(?<!x)y", "(a")) {
            api().body(Map.of("rules", List.of(Map.of("name", "r", "when", Map.of("any", List.of(
                    Map.of("field", "name", "op", "matches", "value", pattern))), "then", Map.of("priority", 5)))))
                    .put("/api/v1/routing/policy").then().statusCode(400).body("code", equalTo("INVALID_POLICY"))
                    .body("errors[0].field", equalTo("rules[0].when.any[0].value"))
                    .body("errors[0].reason", containsString("not a regular expression RE2 accepts"));
        }
    }

    @Test
    void anExpressionThatWouldExpandPastTheBudgetIsRefusedWithoutCompilingIt() {
        // RE2J compiles counted repetitions out: this one alone would exhaust the heap, and take minutes doing it
        for (String pattern : List.of("((a{1000}){1000}){1000}", "(x{100}){25}")) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> api().body(when(Map.of("field", "name", "op", "matches",
                    "value", pattern))).put("/api/v1/routing/policy").then().statusCode(400).body("errors[0].field", equalTo("rules[0].when.value"))
                    .body("errors[0].reason", containsString("RE2 instructions")));
        }
        // all expressions of a policy share the budget
        List<Map<String, Object>> rules = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rules.add(Map.of("name", "r" + i, "when", Map.of("field", "name", "op", "matches", "value", "x{700}"), "then", Map.of("priority", 5)));
        }
        refused(Map.of("rules", rules.subList(0, 2)), null, null);
        refused(Map.of("rules", rules), "rules[2].when.value", "RE2 instructions left");
    }

    @Test
    void numbersNoRuleCanCompareAreRefusedAtIntakeOrTreatedAsText() {
        String team = Api.newTeam();
        rule(team, Map.of("field", "attributes.revenue", "op", "gt", "value", 5));
        // Infinity compared with 5 was a 500; now the lead is refused on the field
        api().body("{\"company\": \"Acme\", \"team\": \"" + team + "\", \"attributes\": {\"revenue\": 1e400}}").post("/api/v1/leads")
                .then().statusCode(400).body("errors[0].field", equalTo("attributes.revenue"));
        assertThat(priorityOf(team, Map.of("revenue", "1e400"))).as("finite numeric text compares as a number").isEqualTo(42);
        assertThat(priorityOf(team, Map.of("revenue", "1e999999999"))).as("a huge exponent compares at once").isEqualTo(42);
        // longer than 100 characters: text, and a number and a word never order
        assertThat(priorityOf(team, Map.of("revenue", "9".repeat(101)))).isEqualTo(3);
        assertThat(priorityOf(team, Map.of("revenue", "9".repeat(100)))).isEqualTo(42);
        // the same bounds for a policy's own numbers
        api().body("{\"rules\": [{\"name\": \"r\", \"when\": {\"field\": \"value\", \"op\": \"gt\", \"value\": 1e400},"
                + " \"then\": {\"priority\": 5}}]}").put("/api/v1/routing/policy").then().statusCode(400)
                .body("code", equalTo("INVALID_POLICY")).body("errors[0].field", equalTo("rules[0].when.value"))
                .body("errors[0].reason", equalTo("must be a finite number of at most 100 digits"));
    }

    @Test
    void aPolicyHoldsAtMost100Rules500ConditionsAndShortValues() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            rules.add(Map.of("name", "r" + i, "when", Map.of("field", "name", "op", "eq", "value", "x"), "then", Map.of("priority", 5)));
        }
        refused(Map.of("rules", rules), "rules", "must hold at most 100 rules");
        refused(Map.of("rules", rules.subList(0, 100)), null, null);

        List<Map<String, Object>> conditions = Collections.nCopies(250, Map.of("field", "name", "op", "eq", "value", "x"));
        refused(Map.of("rules", List.of(
                Map.of("name", "a", "when", Map.of("all", conditions), "then", Map.of("priority", 5)),
                Map.of("name", "b", "when", Map.of("any", conditions), "then", Map.of("priority", 5)))), "rules",
                "must hold at most 500 conditions in all");

        refused(when(Map.of("field", "name", "op", "matches", "value", "a".repeat(501))), "rules[0].when.value",
                "must be a regular expression of at most 500 characters");
        refused(when(Map.of("field", "name", "op", "contains", "value", "a".repeat(501))), "rules[0].when.value",
                "must be at most 500 characters");
        refused(when(Map.of("field", "name", "op", "in", "value", Collections.nCopies(501, "x"))), "rules[0].when.value",
                "must be an array of 1 to 500 strings or numbers");
    }

    private static Map<String, Object> when(Map<String, Object> condition) {
        return Map.of("rules", List.of(Map.of("name", "r", "when", condition, "then", Map.of("priority", 5))));
    }

    /** The document is refused with this error first, or (field null) accepted. */
    private static void refused(Map<String, Object> document, String field, String reason) {
        if (field == null) {
            api().body(document).put("/api/v1/routing/policy").then().statusCode(200);
            return;
        }
        api().body(document).put("/api/v1/routing/policy").then().statusCode(400).body("code", equalTo("INVALID_POLICY"))
                .body("errors[0].field", equalTo(field)).body("errors[0].reason", containsString(reason));
    }
}
