package io.leadrouter.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import org.jboss.logging.Logger;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.lead.CrmRecord;
import io.leadrouter.lead.LeadRequest;
import io.quarkus.runtime.Startup;

/**
 * Salesforce outbound messages as leads: the message read ({@link OutboundMessageParser}), its org checked against
 * {@code leadrouter.salesforce.organization-ids}, and each Lead or Contact record mapped to a lead. A field whose value
 * fits a lead field becomes that field; every other field, and a value that does not fit (a free-text phone, a
 * country name without an ISO code), goes into {@code attributes} under its API name, as sent.
 */
@Startup
@ApplicationScoped
public class OutboundMessages {

    private static final Logger LOG = Logger.getLogger(OutboundMessages.class);
    /** An org id, or the id of a record: 15 case-sensitive characters, or those and a 3-character case checksum. */
    private static final Pattern SALESFORCE_ID = Pattern.compile("[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?");
    /** ISO 3166 alpha-2 and alpha-3 codes and English country names, upper case, to the alpha-2 code. */
    private static final Map<String, String> COUNTRIES = countries();

    /** Where a record type keeps the fields that have no common name: its address and its company. */
    private record Shape(String company, String country, String countryCode, String state, String stateCode,
            String postalCode) {
    }

    private static final Map<String, Shape> SHAPES = Map.of(
            "Lead", new Shape("Company", "Country", "CountryCode", "State", "StateCode", "PostalCode"),
            // a contact's company is its account's name, when the message carries the related account
            "Contact", new Shape("Account.Name", "MailingCountry", "MailingCountryCode", "MailingState", "MailingStateCode",
                    "MailingPostalCode"));

    private final Set<String> organizations;
    private final Validator validator;

    public OutboundMessages(LeadRouterConfig config, Validator validator) {
        this.validator = validator;
        List<String> ids = config.salesforce().organizationIds().orElse(List.of()).stream()
                .map(String::strip).filter(id -> !id.isEmpty()).toList();
        for (String id : ids) {
            if (!SALESFORCE_ID.matcher(id).matches()) {
                throw new IllegalStateException("leadrouter.salesforce.organization-ids holds '" + id
                        + "', which is not a 15- or 18-character Salesforce org id (Setup, Company Information)");
            }
        }
        this.organizations = ids.stream().map(OutboundMessages::identity).collect(Collectors.toUnmodifiableSet());
        if (organizations.isEmpty()) {
            LOG.warn("leadrouter.salesforce.organization-ids is not set: every Salesforce outbound message is refused");
        }
    }

    /** The message in the body, when it comes from a configured org; otherwise a fault. */
    public OutboundMessage read(byte[] body) {
        OutboundMessage message = OutboundMessageParser.parse(body);
        String org = message.organizationId();
        if (organizations.isEmpty()) {
            throw new OutboundMessageFault("No Salesforce org is configured: set leadrouter.salesforce.organization-ids "
                    + "(LEADROUTER_SALESFORCE_ORGANIZATION_IDS) to take in the messages of " + OutboundMessageFault.shown(org));
        }
        if (!SALESFORCE_ID.matcher(org).matches() || !organizations.contains(identity(org))) {
            throw new OutboundMessageFault("The org " + OutboundMessageFault.shown(org)
                    + " is not one of leadrouter.salesforce.organization-ids");
        }
        return message;
    }

    /** The message's records as leads, in its order; a record that is no Lead or Contact, or has no id, is a fault. */
    public List<CrmRecord> leads(OutboundMessage message) {
        List<CrmRecord> records = new ArrayList<>(message.notifications().size());
        for (OutboundMessage.Notification notification : message.notifications()) {
            records.add(lead(notification, records.size() + 1));
        }
        return records;
    }

    /** The first 15 characters name an org; the 3 an 18-character id adds only encode their case. */
    private static String identity(String id) {
        return id.substring(0, 15);
    }

