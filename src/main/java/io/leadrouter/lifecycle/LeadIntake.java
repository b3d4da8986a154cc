package io.leadrouter.lifecycle;

import static io.leadrouter.event.EventBatch.data;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.leadrouter.common.ProblemMappers;
import io.leadrouter.common.Sql;
import io.leadrouter.common.Timestamps;
import io.leadrouter.event.EventBatch;
import io.leadrouter.event.EventLog;
import io.leadrouter.event.EventType;
import io.leadrouter.lead.BatchResponse;
import io.leadrouter.lead.DuplicateOf;
import io.leadrouter.lead.IntakeResult;
import io.leadrouter.lead.Lead;
import io.leadrouter.lead.LeadLimits;
import io.leadrouter.lead.LeadRequest;
import io.leadrouter.lead.LeadStatus;
import io.leadrouter.lead.LeadView;
import io.leadrouter.policy.Policy;
import io.leadrouter.policy.PolicyService;
import io.leadrouter.routing.AccountKeys;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Writes leads idempotently: one INSERT .. ON CONFLICT DO NOTHING for the whole batch, so racing
 * replays of one key create one lead (the unique index decides, not a check-then-insert). A lead that
 * duplicates an open lead (the policy's {@code duplicates}) is not inserted: {@link DuplicateCheck}.
 */
@ApplicationScoped
public class LeadIntake {

    /** One item that passed validation, with what the server derived from it. */
    public record Accepted(int index, LeadRequest request, String idempotencyKey) {
    }

    /**
     * The leads and their {@code lead.created} events in one statement; the event data is what {@link #createdData} makes
     * of the lead (nulls left out). Returns, per created lead, the columns the database normalises (value rounded to
     * its scale, JSON objects in jsonb's key order) and its event. With a duplicate check ({@link DuplicateCheck.Keys})
     * the items carry more columns (1), the open duplicates are looked up (2), the items that are none are inserted (3),
     * and the duplicates found are answered too (4): the lookup runs in this statement, after the locks the previous one took.
     */
    private static final String INSERT = """
            WITH x AS (
                SELECT * FROM jsonb_to_recordset(cast(cast(:rows AS text) AS jsonb)) AS x(
                       id uuid, idempotency_key text, request_hash text, external_id text, source text, name text,
                       email text, phone text, company text, country text, region text, postal_code text, language text,
                       product text, industry text, value numeric, score integer, required_skills jsonb,
                       attributes jsonb, team text, priority integer, load_points integer, tiers integer[],
                       policy_version integer, email_domain text, company_key text%1$s)
            )%2$s, l AS (
                INSERT INTO lead (id, idempotency_key, request_hash, external_id, source, name, email, phone, company,
                                  country, region, postal_code, language, product, industry, value, score,
                                  required_skills, attributes, team, priority, base_priority, load_points, tiers, policy_version,
                                  email_domain, company_key)
                SELECT x.id, x.idempotency_key, x.request_hash, x.external_id, x.source, x.name, x.email, x.phone,
                       x.company, x.country, x.region, x.postal_code, x.language, x.product, x.industry, x.value, x.score,
                       coalesce(x.required_skills, '{}'), coalesce(x.attributes, '{}'), x.team, x.priority, x.priority,
                       x.load_points, x.tiers, x.policy_version, x.email_domain, x.company_key
                FROM x
                %3$s
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING id, team, source, external_id, priority, policy_version, value, required_skills, attributes, created_at
            ), e AS (
                INSERT INTO lifecycle_event (type, lead_id, team, policy_version, data)
                SELECT 'lead.created', l.id, l.team, l.policy_version,
                       jsonb_strip_nulls(jsonb_build_object('source', l.source, 'externalId', l.external_id, 'priority', l.priority))
                FROM l
                RETURNING id, cast(tx AS text) AS tx, occurred_at, lead_id
            )
            SELECT l.id, cast(l.value AS text), cast(l.required_skills AS text), cast(l.attributes AS text), l.created_at,
                   e.id, e.tx, e.occurred_at, NULL, NULL
            FROM l JOIN e ON e.lead_id = l.id
            %4$s
            """;

    /** {@link #INSERT} without a duplicate check. */
    private static final Sql.Direct INSERT_UNCHECKED = Sql.Direct.of(INSERT.formatted("", "", "", ""));

    /** The first decision of a lead whose team has nobody, as {@link OfferService} records it when such a lead is drained. */
    private static final String UNROUTED = """
            INSERT INTO decision (lead_id, attempt, kind, mode, policy_version, trace)
            SELECT x.lead_id, 1, 'NO_MATCH', coalesce(m.mode, 'PUSH'), x.policy_version,
                   jsonb_build_object('candidates', jsonb_build_array(), 'relaxed', jsonb_build_array(), 'reason', x.reason)
            FROM jsonb_to_recordset(cast(cast(:rows AS text) AS jsonb)) AS x(lead_id uuid, policy_version integer, reason text)
            LEFT JOIN team_mode m ON m.team = (SELECT team FROM lead WHERE id = x.lead_id)
            ON CONFLICT DO NOTHING
            """;

    private static final TypeReference<Map<String, Integer>> SKILLS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
    private final ObjectMapper canonical;
    private final Validator validator;
    private final LeadRouterConfig config;
    private final PolicyService policies;
    private final EventLog events;
    private final KnownTeams knownTeams;
    private final DuplicateCheck duplicates;

    public LeadIntake(ObjectMapper mapper, Validator validator, LeadRouterConfig config, PolicyService policies,
            EventLog events, KnownTeams knownTeams, DuplicateCheck duplicates) {
        this.duplicates = duplicates;
        this.knownTeams = knownTeams;
        this.policies = policies;
        this.events = events;
        this.mapper = mapper;
        this.canonical = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.validator = validator;
        this.config = config;
    }

    /** Field errors of one lead, its {@link LeadLimits} included; empty when it may be stored. */
    public List<Problem.FieldError> validate(LeadRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        validator.validate(request).forEach(v -> errors.add(new Problem.FieldError(
                ProblemMappers.fieldOf(v.getPropertyPath()), v.getMessage())));
        if (!request.identifiesSomeone()) {
            errors.add(new Problem.FieldError("name", "one of name, email or company is required"));
        }
        errors.addAll(LeadLimits.check(request));
        errors.sort((a, b) -> a.field().compareTo(b.field()));
        return errors;
    }

    /** The idempotency key of an item: the header's (suffixed per batch item), else the CRM's externalId. */
    public static String keyOf(String headerKey, LeadRequest request) {
        if (headerKey != null && !headerKey.isBlank()) {
            return "key:" + headerKey;
        }
        return request.externalId() == null || request.externalId().isBlank() ? null : "ext:" + request.externalId();
    }

    /**
     * One lead: created, replayed or refused with its problem.
     *
     * @throws DomainException INVALID with the field errors, when the lead cannot be stored
     */
    public Uni<IntakeResult> takeOne(LeadRequest request, String headerKey) {
        List<Problem.FieldError> errors = validate(request);
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        return store(List.of(new Accepted(0, request, keyOf(headerKey, request)))).map(results -> results.get(0));
    }

    /** A lead as sent, with the number the sender knows it by: a batch item's index, an imported CSV row's row. */
    public record Numbered(int number, JsonNode lead) {
    }

    /**
     * Leads as the sender sent them, each created, replayed or refused on its own (an item that is no lead object, or
     * has invalid fields, is refused with its problem), answered in the order sent. Item {@code i} of a keyed request
     * has the key {@code key#i}.
     */
    public Uni<BatchResponse> takeAll(List<JsonNode> items, String headerKey) {
        List<Numbered> numbered = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            numbered.add(new Numbered(i, items.get(i)));
        }
        return takeNumbered(numbered, headerKey);
    }

    /** {@link #takeAll} for leads numbered by the sender: results and keys ({@code key#number}) carry their numbers. */
    public Uni<BatchResponse> takeNumbered(List<Numbered> items, String headerKey) {
        List<IntakeResult> refused = new ArrayList<>();
        List<Accepted> accepted = new ArrayList<>();
        for (Numbered item : items) {
            int i = item.number();
            if (!item.lead().isObject()) {
                refused.add(IntakeResult.error(i, ProblemMappers.problemOf(DomainException.invalid("INVALID_FIELD",
                        "A batch item must be a lead object", List.of(new Problem.FieldError("$", "must be a JSON object"))))));
                continue;
            }
            try {
                LeadRequest request = mapper.treeToValue(item.lead(), LeadRequest.class);
                List<Problem.FieldError> errors = validate(request);
                if (errors.isEmpty()) {
                    accepted.add(new Accepted(i, request, keyOf(headerKey == null ? null : headerKey + "#" + i, request)));
                } else {
                    refused.add(IntakeResult.error(i, ProblemMappers.problemOf(DomainException.invalid(errors))));
                }
            } catch (JsonProcessingException e) {
                refused.add(IntakeResult.error(i, ProblemMappers.jsonProblem(e)));
            }
        }
        Uni<List<IntakeResult>> stored = accepted.isEmpty() ? Uni.createFrom().item(List.of()) : store(accepted);
        return stored.map(results -> {
            List<IntakeResult> all = new ArrayList<>(results);
            all.addAll(refused);
            all.sort(Comparator.comparingInt(IntakeResult::index));
            return BatchResponse.of(all);
        });
    }

    /**
     * Inserts what is new and returns, per item, the created or replayed lead or the conflict; a lead naming a team
     * nobody knows is refused (UNKNOWN_TEAM). When no lead has a value of the duplicate rule's keys (or the rule is off)
     * and every lead's team was seen staffed lately (so none gets its NO_MATCH decision at intake), the insert is the
     * only write: it commits alone, without the round trips of BEGIN and COMMIT, as a queue's enqueue does. Keyed
     * leads need the transaction: their locks are taken in one statement and looked up under in the next.
     */
    public Uni<List<IntakeResult>> store(List<Accepted> items) {
        return Panache.withSession(() -> policies.current().chain(policy -> {
            Set<String> named = new HashSet<>();
            items.stream().map(item -> item.request().team()).filter(Objects::nonNull).forEach(named::add);
            return knownTeams.unknown(named, policy).chain(unknown -> {
                List<IntakeResult> refused = new ArrayList<>();
                List<Accepted> kept = new ArrayList<>(items.size());
                List<Map<String, Object>> rows = new ArrayList<>(items.size());
                for (Accepted item : items) {
                    if (item.request().team() != null && unknown.contains(item.request().team())) {
                        refused.add(IntakeResult.error(item.index(), ProblemMappers.problemOf(unknownTeam(item.request().team()))));
                    } else {
                        kept.add(item);
                        rows.add(row(item, policy));
                    }
                }
                List<String> teams = rows.stream().map(row -> (String) row.get("team")).toList();
                DuplicateCheck.Keys keys = kept.isEmpty() || policy.duplicates().off() ? null
                        : duplicates.keysOf(kept, teams, policy.duplicates());
                Uni<List<IntakeResult>> stored = kept.isEmpty() ? Uni.createFrom().item(List.of())
                        : keys == null && knownTeams.staffedLately(new HashSet<>(teams))
                                ? events.inOneStatement(batch -> insert(kept, rows, null, false, batch))
                                : events.inTransaction(batch -> (keys == null ? Uni.createFrom().voidItem() : duplicates.lock(keys))
                                        .chain(() -> insert(kept, rows, keys, true, batch)));
                return stored.map(results -> {
                    if (refused.isEmpty()) {
                        return results;
                    }
                    List<IntakeResult> all = new ArrayList<>(results);
                    all.addAll(refused);
                    all.sort(Comparator.comparingInt(IntakeResult::index));
                    return all;
                });
            });
        }));
    }

    /** The answer to an item that duplicates a lead, and its {@code lead.duplicate} event (which tells the lead's owner). */
    private static IntakeResult duplicate(Accepted item, DuplicateCheck.Duplicate duplicate, List<IntakeResult> earlierResults,
            EventBatch batch) {
        LeadView lead;
        Integer policyVersion;
        if (duplicate.existing() != null) {
            lead = LeadView.of(duplicate.existing());
            policyVersion = duplicate.existing().policyVersion;
        } else {
            IntakeResult earlier = earlierResults.get(duplicate.earlier());
            if (earlier.lead() == null) {
                return IntakeResult.error(item.index(), ProblemMappers.problemOf(new DomainException(DomainException.Kind.UNPROCESSABLE,
                        "DUPLICATE_OF_REFUSED_ITEM", "This lead duplicates item " + earlier.index() + " of the batch, which was refused")));
            }
            lead = earlier.lead();
            policyVersion = null;
        }
        LeadRequest r = item.request();
        Map<String, Object> sent = data("externalId", r.externalId(), "source", r.source(), "name", r.name(), "email", r.email(),
                "phone", r.phone(), "company", r.company());
        batch.lead(EventType.LEAD_DUPLICATE, lead.id(), lead.team(), lead.ownerRepId(), policyVersion,
                data("by", duplicate.by(), "duplicate", sent), null);
        return IntakeResult.duplicate(item.index(), lead, new DuplicateOf(lead.id(), duplicate.by()));
    }

    private static DomainException unknownTeam(String team) {
        return new DomainException(DomainException.Kind.UNPROCESSABLE, "UNKNOWN_TEAM", "No rep and no policy knows team " + team,
                List.of(new Problem.FieldError("team", "is not a known team: create a rep in it, name it in the policy,"
                        + " or let the policy create teams (allowNewTeams)")));
    }

    /** The row {@link #store} inserts for the item, with what the policy derives from it. */
    Map<String, Object> rowOf(Accepted item, Policy policy) {
        return row(item, policy);
    }

    /**
     * Inserts what is new, in the caller's transaction, from rows made by {@link #rowOf}: for {@link RecordIntake},
     * which updates the leads whose record changed in the same transaction.
     */
    Uni<List<IntakeResult>> storeIn(List<Accepted> items, List<Map<String, Object>> rows, EventBatch batch) {
        return insert(items, rows, null, true, batch);
    }

    /** A lead the insert created, as shown, with the policy version its event carries. */
    private record Created(LeadView lead, int policyVersion) {
    }

    /**
     * Inserts the items that are new and no duplicates ({@code keys}: their key values, locked; null when none is
     * checked) and answers every item: created, a duplicate, replayed or refused. {@code recordUnrouted}: whether leads of a
     * team without an active rep get their NO_MATCH decision here, which writes in the caller's transaction.
     */
    private Uni<List<IntakeResult>> insert(List<Accepted> items, List<Map<String, Object>> rows, DuplicateCheck.Keys keys,
            boolean recordUnrouted, EventBatch batch) {
        Map<String, Object> params = new HashMap<>();
        Sql.Direct statement = INSERT_UNCHECKED;
        if (keys != null) {
            keys.addTo(rows);
            // the lookup depends on the policy's rule; compiling it is a scan of the text, cheaper than the ORM's parse
            statement = Sql.Direct.of(INSERT.formatted(DuplicateCheck.COLUMNS, keys.ctes(), DuplicateCheck.CONDITION,
                    DuplicateCheck.ANSWER));
            params.putAll(keys.params());
        }
        params.put("rows", json(rows));
        // the created leads are shown from what was sent and the few columns the database normalises, not loaded as
        // entities; their events were written by the insert itself and join the batch in the order of their ids. The
        // statement runs direct on the session's connection: it is the intake's hot path
        return Sql.direct(statement, params).chain(answer -> {
            Map<UUID, Integer> positionOf = new HashMap<>();
            for (int p = 0; p < rows.size(); p++) {
                positionOf.put((UUID) rows.get(p).get("id"), p);
            }
            List<Object[]> inserted = new ArrayList<>(answer.size());
            Map<Integer, UUID> duplicateOf = new HashMap<>();
            for (Object[] column : answer) {
                if (column[8] == null) {
                    inserted.add(column);
                } else {
                    duplicateOf.put(((Number) column[8]).intValue(), (UUID) column[9]);
                }
            }
            inserted.sort(Comparator.comparingLong(column -> ((Number) column[5]).longValue()));
            Map<Integer, Created> created = new HashMap<>();
            List<Created> inOrder = new ArrayList<>(inserted.size());
            for (Object[] column : inserted) {
                int p = positionOf.get((UUID) column[0]);
                Created lead = new Created(view(items.get(p).request(), rows.get(p), column), (Integer) rows.get(p).get("policy_version"));
                created.put(p, lead);
                inOrder.add(lead);
                batch.written(((Number) column[5]).longValue(), (String) column[6], Timestamps.of(column[7]),
                        EventType.LEAD_CREATED, lead.lead().id(), lead.lead().team(), null, lead.policyVersion(),
                        createdData(lead.lead()), null);
            }
            Uni<Map<Integer, DuplicateCheck.Duplicate>> found = keys == null ? Uni.createFrom().item(Map.of())
                    : duplicates.find(keys, duplicateOf);
            Uni<Void> unrouted = recordUnrouted ? unrouted(inOrder, batch) : Uni.createFrom().voidItem();
            return unrouted.chain(() -> found).chain(dups -> replayed(items, created.size() + dups.size())
                    .map(replayed -> results(items, rows, created, dups, replayed, batch)));
        });
    }

    /** The data of a lead's {@code lead.created} event; {@link #INSERT} builds the same. */
    private static Map<String, Object> createdData(LeadView lead) {
        return data("source", lead.source(), "externalId", lead.externalId(), "priority", lead.priority());
    }

    /** A lead just inserted from {@code row}, as shown: {@code column} holds what {@link #INSERT} returned of it. */
    private LeadView view(LeadRequest r, Map<String, Object> row, Object[] column) {
        return new LeadView((UUID) column[0], r.externalId(), r.source(), r.name(), r.email(), r.phone(), r.company(),
                r.country(), r.region(), r.postalCode(), r.language(), r.product(), r.industry(),
                column[1] == null ? null : new BigDecimal((String) column[1]),
                (Integer) row.get("score"), read((String) column[2], SKILLS), read((String) column[3], ATTRIBUTES),
                (String) row.get("team"), LeadStatus.QUEUED, null, (Integer) row.get("priority"),
                (Integer) row.get("load_points"), 0, null, null, Timestamps.of(column[4]), null, null);
    }

    /** New leads of teams without an active rep get their NO_MATCH decision and tell managers, as the intake commits. */
    private Uni<Void> unrouted(List<Created> created, EventBatch batch) {
        Set<String> teams = new HashSet<>();
        created.forEach(c -> teams.add(c.lead().team()));
        return knownTeams.unstaffed(teams).chain(unstaffed -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Created c : created) {
                LeadView lead = c.lead();
                if (unstaffed.contains(lead.team())) {
                    String reason = OfferService.noRepsIn(lead.team());
                    rows.add(Map.of("lead_id", lead.id(), "policy_version", c.policyVersion(), "reason", reason));
                    batch.lead(EventType.LEAD_UNROUTED, lead.id(), lead.team(), null, c.policyVersion(), data("reason", reason), null);
                }
            }
            return rows.isEmpty() ? Uni.createFrom().voidItem() : Sql.update(UNROUTED, Map.of("rows", json(rows))).replaceWithVoid();
        });
    }

    /** The stored leads of the items that did not insert: their key was used before. */
    private static Uni<List<Lead>> replayed(List<Accepted> items, int created) {
        if (created == items.size()) {
            return Uni.createFrom().item(List.of());
        }
        return Sql.readOnly("from Lead where idempotencyKey in ?1", Lead.class, items.stream().map(Accepted::idempotencyKey)
                .filter(Objects::nonNull).distinct().toList());
    }

    private static List<IntakeResult> results(List<Accepted> items, List<Map<String, Object>> rows, Map<Integer, Created> created,
            Map<Integer, DuplicateCheck.Duplicate> duplicates, List<Lead> existing, EventBatch batch) {
        Map<String, Lead> existingByKey = new HashMap<>();
        existing.forEach(l -> existingByKey.put(l.idempotencyKey, l));
        List<IntakeResult> results = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Accepted item = items.get(i);
            Created mine = created.get(i);
            if (mine != null) {
                results.add(new IntakeResult(item.index(), IntakeResult.Outcome.CREATED, mine.lead(), null));
                continue;
            }
            DuplicateCheck.Duplicate duplicate = duplicates.get(i);
            if (duplicate != null) {
                results.add(duplicate(item, duplicate, results, batch));
                continue;
            }
            // the lead that holds the key: an earlier request's, or an earlier item's of this batch
            Lead original = existingByKey.get(item.idempotencyKey());
            if (original.requestHash.equals(rows.get(i).get("request_hash"))) {
                results.add(new IntakeResult(item.index(), IntakeResult.Outcome.REPLAYED, LeadView.of(original), null));
            } else {
                results.add(IntakeResult.error(item.index(), ProblemMappers.problemOf(new DomainException(
                        DomainException.Kind.UNPROCESSABLE, "IDEMPOTENCY_KEY_REUSED",
                        "This idempotency key was used for lead " + original.id + " with a different body"))));
            }
        }
        return results;
    }

    /** The row to insert, with what the policy's rules derive from the lead and the digest of the request. */
    private Map<String, Object> row(Accepted item, Policy policy) {
        LeadRequest r = item.request();
        // the request's fields as the rules read them, converted once for the digest and the rules
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = mapper.convertValue(r, Map.class);
        String hash = hash(fields, r.value());
        String team = policy.teamOf(fields, r.team(), config.defaultTeam());
        fields.put("team", team);
        Policy.LeadScore scored = policy.score(fields, r.score(), r.requiredSkills() == null ? Map.of() : r.requiredSkills());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", UUID.randomUUID());
        row.put("idempotency_key", item.idempotencyKey());
        row.put("request_hash", hash);
        row.put("external_id", r.externalId());
        row.put("source", r.source());
        row.put("name", r.name());
        row.put("email", r.email());
        row.put("phone", r.phone());
        row.put("company", r.company());
        row.put("country", r.country());
        row.put("region", r.region());
        row.put("postal_code", r.postalCode());
        row.put("language", r.language());
        row.put("product", r.product());
        row.put("industry", r.industry());
        row.put("value", r.value());
        row.put("score", scored.score());
        row.put("required_skills", scored.requiredSkills());
        row.put("attributes", r.attributes());
        row.put("team", team);
        row.put("priority", scored.priority());
        row.put("load_points", scored.loadPoints());
        row.put("tiers", scored.tiers());
        row.put("policy_version", policy.version());
        row.put("email_domain", AccountKeys.emailDomain(r.email()));
        row.put("company_key", AccountKeys.company(r.company()));
        return row;
    }

    /**
     * A digest of the request as the CRM meant it, from its fields as converted: key order and trailing decimal zeros
     * do not matter.
     */
    private String hash(Map<String, Object> fields, BigDecimal value) {
        Map<String, Object> sorted = new TreeMap<>(fields);
        if (value != null) {
            sorted.put("value", value.stripTrailingZeros().toPlainString());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.writeValueAsString(sorted).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("Could not digest a lead", e);
        }
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored lead is unreadable", e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialize leads", e);
        }
    }
}
