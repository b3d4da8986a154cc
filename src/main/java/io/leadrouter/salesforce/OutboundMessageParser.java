package io.leadrouter.salesforce;

import static javax.xml.stream.XMLStreamConstants.CDATA;
import static javax.xml.stream.XMLStreamConstants.CHARACTERS;
import static javax.xml.stream.XMLStreamConstants.DTD;
import static javax.xml.stream.XMLStreamConstants.END_DOCUMENT;
import static javax.xml.stream.XMLStreamConstants.END_ELEMENT;
import static javax.xml.stream.XMLStreamConstants.ENTITY_REFERENCE;
import static javax.xml.stream.XMLStreamConstants.SPACE;
import static javax.xml.stream.XMLStreamConstants.START_ELEMENT;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the SOAP 1.1 envelope of a Salesforce outbound message ({@code notifications} of the outbound messaging
 * WSDL) with the JDK's StAX parser, one pass, nothing but the message kept. Safe for any body: a DTD is refused
 * before it is read, so no entity is declared, expanded or fetched (no XXE, no billion laughs); elements nest at most
 * {@link #MAX_DEPTH} deep; the size is the HTTP body limit's. Whatever is not an outbound message is a fault.
 */
public final class OutboundMessageParser {

    static final String SOAP_ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String OUTBOUND = "http://soap.sforce.com/2005/09/outbound";
    static final String SOBJECT = "urn:sobject.enterprise.soap.sforce.com";
    /** What one message holds at most, as the WSDL says. */
    public static final int MAX_NOTIFICATIONS = 100;
    /** Envelope, Body, notifications, Notification, sObject, a field and a related record's field, with room. */
    static final int MAX_DEPTH = 10;

    private static final XMLInputFactory FACTORY = factory();

    private final XMLStreamReader reader;
    private int depth;

    private OutboundMessageParser(XMLStreamReader reader) {
        this.reader = reader;
    }

    /** The message in the body; anything else is an {@link OutboundMessageFault} saying what is wrong. */
    public static OutboundMessage parse(byte[] body) {
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            try {
                return new OutboundMessageParser(reader).envelope();
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new OutboundMessageFault("The body is not well-formed XML: " + e.getMessage().replaceAll("\\s+", " "));
        }
    }

    private static XMLInputFactory factory() {
        // the JDK's own implementation, whatever else is on the class path, with every external access off
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    private OutboundMessage envelope() throws XMLStreamException {
        if (nextTag() != START_ELEMENT || !is(SOAP_ENVELOPE, "Envelope")) {
            throw new OutboundMessageFault("Not a SOAP 1.1 envelope: the document is " + element());
        }
        OutboundMessage message = null;
        while (nextTag() == START_ELEMENT) {
            if (is(SOAP_ENVELOPE, "Body") && message == null) {
                message = body();
            } else if (is(SOAP_ENVELOPE, "Header")) {
                skip();
            } else {
                throw new OutboundMessageFault("Unexpected " + element() + " in the SOAP envelope");
            }
        }
        if (message == null) {
            throw new OutboundMessageFault("The SOAP envelope has no Body");
        }
        while (reader.hasNext()) {
            // what follows the envelope must be well-formed too; a DTD cannot come after the root
            reader.next();
        }
        return message;
    }

    private OutboundMessage body() throws XMLStreamException {
        if (nextTag() != START_ELEMENT) {
            throw new OutboundMessageFault("The SOAP Body is empty: a Salesforce outbound message holds notifications");
        }
        if (!is(OUTBOUND, "notifications")) {
            throw new OutboundMessageFault("Not a Salesforce outbound message: the SOAP Body holds " + element()
                    + ", not notifications in " + OUTBOUND);
        }
        OutboundMessage message = notifications();
        if (nextTag() != END_ELEMENT) {
            throw new OutboundMessageFault("Unexpected " + element() + " after the notifications");
        }
        return message;
    }

    private OutboundMessage notifications() throws XMLStreamException {
        String organizationId = null;
        String actionId = null;
        List<OutboundMessage.Notification> notifications = new ArrayList<>();
        while (nextTag() == START_ELEMENT) {
            switch (OUTBOUND.equals(reader.getNamespaceURI()) ? reader.getLocalName() : "") {
                case "OrganizationId" -> organizationId = text();
                case "ActionId" -> actionId = text();
                case "Notification" -> {
                    if (notifications.size() == MAX_NOTIFICATIONS) {
                        throw new OutboundMessageFault("The message holds more than " + MAX_NOTIFICATIONS + " notifications");
                    }
                    notifications.add(notification(notifications.size() + 1));
                }
                // SessionId (a credential: never kept), EnterpriseUrl, PartnerUrl, and what later versions may add
                default -> skip();
            }
        }
        if (organizationId == null) {
            throw new OutboundMessageFault("The notifications have no OrganizationId");
        }
        if (notifications.isEmpty()) {
            throw new OutboundMessageFault("The notifications hold no Notification");
        }
        return new OutboundMessage(organizationId, actionId, notifications);
    }

    private OutboundMessage.Notification notification(int position) throws XMLStreamException {
        String id = null;
        String type = null;
        Map<String, String> fields = null;
        while (nextTag() == START_ELEMENT) {
            switch (OUTBOUND.equals(reader.getNamespaceURI()) ? reader.getLocalName() : "") {
                case "Id" -> id = text();
                case "sObject" -> {
                    type = objectType(position);
                    fields = new LinkedHashMap<>();
                    fields(fields);
                }
                default -> skip();
            }
        }
        if (fields == null) {
            throw new OutboundMessageFault("Notification " + position + " has no sObject");
        }
        return new OutboundMessage.Notification(id, type, fields);
    }

    /** The local name of the sObject's {@code xsi:type} ({@code sf:Lead}: Lead), which must be an sObject type. */
    private String objectType(int position) {
        String type = reader.getAttributeValue(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI, "type");
        if (type == null) {
            throw new OutboundMessageFault("The sObject of notification " + position + " has no xsi:type");
        }
        int colon = type.indexOf(':');
        String namespace = reader.getNamespaceContext().getNamespaceURI(colon < 0 ? "" : type.substring(0, colon));
        if (!SOBJECT.equals(namespace)) {
            throw new OutboundMessageFault("The sObject of notification " + position + " has the type " + OutboundMessageFault.shown(type)
                    + ", which is not in " + SOBJECT);
        }
        return type.substring(colon + 1);
    }

    /** The fields of the element just started, until it ends: text by name, a related record's by dotted name. */
    private void fields(Map<String, String> fields) throws XMLStreamException {
        while (nextTag() == START_ELEMENT) {
            field(fields, reader.getLocalName());
        }
    }

    private void field(Map<String, String> fields, String name) throws XMLStreamException {
        if (nil()) {
            skip();
            return;
        }
        StringBuilder text = new StringBuilder();
        boolean related = false;
        while (true) {
            switch (next()) {
                case CHARACTERS, CDATA, SPACE -> text.append(reader.getText());
                case START_ELEMENT -> {
                    related = true;
                    field(fields, name + "." + reader.getLocalName());
                }
                case END_ELEMENT -> {
                    String value = text.toString().strip();
                    if (!related && !value.isEmpty()) {
                        fields.put(name, value);
                    }
                    return;
                }
                default -> {
                    // comments and processing instructions
                }
            }
        }
    }

    /** The text of the element just started, null when nil or empty. */
    private String text() throws XMLStreamException {
        if (nil()) {
            skip();
            return null;
        }
        StringBuilder text = new StringBuilder();
        while (true) {
            switch (next()) {
                case CHARACTERS, CDATA, SPACE -> text.append(reader.getText());
                case START_ELEMENT -> throw new OutboundMessageFault("Unexpected " + element() + " where text is expected");
                case END_ELEMENT -> {
                    String value = text.toString().strip();
                    return value.isEmpty() ? null : value;
                }
                default -> {
                    // comments and processing instructions
                }
            }
        }
    }

    private boolean nil() {
        String nil = reader.getAttributeValue(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI, "nil");
        return "true".equals(nil) || "1".equals(nil);
    }

    /** Past the end of the element just started, whatever it holds. */
    private void skip() throws XMLStreamException {
        int end = depth - 1;
        while (depth > end) {
            next();
        }
    }

    /** The next start or end tag, past whitespace, comments and processing instructions; other text is a fault. */
    private int nextTag() throws XMLStreamException {
        while (true) {
            int event = next();
            if (event == START_ELEMENT || event == END_ELEMENT) {
                return event;
            }
            if ((event == CHARACTERS || event == CDATA || event == SPACE) && !reader.isWhiteSpace()) {
                throw new OutboundMessageFault("Unexpected text where elements are expected");
            }
        }
    }

    /** The next event, counting depth; a DTD or an entity reference ends the parse before it is read. */
    private int next() throws XMLStreamException {
        int event = reader.next();
        switch (event) {
            case START_ELEMENT -> {
                if (++depth > MAX_DEPTH) {
                    throw new OutboundMessageFault("Elements nest deeper than " + MAX_DEPTH + " levels");
                }
            }
            case END_ELEMENT -> depth--;
            case DTD -> throw new OutboundMessageFault("The body has a DTD (<!DOCTYPE>): DTDs and entities are not accepted");
            case ENTITY_REFERENCE -> throw new OutboundMessageFault("The body references an entity: entities are not accepted");
            case END_DOCUMENT -> throw new OutboundMessageFault("The body ends before its SOAP envelope does");
            default -> {
                // text, comments and processing instructions: the callers decide
            }
        }
        return event;
    }

    private boolean is(String namespace, String localName) {
        return namespace.equals(reader.getNamespaceURI()) && localName.equals(reader.getLocalName());
    }

    /** The element just started, as a fault names it. */
    private String element() {
        String namespace = reader.getNamespaceURI();
        return "<" + OutboundMessageFault.shown(reader.getLocalName()) + ">"
                + (namespace == null || namespace.isEmpty() ? "" : " in " + OutboundMessageFault.shown(namespace));
    }
}
