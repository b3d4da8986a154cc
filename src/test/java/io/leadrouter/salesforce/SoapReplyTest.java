package io.leadrouter.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The acknowledgement Salesforce waits for, and faults that stay well-formed whatever they repeat. */
class SoapReplyTest {

    private static Document read(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theAckIsTrueInTheOutboundNamespace() throws Exception {
        Document ack = read(SoapReply.ack());
        assertThat(ack.getDocumentElement().getNamespaceURI()).isEqualTo("http://schemas.xmlsoap.org/soap/envelope/");
        assertThat(ack.getElementsByTagNameNS("http://soap.sforce.com/2005/09/outbound", "Ack").item(0).getTextContent())
                .isEqualTo("true");
        assertThat(ack.getElementsByTagNameNS("http://soap.sforce.com/2005/09/outbound", "notificationsResponse").getLength())
                .isEqualTo(1);
    }

    @Test
    void aFaultCarriesItsCodeAndStringEscaped() throws Exception {
        Document fault = read(SoapReply.fault(SoapReply.FaultCode.CLIENT, "Unexpected <login> & more \u0001 here"));
        assertThat(fault.getElementsByTagNameNS("http://schemas.xmlsoap.org/soap/envelope/", "Fault").getLength()).isEqualTo(1);
        // unqualified, as SOAP 1.1 has them
        assertThat(fault.getElementsByTagNameNS(null, "faultcode").item(0).getTextContent()).isEqualTo("soapenv:Client");
        assertThat(fault.getElementsByTagNameNS(null, "faultstring").item(0).getTextContent())
                .isEqualTo("Unexpected <login> & more   here");
    }
}
