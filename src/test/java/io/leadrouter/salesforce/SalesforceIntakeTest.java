package io.leadrouter.salesforce;

import static io.leadrouter.salesforce.OutboundMessageParserTest.lead;
import static io.leadrouter.salesforce.OutboundMessageParserTest.notifications;
import static io.leadrouter.salesforce.OutboundMessageParserTest.resource;
import static io.leadrouter.support.Api.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadrouter.support.Api;
import io.leadrouter.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code POST /api/v1/intake/salesforce}: Salesforce outbound messages as Salesforce sends them (the envelopes in
 * src/test/resources/salesforce), acknowledged once stored, sent again, changed, out of order, and refused.
 */
@QuarkusTest
class SalesforceIntakeTest {

    static final String PATH = "/api/v1/intake/salesforce";
    static final String ACK = "<Ack>true</Ack>";

    @Inject
    Pool pool;
    Database db;

    @BeforeEach
    void setUp() {
        db = new Database(pool);
    }

    /** An envelope with fresh record ids (of the same key prefixes), so that every test has records of its own. */
    record Message(String xml, List<String> ids) {

        static Message of(String xml) {
            Matcher id = Pattern.compile("<sf:Id>([A-Za-z0-9]{3})[A-Za-z0-9]{15}</sf:Id>").matcher(xml);
            StringBuilder fresh = new StringBuilder();
            List<String> ids = new ArrayList<>();
            while (id.find()) {
                String next = id.group(1) + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
                ids.add(next);
                id.appendReplacement(fresh, "<sf:Id>" + next + "</sf:Id>");
            }
            id.appendTail(fresh);
            return new Message(fresh.toString(), ids);
        }

        /** The same records, with a text of the envelope replaced (a field changed, a later modification time). */
        Message with(String text, String replacement) {
            assertThat(xml).contains(text);
            return new Message(xml.replace(text, replacement), ids);
        }
    }

    static Response post(String xml) {
        return given().header("Authorization", "Bearer " + Api.KEY).contentType("text/xml; charset=utf-8").body(xml).post(PATH);
    }

    static void acked(String xml) {
        post(xml).then().statusCode(200).contentType(startsWith("text/xml")).body(containsString(ACK));
    }

    static void faulted(String xml, String faultstring) {
        post(xml).then().statusCode(500).contentType(startsWith("text/xml"))
                .body(containsString("<faultcode>soapenv:Client</faultcode>"), containsString(faultstring), not(containsString(ACK)));
    }

    private List<String> leadIds(String externalId) {
        return db.rows("SELECT cast(id AS text) FROM lead WHERE external_id = $1", externalId).stream()
                .map(row -> row.getString(0)).toList();
    }

    private JsonPath theLead(String externalId) {
        List<String> ids = leadIds(externalId);
        assertThat(ids).as("leads of record %s", externalId).hasSize(1);
        return Api.getLead(ids.get(0));
    }

    @Test
    void aLeadsStandardFieldsBecomeTheLeadsAndEveryOtherFieldAnAttribute() {
        Message message = Message.of(resource("lead-notification.xml"));
        acked(message.xml());
        JsonPath lead = theLead(message.ids().get(0));
        assertThat(lead.getString("status")).isEqualTo("QUEUED");
        assertThat(lead.getString("externalId")).isEqualTo(message.ids().get(0));
        assertThat(lead.getString("name")).isEqualTo("Ada Lovelace");
        assertThat(lead.getString("company")).isEqualTo("Northwind Traders");
        assertThat(lead.getString("email")).isEqualTo("ada.lovelace@northwind.example");
        assertThat(lead.getString("phone")).isEqualTo("+1 (415) 555-0142");
        assertThat(lead.getString("country")).isEqualTo("US");
        assertThat(lead.getString("region")).isEqualTo("CA");
        assertThat(lead.getString("postalCode")).isEqualTo("94105");
        assertThat(lead.getString("source")).isEqualTo("Web");
        assertThat(lead.getString("industry")).isEqualTo("Manufacturing");
        assertThat(lead.getDouble("value")).isEqualTo(25_000_000.0);
        assertThat(lead.getMap("attributes")).containsExactlyInAnyOrderEntriesOf(Map.of("Rating", "Hot",
                "OwnerId", "0055g00000AbCdEAAZ", "Status", "Open - Not Contacted", "Product_Interest__c", "Routing Cloud",
                "Employees_Band__c", "250-999", "Country", "United States", "State", "California"));
        assertThat(lead.getString("team")).isEqualTo("default");
    }

