package io.leadrouter.api;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.leadrouter.lead.CrmRecord;
import io.leadrouter.lifecycle.RecordIntake;
import io.leadrouter.salesforce.OutboundMessage;
import io.leadrouter.salesforce.OutboundMessageFault;
import io.leadrouter.salesforce.OutboundMessages;
import io.leadrouter.salesforce.SoapReply;
import io.leadrouter.security.Roles;
import io.smallrye.mutiny.Uni;

/**
 * Salesforce outbound messages in: the SOAP {@code notifications} of a workflow rule or flow, for Lead and Contact
 * records, acknowledged once their leads are stored. A message refused as a whole is a SOAP fault, and Salesforce
 * sends it again; so is one with records that could not be taken in (the others are stored, and taken again as they are).
 */
@Path("/api/v1/intake/salesforce")
public class SalesforceResource {

    private static final Logger LOG = Logger.getLogger(SalesforceResource.class);
    /** Refused records a faultstring names. */
    private static final int NAMED = 10;

    private final OutboundMessages messages;
    private final RecordIntake records;

    public SalesforceResource(OutboundMessages messages, RecordIntake records) {
        this.messages = messages;
        this.records = records;
    }

    @POST
    @Consumes({ MediaType.TEXT_XML, MediaType.APPLICATION_XML })
    @Produces(MediaType.TEXT_XML)
    @RolesAllowed(Roles.INTAKE)
    public Uni<Response> notifications(byte[] body) {
        OutboundMessage message = messages.read(body);
        List<CrmRecord> leads = messages.leads(message);
        return records.take(leads).map(taken -> answer(message, leads, taken)).onFailure().recoverWithItem(failure -> {
            LOG.errorf(failure, "The leads of Salesforce outbound message %s of org %s could not be stored",
                    message.actionId(), message.organizationId());
            return soap(SoapReply.FAULT_STATUS, SoapReply.fault(SoapReply.FaultCode.SERVER,
                    "The leads could not be stored; Salesforce will send the message again"));
        });
    }

    @ServerExceptionMapper
    Response refused(OutboundMessageFault fault) {
        LOG.warnf("Salesforce outbound message refused: %s", fault.getMessage());
        return soap(SoapReply.FAULT_STATUS, SoapReply.fault(SoapReply.FaultCode.CLIENT, fault.getMessage()));
    }

    private static Response answer(OutboundMessage message, List<CrmRecord> leads, List<RecordIntake.Taken> taken) {
        Map<RecordIntake.Outcome, Integer> counts = new EnumMap<>(RecordIntake.Outcome.class);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < taken.size(); i++) {
            counts.merge(taken.get(i).outcome(), 1, Integer::sum);
            if (taken.get(i).outcome() == RecordIntake.Outcome.REFUSED) {
                refused.add(leads.get(i).lead().externalId() + " (" + taken.get(i).errors().stream()
                        .map(e -> e.field() + ": " + e.reason()).collect(Collectors.joining(", ")) + ")");
            }
        }
        LOG.debugf("Salesforce outbound message %s of org %s: %s", message.actionId(), message.organizationId(), counts);
        if (refused.isEmpty()) {
            return soap(Response.Status.OK.getStatusCode(), SoapReply.ack());
        }
        String faultstring = refused.size() + " of " + leads.size() + " records could not be taken in (the others are stored): "
                + String.join("; ", refused.subList(0, Math.min(NAMED, refused.size()))) + (refused.size() > NAMED ? "; …" : "");
        LOG.warnf("Salesforce outbound message %s of org %s: %s", message.actionId(), message.organizationId(), faultstring);
        return soap(SoapReply.FAULT_STATUS, SoapReply.fault(SoapReply.FaultCode.CLIENT, faultstring));
    }

    private static Response soap(int status, String envelope) {
        return Response.status(status).type(SoapReply.MEDIA_TYPE).entity(envelope).build();
    }
}
