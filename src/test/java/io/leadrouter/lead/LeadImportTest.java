package io.leadrouter.lead;

import static io.leadrouter.support.Api.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;

/** {@code POST /api/v1/leads/import}: a CSV of leads, streamed in, each row taken in like a batch item. */
@QuarkusTest
class LeadImportTest {

    @Inject
    Pool pool;

    @TestHTTPResource("/api/v1/leads/import")
    URI imports;

    static RequestSpecification csv() {
        return given().header("Authorization", "Bearer " + Api.KEY).contentType("text/csv; charset=UTF-8");
    }

    /** A CSV made row by row as it is read: the test holds one row at a time, and sends it without a length. */
    static InputStream generated(String header, int rows, IntFunction<String> row) {
        return new InputStream() {
            private byte[] current = (header + "\r\n").getBytes(StandardCharsets.UTF_8);
            private int position;
            private int next = 1;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                while (position == current.length) {
                    if (next > rows) {
                        return -1;
                    }
                    current = (row.apply(next++) + "\r\n").getBytes(StandardCharsets.UTF_8);
                    position = 0;
                }
                int n = Math.min(length, current.length - position);
                System.arraycopy(current, position, into, offset, n);
                position += n;
                return n;
            }
        };
    }

    @Test
    void aHundredThousandRowsAreImportedAndEachBadRowIsListedWithItsRow() throws Exception {
        String team = Api.newTeam();
        // staffed by a rep who is not connected: the leads wait in the queue, as a team's backlog would
        Api.rep(team);
        int rows = 100_000;
        // data row i is spreadsheet row i + 1; row 3 holds a line break, so from row 4 on a row starts on line row + 1
        IntFunction<String> row = i -> switch (i) {
            case 2 -> "ext-" + team + "-2,Lead 2,\"lead2@example.com\",\"Two\nLines GmbH\",DE,120," + team + ",web";
            case 500 -> "ext-" + team + "-500,too,few";
            case 777 -> "ext-" + team + "-777,\"Lead\"x,l@example.com,Acme,DE,1," + team + ",web";
            default -> "ext-" + team + "-" + i + ",Lead " + i + "," + (i % 64 == 7 ? "not-an-email" : "lead" + i + "@example.com")
                    + ",\"Acme " + i + ", Inc.\",DE," + (i % 1000) + "," + team + ",web";
        };
        List<Integer> bad = IntStream.rangeClosed(1, rows).filter(i -> i % 64 == 7 || i == 500 || i == 777).boxed().toList();
        HttpRequest request = HttpRequest.newBuilder(imports).header("Authorization", "Bearer " + Api.KEY)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> generated(
                        "externalId,name,email,company,country,value,team,attributes.utm_source", rows, row)))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = new ObjectMapper().readTree(response.body());
        assertThat(report.path("rows").asInt()).isEqualTo(rows);
        assertThat(report.path("errors").asInt()).isEqualTo(bad.size());
        assertThat(report.path("created").asInt()).isEqualTo(rows - bad.size());
        assertThat(report.path("replayed").asInt()).isZero();
        JsonNode listed = report.path("errorRows");
        assertThat(listed.size()).isEqualTo(1000);
        assertThat(report.path("errorRowsOmitted").asInt()).isEqualTo(bad.size() - 1000);
        assertThat(IntStream.range(0, listed.size()).map(i -> listed.get(i).path("row").asInt()).boxed().toList())
                .isEqualTo(bad.subList(0, 1000).stream().map(i -> i + 1).toList());
        assertThat(listed.get(0).path("line").asInt()).isEqualTo(bad.get(0) + 2);
        assertThat(listed.get(0).path("error").path("errors").get(0).path("field").asText()).isEqualTo("email");
        JsonNode shortRow = find(listed, 501);
        assertThat(shortRow.path("error").path("code").asText()).isEqualTo("MALFORMED_ROW");
        assertThat(shortRow.path("error").path("detail").asText()).contains("3 fields, the header 8");
        assertThat(find(listed, 778).path("error").path("detail").asText()).contains("after the closing quote");

        Database db = new Database(pool);
        assertThat(db.count("SELECT count(*) FROM lead WHERE team = $1", team)).isEqualTo(rows - bad.size());
        var stored = db.rows("SELECT company, value, attributes ->> 'utm_source', idempotency_key, status FROM lead WHERE external_id = $1",
                "ext-" + team + "-2").get(0);
        assertThat(stored.getString(0)).isEqualTo("Two\nLines GmbH");
        assertThat(stored.getBigDecimal(1)).isEqualByComparingTo("120");
        assertThat(stored.getString(2)).isEqualTo("web");
        assertThat(stored.getString(3)).isEqualTo("ext:ext-" + team + "-2");
        assertThat(stored.getString(4)).isEqualTo("QUEUED");
        assertThat(db.count("SELECT count(*) FROM lifecycle_event WHERE type = 'lead.created' AND team = $1", team))
                .isEqualTo(rows - bad.size());
        closeAll(team);
        // the vacuum of 100,000 new leads and their events runs now rather than during the tests after this one
        db.rows("VACUUM ANALYZE lead, lifecycle_event");
    }

    /** Takes a test's imported leads out of the queue, so that the suite's later queue statements do not read them. */
    private void closeAll(String team) {
        new Database(pool).rows("UPDATE lead SET status = 'CLOSED', outcome = 'DISQUALIFIED', closed_at = now() WHERE team = $1", team);
    }

    private static JsonNode find(JsonNode listed, int row) {
        for (JsonNode error : listed) {
            if (error.path("row").asInt() == row) {
                return error;
            }
        }
        throw new AssertionError("row " + row + " is not listed");
    }

    @Test
    void importingTheSameFileAgainCreatesNothingNewByExternalIdOrByKey() {
        String team = Api.newTeam();
        StringBuilder byExternalId = new StringBuilder("externalId,company,team\n");
        StringBuilder unnamed = new StringBuilder("company,team\n");
        for (int i = 1; i <= 2_500; i++) {
            byExternalId.append("again-").append(team).append('-').append(i).append(",Acme ").append(i).append(',').append(team).append('\n');
            unnamed.append("Acme ").append(i).append(',').append(team).append('\n');
        }
        csv().body(byExternalId.toString()).post("/api/v1/leads/import").then().statusCode(200).body("created", equalTo(2_500));
        csv().body(byExternalId.toString()).post("/api/v1/leads/import").then().statusCode(200)
                .body("created", equalTo(0)).body("replayed", equalTo(2_500)).body("errors", equalTo(0));

        String key = "import-" + team;
        csv().header("Idempotency-Key", key).body(unnamed.toString()).post("/api/v1/leads/import").then().statusCode(200)
                .body("created", equalTo(2_500));
        csv().header("Idempotency-Key", key).body(unnamed.toString()).post("/api/v1/leads/import").then().statusCode(200)
                .body("created", equalTo(0)).body("replayed", equalTo(2_500));
        // the same key over another file: row 2 has another lead now
        csv().header("Idempotency-Key", key).body("company,team\nOther Corp," + team + "\n").post("/api/v1/leads/import").then()
                .statusCode(200).body("errors", equalTo(1)).body("errorRows[0].row", equalTo(2))
                .body("errorRows[0].error.code", equalTo("IDEMPOTENCY_KEY_REUSED"));

        Database db = new Database(pool);
        assertThat(db.count("SELECT count(*) FROM lead WHERE team = $1", team)).isEqualTo(5_000);
        assertThat(db.rows("SELECT company FROM lead WHERE idempotency_key = $1", "key:" + key + "#2").get(0).getString(0))
                .isEqualTo("Acme 1");
        closeAll(team);
    }

    @Test
    void columnsMapToLeadFieldsByTheQuery() {
        String team = Api.newTeam();
        String csv = "\uFEFFE-mail,Company Name,Land,Notes,Skills:needed,Lead Source,value,team\r\n"
                + "ann@example.com,Brauhaus Digital GmbH,DE,call after 3,saas:3,webform,48000," + team + "\r\n";

        JsonPath answer = csv().queryParam("map", "E-mail:email").queryParam("map", "Company Name:company")
                .queryParam("map", "Land:country").queryParam("map", "Notes:-").queryParam("map", "Skills:needed:requiredSkills")
                .queryParam("map", "Lead Source:attributes.source").body(csv).post("/api/v1/leads/import").then().statusCode(200)
                .body("created", equalTo(1)).extract().jsonPath();

        assertThat(answer.getInt("errors")).isZero();
        var stored = new Database(pool).rows("""
                SELECT email, company, country, required_skills ->> 'saas', attributes ->> 'source', value FROM lead WHERE team = $1
                """, team).get(0);
        assertThat(stored.getString(0)).isEqualTo("ann@example.com");
        assertThat(stored.getString(1)).isEqualTo("Brauhaus Digital GmbH");
        assertThat(stored.getString(2)).isEqualTo("DE");
        assertThat(stored.getString(3)).isEqualTo("3");
        assertThat(stored.getString(4)).isEqualTo("webform");
        assertThat(stored.getBigDecimal(5)).isEqualByComparingTo("48000");
    }

    @Test
    void anImportThatCannotBeReadAsAWholeIsRefusedAndStoresNothing() {
        String team = Api.newTeam();
        csv().body("Email,company,team\na@example.com,Acme," + team + "\n").post("/api/v1/leads/import").then().statusCode(400)
                .body("code", equalTo("UNKNOWN_COLUMN")).body("errors[0].field", equalTo("Email"));
        csv().queryParam("map", "Email:mail").body("Email,company,team\na@example.com,Acme," + team + "\n")
                .post("/api/v1/leads/import").then().statusCode(400).body("code", equalTo("INVALID_MAPPING"));
        csv().queryParam("map", "Mail:email").body("Email,company,team\na@example.com,Acme," + team + "\n")
                .post("/api/v1/leads/import").then().statusCode(400).body("code", equalTo("INVALID_MAPPING"));
        csv().queryParam("map", "no colon").body("company,team\nAcme," + team + "\n").post("/api/v1/leads/import").then()
                .statusCode(400).body("code", equalTo("INVALID_MAPPING")).body("errors[0].field", equalTo("map"));
        csv().queryParam("map", "Firm:company").body("company,Firm,team\nAcme,Acme2," + team + "\n").post("/api/v1/leads/import")
                .then().statusCode(400).body("code", equalTo("DUPLICATE_COLUMN"));
        csv().body("").post("/api/v1/leads/import").then().statusCode(400).body("code", equalTo("INVALID_CSV"));
        csv().body("\"company,team\n").post("/api/v1/leads/import").then().statusCode(400).body("code", equalTo("INVALID_CSV"));
        api().body("[]").post("/api/v1/leads/import").then().statusCode(415);
        csv().header("Idempotency-Key", "has spaces").body("company,team\nAcme," + team + "\n").post("/api/v1/leads/import").then()
                .statusCode(400).body("errors[0].field", equalTo("key"));

        assertThat(new Database(pool).count("SELECT count(*) FROM lead WHERE team = $1", team)).isZero();
        csv().body("company,team\n").post("/api/v1/leads/import").then().statusCode(200).body("rows", equalTo(0));
    }

    @Test
    void malformedLinesAreRowErrorsAndTheRestIsImported() {
        String team = Api.newTeam();
        String csv = "name,company,team,value\n"
                + "Ann,Acme," + team + ",10\n"
                + "Bob,\"Bobs \"Best\" Co\"," + team + ",20\n"
                + "Cy,Cyber," + team + "\n"
                + "Di,Dino," + team + ",lots\n"
                + "Ed,\"Eds\nEmporium\"," + team + ",30\n"
                + ",," + team + ",1\n"
                + "Flo,\"never closed," + team + ",40\n"
                + "Gus,Gusto," + team + ",50\n";

        JsonPath answer = csv().body(csv).post("/api/v1/leads/import").then().statusCode(200)
                .body("rows", equalTo(7)).body("created", equalTo(2)).body("errors", equalTo(5)).extract().jsonPath();

        assertThat(answer.getList("errorRows.row", Integer.class)).containsExactly(3, 4, 5, 7, 8);
        assertThat(answer.getList("errorRows.line", Integer.class)).containsExactly(3, 4, 5, 8, 9);
        assertThat(answer.getString("errorRows[0].error.detail")).contains("after the closing quote");
        assertThat(answer.getString("errorRows[1].error.detail")).contains("3 fields, the header 4");
        assertThat(answer.getString("errorRows[2].error.errors[0].field")).isEqualTo("value");
        assertThat(answer.getString("errorRows[3].error.errors[0].reason")).contains("one of name, email or company");
        assertThat(answer.getString("errorRows[4].error.detail")).contains("unbalanced quotes");
        assertThat(new Database(pool).rows("SELECT company FROM lead WHERE team = $1 ORDER BY company", team).stream()
                .map(r -> r.getString(0)).toList()).containsExactly("Acme", "Eds\nEmporium");
    }
}
