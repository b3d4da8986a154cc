package io.leadrouter.salesforce;

import java.io.StringWriter;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * What a Salesforce outbound message is answered with: the {@code notificationsResponse} with {@code Ack} true, which
 * tells Salesforce every notification of the message was delivered, or a SOAP 1.1 fault, after which it sends the
 * message again (for up to 24 hours).
 */
public final class SoapReply {

    public static final String MEDIA_TYPE = "text/xml; charset=utf-8";
    /** SOAP 1.1 answers a fault with 500 Internal Server Error, whoever is at fault. */
    public static final int FAULT_STATUS = 500;

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();
    private static final String ACK = envelope(writer -> {
        writer.writeStartElement("notificationsResponse");
        writer.writeDefaultNamespace(OutboundMessageParser.OUTBOUND);
        element(writer, "Ack", "true");
        writer.writeEndElement();
    });

    /** Who is at fault, as SOAP 1.1 names it. */
    public enum FaultCode {
        /** the message: sent again unchanged it fails again, until the record or the configuration is fixed */
        CLIENT("soapenv:Client"),
        /** this service: the same message may well be taken in when Salesforce sends it again */
        SERVER("soapenv:Server");

        private final String qualifiedName;

        FaultCode(String qualifiedName) {
            this.qualifiedName = qualifiedName;
        }
    }

    private SoapReply() {
    }

    public static String ack() {
        return ACK;
    }

    public static String fault(FaultCode code, String faultstring) {
        return envelope(writer -> {
            writer.writeStartElement("soapenv", "Fault", OutboundMessageParser.SOAP_ENVELOPE);
            // faultcode and faultstring are unqualified, as SOAP 1.1 defines them
            element(writer, "faultcode", code.qualifiedName);
            element(writer, "faultstring", printable(faultstring));
            writer.writeEndElement();
        });
    }

    private interface Body {
        void write(XMLStreamWriter writer) throws XMLStreamException;
    }

    private static String envelope(Body body) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter writer = FACTORY.createXMLStreamWriter(out);
            writer.writeStartDocument("UTF-8", "1.0");
            writer.writeStartElement("soapenv", "Envelope", OutboundMessageParser.SOAP_ENVELOPE);
            writer.writeNamespace("soapenv", OutboundMessageParser.SOAP_ENVELOPE);
            writer.writeStartElement("soapenv", "Body", OutboundMessageParser.SOAP_ENVELOPE);
            body.write(writer);
            writer.writeEndElement();
            writer.writeEndElement();
            writer.writeEndDocument();
            writer.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Could not write a SOAP answer", e);
        }
        return out.toString();
    }

    private static void element(XMLStreamWriter writer, String name, String text) throws XMLStreamException {
        writer.writeStartElement(name);
        writer.writeCharacters(text);
        writer.writeEndElement();
    }

    /** Text XML 1.0 can carry: other control characters (from an exception's message) become spaces. */
    private static String printable(String text) {
        return text.replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]", " ");
    }
}
