package io.leadrouter.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The envelope of a Salesforce outbound message, and everything that is not one, including the XML attacks. */
class OutboundMessageParserTest {

    static String resource(String name) {
        try (InputStream in = OutboundMessageParserTest.class.getResourceAsStream("/salesforce/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OutboundMessage parse(String xml) {
        return OutboundMessageParser.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertFault(String xml, String faultstring) {
        assertThatThrownBy(() -> parse(xml)).isInstanceOf(OutboundMessageFault.class).hasMessageContaining(faultstring);
    }

    /** An envelope around notifications holding the given elements. */
    static String notifications(String inside) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                 <soapenv:Body>
                  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
                   <OrganizationId>00D5g00000LrTqAEAV</OrganizationId>
                   <ActionId>04k5g0000008OQmAAM</ActionId>
                   %s
                  </notifications>
                 </soapenv:Body>
                </soapenv:Envelope>
                """.formatted(inside);
    }

    static String lead(String fields) {
        return """
                <Notification><Id>04l5g00000SvKzQAAV</Id>
                 <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">%s</sObject>
                </Notification>""".formatted(fields);
    }

    @Test
    void readsTheOrgTheActionAndEachRecordsFieldsAsSent() {
        OutboundMessage message = parse(resource("lead-notification.xml"));
        assertThat(message.organizationId()).isEqualTo("00D5g00000LrTqAEAV");
        assertThat(message.actionId()).isEqualTo("04k5g0000008OQmAAM");
        assertThat(message.notifications()).hasSize(1);
        OutboundMessage.Notification notification = message.notifications().get(0);
        assertThat(notification.id()).isEqualTo("04l5g00000SvKzQAAV");
        assertThat(notification.objectType()).isEqualTo("Lead");
        assertThat(notification.fields()).containsEntry("Id", "00Q5g00000AbCdEEAV")
                .containsEntry("LastName", "Lovelace").containsEntry("AnnualRevenue", "2.5E7")
                .containsEntry("Product_Interest__c", "Routing Cloud").containsEntry("Phone", "+1 (415) 555-0142")
                // a nil field is no field
                .doesNotContainKey("MobilePhone");
        assertThat(notification.fields()).hasSize(21);
    }

    @Test
    void readsEveryNotificationOfAMessageInOrder() {
        OutboundMessage message = parse(resource("leads-notifications.xml"));
        assertThat(message.notifications()).extracting(n -> n.fields().get("Id"))
                .containsExactly("00Q5g00000AbCe1EAF", "00Q5g00000AbCe2EAF", "00Q5g00000AbCe3EAF");
    }

    @Test
    void aRelatedRecordsFieldsAreNamedThroughTheRelationship() {
        OutboundMessage message = parse(notifications(lead(
                "<sf:Id>0035g00000XyZaBAAV</sf:Id><sf:Account><sf:Name>Contoso &amp; Co</sf:Name>"
                        + "<sf:Industry xsi:nil=\"true\"/></sf:Account><sf:Title><![CDATA[VP <Engineering>]]></sf:Title>")));
        assertThat(message.notifications().get(0).fields()).containsExactly(
                java.util.Map.entry("Id", "0035g00000XyZaBAAV"), java.util.Map.entry("Account.Name", "Contoso & Co"),
                java.util.Map.entry("Title", "VP <Engineering>"));
    }

    @Test
    void theSoapHeaderAndElementsOfLaterVersionsAreSkipped() {
        String xml = notifications("<SomethingNew><Deep>x</Deep></SomethingNew>" + lead("<sf:Id>00Q5g00000AbCdEEAV</sf:Id>"))
                .replace("<soapenv:Body>", "<soapenv:Header><x:Trace xmlns:x=\"urn:x\">1</x:Trace></soapenv:Header><soapenv:Body>");
        assertThat(parse(xml).notifications()).hasSize(1);
    }

    @Test
    void aHundredNotificationsAreAMessageAndOneMoreIsNot() {
        String one = lead("<sf:Id>00Q5g00000AbCdEEAV</sf:Id>");
        assertThat(parse(notifications(one.repeat(100))).notifications()).hasSize(100);
        assertFault(notifications(one.repeat(101)), "more than 100 notifications");
    }

    @Test
    void anExternalEntityIsNeverRead(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "MARKER-7f3a-SECRET");
        String xml = resource("xxe-lead-notification.xml").replace("file:///etc/passwd", secret.toUri().toString());
        assertThatThrownBy(() -> parse(xml)).isInstanceOf(OutboundMessageFault.class)
                .hasMessageContaining("DTD").hasMessageNotContaining("MARKER");
        // nor through an external DTD
        String external = notifications(lead("<sf:Id>00Q5g00000AbCdEEAV</sf:Id>")).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE soapenv:Envelope SYSTEM \"" + secret.toUri() + "\">");
        assertFault(external, "DTD");
    }

    @Test
    void aBillionLaughsAreRefusedBeforeOneIsExpanded() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        dtd.append("<!ENTITY lol1 \"").append("&lol;".repeat(10)).append("\">");
        for (int i = 2; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        String xml = notifications(lead("<sf:Id>00Q5g00000AbCdEEAV</sf:Id><sf:Company>&lol9;</sf:Company>"))
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + dtd);
        assertFault(xml, "DTD");
    }

    @Test
    void anUndeclaredEntityIsMalformed() {
        assertFault(notifications(lead("<sf:Id>00Q5g00000AbCdEEAV</sf:Id><sf:Company>&secret;</sf:Company>")), "XML");
    }

    @Test
    void elementsNestedTooDeepAreRefused() {
        String deep = "<sf:A>".repeat(8) + "x" + "</sf:A>".repeat(8);
        assertFault(notifications(lead("<sf:Id>00Q5g00000AbCdEEAV</sf:Id>" + deep)), "deeper than");
    }

    @Test
    void whatIsNoOutboundMessageIsAFaultSayingWhy() {
        assertFault("<not xml", "not well-formed XML");
        assertFault("", "not well-formed XML");
        assertFault("<?xml version=\"1.0\"?><notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\"/>",
                "Not a SOAP 1.1 envelope");
        assertFault(notifications("").replace("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"),
                "Not a SOAP 1.1 envelope");
        assertFault("""
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
                <login xmlns="urn:partner.soap.sforce.com"><username>a</username></login></soapenv:Body></soapenv:Envelope>""",
                "Not a Salesforce outbound message: the SOAP Body holds <login> in urn:partner.soap.sforce.com");
        assertFault("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"/>", "no Body");
        assertFault(notifications(""), "no Notification");
        assertFault(notifications(lead("")).replace("<OrganizationId>00D5g00000LrTqAEAV</OrganizationId>", ""), "no OrganizationId");
        assertFault(notifications("<Notification><Id>04l5g00000SvKzQAAV</Id></Notification>"), "has no sObject");
        assertFault(notifications(lead("")).replace(" xsi:type=\"sf:Lead\"", ""), "has no xsi:type");
        assertFault(notifications(lead("")).replace("xsi:type=\"sf:Lead\"", "xsi:type=\"x:Lead\" xmlns:x=\"urn:other\""),
                "not in urn:sobject.enterprise.soap.sforce.com");
        assertFault(notifications("stray text" + lead("")), "Unexpected text");
        assertFault(notifications(lead("")) + "<trailing/>", "not well-formed XML");
    }
}
