package io.leadrouter.salesforce;

/**
 * A message refused as a whole, before anything is stored: answered with a SOAP fault ({@code soapenv:Client}) whose
 * faultstring is this message, so the Salesforce admin reads it in the outbound message's delivery status.
 */
public class OutboundMessageFault extends RuntimeException {

    /** How much of a sent value a faultstring repeats. */
    private static final int SHOWN = 60;

    public OutboundMessageFault(String faultstring) {
        super(faultstring, null, false, false);
    }

    /** A value from the message as a faultstring repeats it: bounded, whatever was sent. */
    static String shown(String value) {
        return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "…";
    }
}
