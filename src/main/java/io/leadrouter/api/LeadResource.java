package io.leadrouter.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.leadrouter.common.SafeContexts;
import io.leadrouter.lead.AssignRequest;
import io.leadrouter.lead.BatchResponse;
import io.leadrouter.lead.CloseRequest;
import io.leadrouter.lead.CloseResult;
import io.leadrouter.lead.DuplicateAnswer;
import io.leadrouter.lead.HeldRequest;
import io.leadrouter.lead.HeldResults;
import io.leadrouter.lead.ImportReport;
import io.leadrouter.lead.IntakeResult;
import io.leadrouter.lead.LeadDetail;
import io.leadrouter.lead.LeadRequest;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lead.LeadView;
import io.leadrouter.lifecycle.LeadImport;
import io.leadrouter.lifecycle.LeadIntake;
import io.leadrouter.lifecycle.LeadService;
import io.leadrouter.lifecycle.ManagerActions;
import io.leadrouter.metrics.IntakeCounted;
import io.leadrouter.security.Credential;
import io.leadrouter.security.Roles;
import io.leadrouter.source.SourceService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** CRM intake and the lead lifecycle. */
@Path("/api/v1/leads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LeadResource {

    static final int MAX_BATCH = 1000;
    static final String KEY_PATTERN = "^[\\x21-\\x7E]{1,200}$";

    private final LeadIntake intake;
    private final LeadImport imports;
    private final LeadService leads;
    private final SourceService sources;
    private final Vertx vertx;
    private final ManagerActions actions;
    private final SecurityIdentity identity;

    public LeadResource(LeadIntake intake, LeadImport imports, LeadService leads, SourceService sources, Vertx vertx,
            ManagerActions actions, SecurityIdentity identity) {
        this.actions = actions;
        this.identity = identity;
        this.intake = intake;
        this.imports = imports;
        this.leads = leads;
        this.sources = sources;
        this.vertx = vertx;
    }

    @POST
    @IntakeCounted
    @RolesAllowed(Roles.INTAKE)
    public Uni<Response> create(
            @HeaderParam("Idempotency-Key") @Pattern(regexp = KEY_PATTERN, message = "must be 1 to 200 visible ASCII characters") String key,
            LeadRequest request) {
        if (request == null) {
            throw DomainException.invalid("MISSING_BODY", "The request needs a JSON lead");
        }
        return intake.takeOne(request, key).map(LeadResource::answer);
    }

    /**
     * The answer to one lead sent in: 201 created, 200 replayed, 200 with the open lead it duplicates (its
     * {@code duplicateOf} and a {@code Link} of rel {@code duplicate-of}), or the problem.
     */
    static Response answer(IntakeResult result) {
        return switch (result.outcome()) {
            case CREATED -> Response.created(URI.create("/api/v1/leads/" + result.lead().id())).entity(result.lead()).build();
            case REPLAYED -> Response.ok(result.lead()).build();
            case DUPLICATE -> Response.ok(new DuplicateAnswer(result.lead(), result.duplicateOf()))
                    .link(URI.create("/api/v1/leads/" + result.duplicateOf().leadId()), "duplicate-of").build();
            case ERROR -> Response.status(result.error().status()).type(Problem.MEDIA_TYPE).entity(result.error()).build();
        };
    }

    /** Up to 1000 leads; each item is created, replayed or refused on its own. */
    @POST
    @Path("/batch")
    @IntakeCounted
    @RolesAllowed(Roles.INTAKE)
    public Uni<BatchResponse> createBatch(
            @HeaderParam("Idempotency-Key") @Pattern(regexp = KEY_PATTERN, message = "must be 1 to 200 visible ASCII characters") String key,
            JsonNode body) {
        if (body == null || !body.isArray()) {
            throw DomainException.invalid("INVALID_BATCH", "The body must be a JSON array of leads");
        }
        if (body.isEmpty() || body.size() > MAX_BATCH) {
            throw DomainException.invalid("INVALID_BATCH", "A batch holds 1 to " + MAX_BATCH + " leads, not " + body.size());
        }
        List<JsonNode> items = new ArrayList<>(body.size());
        body.forEach(items::add);
        return intake.takeAll(items, key);
    }

    /**
     * A CSV of leads, read as it arrives, each row taken in like a batch item: columns by lead field name or by
     * {@code map=<column>:<field>}, or through a named intake source ({@code source=<name>}: a row is the object of its
     * cells by column name, which the source's pointers read as {@code /Column Name}). The README has the rules.
     */
    @POST
    @Path("/import")
    @Consumes(CsvBody.MEDIA_TYPE)
    @Blocking
    @IntakeCounted
    @RolesAllowed(Roles.INTAKE)
    public ImportReport importCsv(
            @HeaderParam("Idempotency-Key") @Pattern(regexp = KEY_PATTERN, message = "must be 1 to 200 visible ASCII characters") String key,
            @QueryParam("map") List<String> map, @QueryParam("source") String source,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) MediaType type, InputStream body) throws IOException {
        if (source == null) {
            return imports.importCsv(CsvBody.reader(type, body), mapping(map), key);
        }
        if (!map.isEmpty()) {
            throw DomainException.invalid("INVALID_MAPPING", "A CSV is mapped by map= or by source=, not both",
                    List.of(new Problem.FieldError("map", "must be left out with source")));
        }
        // a worker thread (@Blocking): the source is read in a session of its own, waited for here
        var through = SafeContexts.run(vertx, () -> sources.mappingOf(source)).await().indefinitely();
        return imports.importCsv(CsvBody.reader(type, body), through, key);
    }

    /** {@code Column Name:field} pairs: a column's name may hold colons, a field's never does. */
    static Map<String, String> mapping(List<String> pairs) {
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String pair : pairs) {
            int colon = pair.lastIndexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw DomainException.invalid("INVALID_MAPPING", "A mapping is <column>:<field>",
                        List.of(new Problem.FieldError("map", "'" + pair + "' is not <column>:<field>")));
            }
            String column = pair.substring(0, colon).strip();
            if (mapping.put(column, pair.substring(colon + 1).strip()) != null) {
                throw DomainException.invalid("INVALID_MAPPING", "A column is mapped twice",
                        List.of(new Problem.FieldError("map", "column '" + column + "' is mapped twice")));
            }
        }
        return mapping;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READ)
    public Uni<LeadDetail> get(@PathParam("id") UUID id) {
        return leads.get(id);
    }

    @GET
    @RolesAllowed(Roles.READ)
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
    @RolesAllowed(Roles.ADMIN)
    public Uni<LeadView> close(@PathParam("id") UUID id, @NotNull(message = "needs a body with an outcome") @Valid CloseRequest request) {
        return leads.close(id, request.outcome(), null).map(CloseResult::lead);
    }

    /** A manager gives the lead to a named rep (see {@link ManagerActions#assign}); 422 names the constraint the rep fails. */
    @POST
    @Path("/{id}/assign")
    @RolesAllowed(Roles.ADMIN)
    public Uni<LeadView> assign(@PathParam("id") UUID id, @NotNull(message = "needs a body with repId and reason") @Valid AssignRequest request) {
        return actions.assign(id, request, by(identity));
    }

    /** Held leads back to the queue, by ids or by team (and hold reason), at most 1,000. */
    @POST
    @Path("/held/requeue")
    @RolesAllowed(Roles.ADMIN)
    public Uni<HeldResults> requeueHeld(@NotNull(message = "needs a body with ids or team") @Valid HeldRequest request) {
        return actions.requeueHeld(request, by(identity));
    }

    /** Held leads closed with an outcome, by ids or by team (and hold reason), at most 1,000. */
    @POST
    @Path("/held/close")
    @RolesAllowed(Roles.ADMIN)
    public Uni<HeldResults> closeHeld(@NotNull(message = "needs a body with ids or team, and an outcome") @Valid HeldRequest request) {
        return actions.closeHeld(request, by(identity));
    }

    /** Who a manager action is recorded as: the credential's id and name. */
    static ManagerActions.By by(SecurityIdentity identity) {
        Credential credential = Credential.of(identity);
        return credential == null ? new ManagerActions.By("unknown", identity.getPrincipal().getName())
                : new ManagerActions.By(credential.id(), credential.name());
    }
}
