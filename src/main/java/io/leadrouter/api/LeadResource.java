package io.leadrouter.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.leadrouter.common.ProblemMappers;
import io.leadrouter.lead.BatchResponse;
import io.leadrouter.lead.CloseRequest;
import io.leadrouter.lead.CloseResult;
import io.leadrouter.lead.IntakeResult;
import io.leadrouter.lead.LeadRequest;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lead.LeadView;
import io.leadrouter.lifecycle.LeadIntake;
import io.leadrouter.lifecycle.LeadService;
import io.leadrouter.metrics.IntakeCounted;
import io.leadrouter.security.Roles;
import io.smallrye.mutiny.Uni;

/** CRM intake and the lead lifecycle. */
@Path("/api/v1/leads")
@RolesAllowed(Roles.API)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LeadResource {

    static final int MAX_BATCH = 1000;
    static final String KEY_PATTERN = "^[\\x21-\\x7E]{1,200}$";

    private final LeadIntake intake;
    private final LeadService leads;
    private final ObjectMapper mapper;

    public LeadResource(LeadIntake intake, LeadService leads, ObjectMapper mapper) {
        this.intake = intake;
        this.leads = leads;
        this.mapper = mapper;
    }

    @POST
    @IntakeCounted
    public Uni<Response> create(
            @HeaderParam("Idempotency-Key") @Pattern(regexp = KEY_PATTERN, message = "must be 1 to 200 visible ASCII characters") String key,
            LeadRequest request) {
        if (request == null) {
            throw DomainException.invalid("MISSING_BODY", "The request needs a JSON lead");
        }
        List<Problem.FieldError> errors = intake.validate(request);
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        return intake.store(List.of(new LeadIntake.Accepted(0, request, LeadIntake.keyOf(key, request))))
                .map(results -> {
                    IntakeResult result = results.get(0);
                    return switch (result.outcome()) {
                        case CREATED -> Response.created(URI.create("/api/v1/leads/" + result.lead().id())).entity(result.lead())
                                .build();
                        case REPLAYED -> Response.ok(result.lead()).build();
                        case ERROR -> Response.status(result.error().status()).type(Problem.MEDIA_TYPE).entity(result.error())
                                .build();
                    };
                });
    }

    /** Up to 1000 leads; each item is created, replayed or refused on its own. */
    @POST
    @Path("/batch")
    @IntakeCounted
    public Uni<BatchResponse> createBatch(
            @HeaderParam("Idempotency-Key") @Pattern(regexp = KEY_PATTERN, message = "must be 1 to 200 visible ASCII characters") String key,
            JsonNode body) {
        if (body == null || !body.isArray()) {
            throw DomainException.invalid("INVALID_BATCH", "The body must be a JSON array of leads");
        }
        if (body.isEmpty() || body.size() > MAX_BATCH) {
            throw DomainException.invalid("INVALID_BATCH", "A batch holds 1 to " + MAX_BATCH + " leads, not " + body.size());
        }
        List<IntakeResult> refused = new ArrayList<>();
        List<LeadIntake.Accepted> accepted = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            if (!body.get(i).isObject()) {
                refused.add(IntakeResult.error(i, ProblemMappers.problemOf(DomainException.invalid("INVALID_FIELD",
                        "A batch item must be a lead object", List.of(new Problem.FieldError("$", "must be a JSON object"))))));
                continue;
            }
            try {
                LeadRequest request = mapper.treeToValue(body.get(i), LeadRequest.class);
                List<Problem.FieldError> errors = intake.validate(request);
                if (errors.isEmpty()) {
                    accepted.add(new LeadIntake.Accepted(i, request, LeadIntake.keyOf(key == null ? null : key + "#" + i, request)));
                } else {
                    refused.add(IntakeResult.error(i, ProblemMappers.problemOf(DomainException.invalid(errors))));
                }
            } catch (JsonProcessingException e) {
                refused.add(IntakeResult.error(i, ProblemMappers.jsonProblem(e)));
            }
        }
        Uni<List<IntakeResult>> stored = accepted.isEmpty() ? Uni.createFrom().item(List.of()) : intake.store(accepted);
        return stored.map(results -> {
            List<IntakeResult> all = new ArrayList<>(results);
            all.addAll(refused);
            all.sort(Comparator.comparingInt(IntakeResult::index));
            return BatchResponse.of(all);
        });
    }

    @GET
    @Path("/{id}")
    public Uni<LeadView> get(@PathParam("id") UUID id) {
        return leads.get(id);
    }

    @GET
    public Uni<List<LeadView>> list(@QueryParam("status") String status,
            @QueryParam("owner") @Pattern(regexp = "^[A-Za-z0-9._@-]{1,100}$", message = "must be a rep id") String owner,
            @QueryParam("team") @Pattern(regexp = "^[A-Za-z0-9._-]{1,100}$", message = "must be a team name") String team,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return leads.list(status == null ? null : statusOf(status), owner, team, limit);
    }

    private static LeadStatus statusOf(String status) {
        try {
            return LeadStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("VALIDATION_FAILED", "Unknown status " + status, List.of(
                    new Problem.FieldError("status", "must be one of " + List.of(LeadStatus.values()))));
        }
    }

    @POST
    @Path("/{id}/close")
    public Uni<LeadView> close(@PathParam("id") UUID id, @NotNull(message = "needs a body with an outcome") @Valid CloseRequest request) {
        return leads.close(id, request.outcome(), null).map(CloseResult::lead);
    }
}