    @Test
    void aContactsMailingAddressIsTheLeadsAndAFreeTextPhoneStaysAnAttribute() {
        Message message = Message.of(resource("contact-notification.xml"));
        acked(message.xml());
        JsonPath lead = theLead(message.ids().get(0));
        assertThat(lead.getString("name")).isEqualTo("Grace Hopper");
        assertThat(lead.getString("email")).isEqualTo("grace.hopper@contoso.example");
        // a country name with a safe ISO mapping; a phone the lead's format refuses stays as sent, the mobile is used
        assertThat(lead.getString("country")).isEqualTo("DE");
        assertThat(lead.getString("region")).isEqualTo("Berlin");
        assertThat(lead.getString("postalCode")).isEqualTo("10115");
        assertThat(lead.getString("phone")).isEqualTo("+49 30 901820");
        assertThat(lead.getString("source")).isEqualTo("Partner Referral");
        assertThat(lead.getString("company")).isNull();
        assertThat(lead.getMap("attributes")).containsExactlyInAnyOrderEntriesOf(Map.of("AccountId", "0015g00000ZkM3hAAF",
                "Phone", "030 901820 ext. 12", "Title", "VP Engineering"));

        Message withAccount = Message.of(resource("contact-notification.xml")
                .replace("<sf:AccountId>", "<sf:Account><sf:Name>Contoso GmbH</sf:Name></sf:Account><sf:AccountId>"));
        acked(withAccount.xml());
        assertThat(theLead(withAccount.ids().get(0)).getString("company")).isEqualTo("Contoso GmbH");
    }

    @Test
    void everyNotificationOfAMessageIsALead() {
        Message message = Message.of(resource("leads-notifications.xml"));
        assertThat(message.ids()).hasSize(3);
        acked(message.xml());
        JsonPath german = theLead(message.ids().get(0));
        // no safe mapping for the name: the lead has no country rather than a wrong one, and keeps what was sent
        assertThat(german.getString("country")).isNull();
        assertThat(german.getMap("attributes")).containsEntry("Country", "Deutschland");
        assertThat(theLead(message.ids().get(1)).getString("country")).isEqualTo("GB");
        assertThat(theLead(message.ids().get(2)).getString("country")).isEqualTo("FR");
        assertThat(theLead(message.ids().get(2)).getString("name")).isEqualTo("Durand");
    }

    @Test
    void theSameMessageDeliveredTwiceIsOneLeadAndAckedBothTimes() {
        Message message = Message.of(resource("leads-notifications.xml"));
        acked(message.xml());
        acked(message.xml());
        for (String id : message.ids()) {
            assertThat(leadIds(id)).as("leads of %s", id).hasSize(1);
        }
        assertThat(db.count("SELECT count(*) FROM lifecycle_event e JOIN lead l ON l.id = e.lead_id "
                + "WHERE l.external_id = $1 AND e.type = 'lead.created'", message.ids().get(0))).isEqualTo(1);
    }