    private CrmRecord lead(OutboundMessage.Notification notification, int position) {
        Shape shape = SHAPES.get(notification.objectType());
        if (shape == null) {
            throw new OutboundMessageFault("Notification " + position + " holds a record of type "
                    + OutboundMessageFault.shown(notification.objectType()) + "; only Lead and Contact records are taken in");
        }
        // what is left of the fields once the lead's are taken out is its attributes
        Map<String, String> fields = new LinkedHashMap<>(notification.fields());
        String id = fields.remove("Id");
        if (id == null || !SALESFORCE_ID.matcher(id).matches()) {
            throw new OutboundMessageFault("The " + notification.objectType() + " of notification " + position
                    + " has no Id: the outbound message must send the record's Id");
        }
        Instant modifiedAt = latest(stamp(fields.remove("SystemModstamp"), position),
                stamp(fields.remove("LastModifiedDate"), position));
        String name = Stream.of(fields.get("FirstName"), fields.get("LastName")).filter(Objects::nonNull)
                .collect(Collectors.collectingAndThen(Collectors.joining(" "), joined -> joined.isEmpty() ? null : joined));
        if (name != null && fits("name", name)) {
            fields.remove("FirstName");
            fields.remove("LastName");
        } else {
            name = null;
        }
        String phone = take(fields, "Phone", "phone");
        if (phone == null) {
            phone = take(fields, "MobilePhone", "phone");
        }
        String country = country(fields, shape.countryCode());
        if (country == null) {
            country = country(fields, shape.country());
        }
        String region = take(fields, shape.stateCode(), "region");
        if (region == null) {
            region = take(fields, shape.state(), "region");
        }
        LeadRequest lead = new LeadRequest(id, take(fields, "LeadSource", "source"), name, take(fields, "Email", "email"),
                phone, take(fields, shape.company(), "company"), country, region, take(fields, shape.postalCode(), "postalCode"),
                null, null, take(fields, "Industry", "industry"), value(fields), null, null,
                fields.isEmpty() ? null : new LinkedHashMap<>(fields), null);
        return new CrmRecord(lead, modifiedAt);
    }

    /** The field's value when it fits the lead's property, taken out of the fields; else null, the field left. */
    private String take(Map<String, String> fields, String field, String property) {
        String value = fields.get(field);
        if (value == null || !fits(property, value)) {
            return null;
        }
        fields.remove(field);
        return value;
    }

    /** The ISO code of a country field that holds one, or a name that has one. */
    private static String country(Map<String, String> fields, String field) {
        String value = fields.get(field);
        String code = value == null ? null : COUNTRIES.get(value.strip().toUpperCase(Locale.ROOT));
        if (code != null) {
            fields.remove(field);
        }
        return code;
    }

    private BigDecimal value(Map<String, String> fields) {
        String revenue = fields.get("AnnualRevenue");
        if (revenue == null) {
            return null;
        }
        try {
            // SOAP writes doubles as 2.5E7: a whole number, not -6 decimals
            BigDecimal value = new BigDecimal(revenue);
            value = value.scale() < 0 ? value.setScale(0) : value;
            if (!fits("value", value)) {
                return null;
            }
            fields.remove("AnnualRevenue");
            return value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private boolean fits(String property, Object value) {
        return validator.validateValue(LeadRequest.class, property, value).isEmpty();
    }

    private static Instant stamp(String value, int position) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new OutboundMessageFault("The record of notification " + position + " has a modification time "
                    + OutboundMessageFault.shown(value) + " that is no xsd:dateTime");
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static Map<String, String> countries() {
        Map<String, String> countries = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            Locale locale = new Locale("", code);
            countries.put(code, code);
            countries.putIfAbsent(locale.getDisplayCountry(Locale.ENGLISH).toUpperCase(Locale.ROOT), code);
            try {
                countries.putIfAbsent(locale.getISO3Country(), code);
            } catch (MissingResourceException e) {
                // no alpha-3 code known for it: the others still map
            }
        }
        return Map.copyOf(countries);
    }
}