    @Test
    void aChangedRecordUpdatesItsQueuedLeadWithALeadUpdatedEvent() {
        Message first = Message.of(resource("lead-notification.xml"));
        acked(first.xml());
        String leadId = theLead(first.ids().get(0)).getString("id");
        String cursor = head();
        Message changed = first.with("ada.lovelace@northwind.example", "ada@analytical.example")
                .with("<sf:CountryCode>US</sf:CountryCode>", "<sf:CountryCode>GB</sf:CountryCode>")
                .with("<sf:Rating>Hot</sf:Rating>", "<sf:Rating>Warm</sf:Rating>")
                .with("2026-03-02T09:14:27.000Z", "2026-03-02T09:31:05.000Z");
        acked(changed.xml());

        JsonPath lead = theLead(first.ids().get(0));
        assertThat(lead.getString("id")).isEqualTo(leadId);
        assertThat(lead.getString("status")).isEqualTo("QUEUED");
        assertThat(lead.getString("email")).isEqualTo("ada@analytical.example");
        assertThat(lead.getString("country")).isEqualTo("GB");
        assertThat(lead.getMap("attributes")).containsEntry("Rating", "Warm");
        Map<String, Object> updated = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> eventsAfter(cursor).stream().filter(e -> "lead.updated".equals(e.get("type")) && leadId.equals(e.get("leadId")))
                        .findFirst().orElse(null),
                java.util.Objects::nonNull);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) updated.get("data");
        @SuppressWarnings("unchecked")
        List<Object> changedFields = (List<Object>) data.get("changed");
        assertThat(data.get("externalId")).isEqualTo(first.ids().get(0));
        assertThat(changedFields).contains("email", "country", "attributes").doesNotContain("name", "team");
        assertThat(data.get("rerouted")).as("the country is a routing field").isEqualTo(true);
        assertThat(updated.get("team")).isEqualTo("default");

        // the same change delivered again is nothing new
        acked(changed.xml());
        assertThat(db.count("SELECT count(*) FROM lifecycle_event WHERE type = 'lead.updated' AND lead_id = cast($1 AS uuid)", leadId))
                .isEqualTo(1);
    }

    @Test
    void aChangedRecordOfALeadNoLongerQueuedIsAckedAndLeftAlone() {
        Message first = Message.of(resource("lead-notification.xml"));
        acked(first.xml());
        String leadId = theLead(first.ids().get(0)).getString("id");
        api().body(Map.of("outcome", "DISQUALIFIED")).post("/api/v1/leads/{id}/close", leadId).then().statusCode(200);

        acked(first.with("ada.lovelace@northwind.example", "ada@analytical.example")
                .with("2026-03-02T09:14:27.000Z", "2026-03-02T09:31:05.000Z").xml());
        JsonPath lead = theLead(first.ids().get(0));
        assertThat(lead.getString("status")).isEqualTo("CLOSED");
        assertThat(lead.getString("email")).isEqualTo("ada.lovelace@northwind.example");
        assertThat(db.count("SELECT count(*) FROM lifecycle_event WHERE type = 'lead.updated' AND lead_id = cast($1 AS uuid)", leadId))
                .isZero();
    }

    @Test
    void anOlderVersionDeliveredAfterANewerOneIsNotApplied() {
        Message v1 = Message.of(resource("lead-notification.xml"));
        Message v2 = v1.with("ada.lovelace@northwind.example", "ada@v2.example")
                .with("2026-03-02T09:14:27.000Z", "2026-03-02T10:00:00.000Z");
        Message v3 = v1.with("ada.lovelace@northwind.example", "ada@v3.example")
                .with("2026-03-02T09:14:27.000Z", "2026-03-02T11:00:00.000Z");
        acked(v3.xml());
        acked(v1.xml());
        acked(v2.xml());
        assertThat(theLead(v1.ids().get(0)).getString("email")).isEqualTo("ada@v3.example");

        // a newer version with the fields the lead already has still counts as the newest seen
        Message w1 = Message.of(resource("lead-notification.xml"));
        acked(w1.xml());
        acked(w1.with("2026-03-02T09:14:27.000Z", "2026-03-02T11:00:00.000Z").xml());
        acked(w1.with("ada.lovelace@northwind.example", "ada@between.example")
                .with("2026-03-02T09:14:27.000Z", "2026-03-02T10:00:00.000Z").xml());
        assertThat(theLead(w1.ids().get(0)).getString("email")).isEqualTo("ada.lovelace@northwind.example");
    }

    @Test
    void aRecordThatCannotBeALeadIsNamedInTheFaultAndTheOthersAreStored() {
        Message message = Message.of(notifications(lead("<sf:Id>00Q5g00000AbCdEEAV</sf:Id><sf:Rating>Cold</sf:Rating>")
                + lead("<sf:Id>00Q5g00000AbCdEEAV</sf:Id><sf:LastName>Turing</sf:LastName>")));
        faulted(message.xml(), "1 of 2 records could not be taken in (the others are stored): " + message.ids().get(0)
                + " (name: one of name, email or company is required)");
        assertThat(leadIds(message.ids().get(0))).isEmpty();
        assertThat(theLead(message.ids().get(1)).getString("name")).isEqualTo("Turing");
    }

    @Test
    void aForeignOrgIsRefusedAndNothingStored() {
        // the same characters in another case: the first 15 characters of an org id are case-sensitive
        Message message = Message.of(resource("lead-notification.xml"))
                .with("<OrganizationId>00D5g00000LrTqAEAV</OrganizationId>", "<OrganizationId>00D5g00000LrTQAEA3</OrganizationId>");
        faulted(message.xml(), "The org 00D5g00000LrTQAEA3 is not one of leadrouter.salesforce.organization-ids");
        assertThat(leadIds(message.ids().get(0))).isEmpty();
    }

    @Test
    void malformedXmlIsAFault() {
        faulted("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>",
                "The body is not well-formed XML");
    }

    @Test
    void aRecordOfAnotherTypeIsAFaultAndNothingIsStored() {
        Message message = Message.of(resource("leads-notifications.xml").replace("</notifications>",
                resource("account-notification.xml").replaceAll("(?s).*(<Notification>.*</Notification>).*", "$1") + "</notifications>"));
        faulted(message.xml(), "Notification 4 holds a record of type Account; only Lead and Contact records are taken in");
        assertThat(leadIds(message.ids().get(0))).isEmpty();
    }

    @Test
    void anEnvelopeThatIsNoOutboundMessageIsAFault() {
        faulted("""
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
                <login xmlns="urn:partner.soap.sforce.com"><username>a</username></login></soapenv:Body></soapenv:Envelope>""",
                "Not a Salesforce outbound message");
    }

    @Test
    void anExternalEntityIsAFaultAndNoFileIsRead() {
        Message message = Message.of(resource("xxe-lead-notification.xml"));
        post(message.xml()).then().statusCode(500).body(containsString("DTDs and entities are not accepted"),
                not(containsString("root:")));
        assertThat(leadIds(message.ids().get(0))).isEmpty();
    }

    @Test
    void salesforceMayPassTheApiKeyInTheUrlOfThisEndpointOnly() {
        Message message = Message.of(resource("lead-notification.xml"));
        given().contentType("text/xml; charset=utf-8").body(message.xml()).post(PATH).then().statusCode(401);
        given().queryParam("key", "not-a-key").contentType("text/xml; charset=utf-8").body(message.xml()).post(PATH)
                .then().statusCode(401);
        assertThat(leadIds(message.ids().get(0))).isEmpty();
        given().queryParam("key", Api.KEY).contentType("text/xml; charset=utf-8").body(message.xml()).post(PATH)
                .then().statusCode(200).body(containsString(ACK));
        assertThat(leadIds(message.ids().get(0))).hasSize(1);
        // nowhere else
        given().queryParam("key", Api.KEY).get("/api/v1/leads").then().statusCode(401);
        given().queryParam("key", Api.KEY).contentType("application/json").body(Map.of("company", "Acme"))
                .post("/api/v1/leads").then().statusCode(401);
    }

    @Test
    void jsonIsNoOutboundMessage() {
        api().body(Map.of("company", "Acme")).post(PATH).then().statusCode(415).body("code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
    }

    /** The cursor after the newest event. */
    private static String head() {
        String cursor = "0";
        while (true) {
            JsonPath page = api().queryParam("after", cursor).queryParam("limit", 1000).get("/api/v1/events").then()
                    .statusCode(200).extract().jsonPath();
            if (page.getList("events").isEmpty()) {
                return cursor;
            }
            cursor = page.getString("next");
        }
    }

    private static List<Map<String, Object>> eventsAfter(String cursor) {
        List<Map<String, Object>> events = new ArrayList<>();
        String next = cursor;
        while (true) {
            JsonPath page = api().queryParam("after", next).queryParam("limit", 1000).get("/api/v1/events").then()
                    .statusCode(200).extract().jsonPath();
            List<Map<String, Object>> found = page.getList("events");
            if (found.isEmpty()) {
                return events;
            }
            events.addAll(found);
            next = page.getString("next");
        }
    }
}
