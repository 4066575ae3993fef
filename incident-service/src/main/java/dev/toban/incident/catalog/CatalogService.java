package dev.toban.incident.catalog;

import dev.toban.contracts.TeamRef;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.config.PublicLinks;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.ingestion.IntegrationKeys;
import dev.toban.incident.model.ChangeEventRepository;
import dev.toban.incident.model.IntegrationKey;
import dev.toban.incident.model.IntegrationKeyRepository;
import dev.toban.incident.model.IntegrationType;
import dev.toban.incident.model.Sql;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import dev.toban.plumbing.input.SingleLine;
import dev.toban.plumbing.jobs.AfterCommit;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The service catalog: which team owns a service, whom to page, its runbook, channel and integration keys.
 * A service names a team and an escalation policy of oncall-service; both are checked there
 * ({@link OnCallReferences}) before the transaction that stores them, never inside it. Archived services
 * stay readable by id but take no new incidents and no events on their keys.
 */
@ApplicationScoped
public class CatalogService {

    private final TechnicalServiceRepository services;
    private final IntegrationKeyRepository keys;
    private final ChangeEventRepository changes;
    private final TeamDirectoryService teams;
    private final IntegrationKeys keyCache;
    private final ActorService actors;
    private final AfterCommit afterCommit;
    private final OnCallReferences references;
    private final Sql sql;
    private final IncidentConfig config;
    private final PublicLinks links;

    public CatalogService(TechnicalServiceRepository services, IntegrationKeyRepository keys,
                          ChangeEventRepository changes, TeamDirectoryService teams, IntegrationKeys keyCache,
                          ActorService actors, AfterCommit afterCommit,
                          OnCallReferences references, Sql sql, IncidentConfig config, PublicLinks links) {
        this.services = services;
        this.keys = keys;
        this.changes = changes;
        this.teams = teams;
        this.keyCache = keyCache;
        this.actors = actors;
        this.afterCommit = afterCommit;
        this.references = references;
        this.sql = sql;
        this.config = config;
        this.links = links;
    }

    public record ServiceRequest(
            @NotBlank @SingleLine @Size(max = 100) String name,
            @Size(max = 2000) String description,
            @NotNull UUID owningTeamId,
            @NotNull UUID escalationPolicyId,
            @Size(max = 2000) @Pattern(regexp = "^https?://\\S+$", message = "must be an http(s) URL") String runbookUrl,
            @Size(max = 100) @Pattern(regexp = "^[#A-Za-z0-9._-]*$", message = "must be a Slack channel name or id")
            String slackChannel) {
    }

    public record KeyRequest(@NotBlank @SingleLine @Size(max = 100) String name, @NotNull IntegrationType type) {
    }

    /**
     * A key as listed: never the key itself. Archiving a key is revoking it ({@code archivedAt} =
     * {@code revokedAt}), for good: a credential does not come back, a new key is created instead.
     */
    public record KeyView(UUID id, String name, IntegrationType type, String last4, Instant createdAt, String createdBy,
                          Instant revokedAt, String revokedBy, Instant archivedAt, boolean active) {
        static KeyView of(IntegrationKey k) {
            return new KeyView(k.id, k.name, k.type, k.last4, k.createdAt, k.createdBy, k.revokedAt, k.revokedBy,
                    k.revokedAt, k.revokedAt == null);
        }
    }

    /** A new key: the only time the full key is shown. {@code endpoint} is where to send events with it. */
    public record NewKey(UUID id, String name, IntegrationType type, String key, String last4, String endpoint,
                         Instant createdAt) {
    }

    /** {@code archivedAt} is null while the service is active. */
    public record ServiceView(UUID id, String name, String description, TeamRef owningTeam, UUID escalationPolicyId,
                              String runbookUrl, String slackChannel, List<KeyView> integrationKeys, Instant createdAt,
                              Instant updatedAt, Instant archivedAt, String archivedBy, long version) {
    }

    public record ChangeView(UUID id, String summary, String source, Instant timestamp, Instant receivedAt,
                             Object customDetails, Object links) {
    }

    /** Active services by name; archived ones too when asked; optionally only those naming a team or a policy. */
    public List<ServiceView> list(boolean includeArchived, UUID owningTeamId, UUID escalationPolicyId) {
        return services.list(includeArchived, owningTeamId, escalationPolicyId).stream().map(this::view).toList();
    }

    /** A service by id, archived or not (history refers to it). */
    public ServiceView get(UUID id) {
        return view(find(id));
    }

    /** Checks the team and the policy with oncall-service first (no transaction is open while it answers). */
    public ServiceView create(ServiceRequest request) {
        services.findByName(request.name().strip()).ifPresent(existing -> {
            throw ProblemException.conflict("name", "a service named '" + request.name().strip() + "' already exists");
        });
        references.requireTeam("owningTeamId", request.owningTeamId());
        references.requirePolicy("escalationPolicyId", request.escalationPolicyId());
        return QuarkusTransaction.requiringNew().call(() -> {
            services.findByName(request.name().strip()).ifPresent(existing -> {
                throw ProblemException.conflict("name", "a service named '" + request.name().strip() + "' already exists");
            });
            TechnicalService service = new TechnicalService();
            service.id = UUID.randomUUID();
            service.createdAt = Instant.now();
            apply(service, request);
            services.persistAndFlush(service);
            return view(service);
        });
    }

    /**
     * Only a team or policy the request changes is checked with oncall-service: one already stored was checked
     * when it was stored (archiving it later there does not break this service, it only stops new references).
     */
    public ServiceView update(UUID id, ServiceRequest request) {
        TechnicalService current = find(id);
        services.findByName(request.name().strip()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
            throw ProblemException.conflict("name", "a service named '" + request.name().strip() + "' already exists");
        });
        if (!request.owningTeamId().equals(current.owningTeamId)) {
            references.requireTeam("owningTeamId", request.owningTeamId());
        }
        if (!request.escalationPolicyId().equals(current.escalationPolicyId)) {
            references.requirePolicy("escalationPolicyId", request.escalationPolicyId());
        }
        // if another admin changed the references meanwhile, what this request sets was checked above or was
        // stored (and checked) before: either way no unchecked reference is stored
        return QuarkusTransaction.requiringNew().call(() -> {
            TechnicalService service = services.lockExclusive(id).orElseThrow(() -> ProblemException.notFound("Service", id));
            services.findByName(request.name().strip()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
                throw ProblemException.conflict("name", "a service named '" + request.name().strip() + "' already exists");
            });
            apply(service, request);
            services.flush();
            forgetKeysAfterCommit();
            return view(service);
        });
    }

    /**
     * Archives a service. Refused (409) while something still refers to it: an open incident (triggered,
     * acknowledged or mitigated), an active integration key (revoke it first, so no monitoring tool is silently
     * cut off), or the SOS configuration (toban.incident.sos.service-id). The row is locked, so no incident
     * can open on it meanwhile (openings share-lock it).
     */
    public ServiceView archive(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TechnicalService service = services.lockExclusive(id).orElseThrow(() -> ProblemException.notFound("Service", id));
            if (service.archivedAt != null) {
                return view(service);
            }
            List<Problem.FieldError> refs = new ArrayList<>();
            for (Sql.Row open : sql.query("""
                    select number, title from incident where service_id = ?
                      and state in ('triggered', 'acknowledged', 'mitigated') order by number limit 20""", id)) {
                refs.add(new Problem.FieldError("incidents", "open incident #" + open.longValue(0) + " " + open.string(1)));
            }
            for (IntegrationKey key : keys.forService(id)) {
                if (key.revokedAt == null) {
                    refs.add(new Problem.FieldError("integrationKeys", "active integration key '" + key.name + "' (…"
                            + key.last4 + ", " + key.type.wire() + ") " + key.id));
                }
            }
            if (id.equals(config.sos().serviceId())) {
                refs.add(new Problem.FieldError("toban.incident.sos.service-id",
                        "SOS reports go to this service; configure another one first"));
            }
            if (!refs.isEmpty()) {
                throw new ProblemException(409, "Conflict", service.name + " is still referred to: "
                        + refs.stream().map(Problem.FieldError::message).collect(Collectors.joining("; ")), refs);
            }
            service.archivedAt = Instant.now();
            service.archivedBy = actors.username();
            services.flush();
            forgetKeysAfterCommit();
            return view(service);
        });
    }

    /**
     * Brings an archived service back. Its team and policy become live references again, so they are checked
     * with oncall-service first (409 naming the field when either is gone or archived; change them with PUT).
     */
    public ServiceView unarchive(UUID id) {
        TechnicalService current = find(id);
        if (current.archivedAt == null) {
            return view(current);
        }
        try {
            references.requireTeam("owningTeamId", current.owningTeamId);
            references.requirePolicy("escalationPolicyId", current.escalationPolicyId);
        } catch (ProblemException e) {
            if (e.status() != 400) {
                throw e;
            }
            throw new ProblemException(409, "Conflict", current.name + " cannot be unarchived: " + e.getMessage()
                    + "; set a current one with PUT /api/services/" + id + " first", e.errors());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            TechnicalService service = services.lockExclusive(id).orElseThrow(() -> ProblemException.notFound("Service", id));
            service.archivedAt = null;
            service.archivedBy = null;
            service.updatedAt = Instant.now();
            services.flush();
            forgetKeysAfterCommit();
            return view(service);
        });
    }

    @Transactional
    public NewKey createKey(UUID serviceId, KeyRequest request) {
        TechnicalService service = find(serviceId);
        if (service.archivedAt != null) {
            throw ProblemException.conflict(null, service.name + " is archived; unarchive it before creating keys");
        }
        return newKey(service, request.name().strip(), request.type());
    }

    /**
     * Replaces a key: a new one with the same name and type, and the old one revoked, in one transaction (a
     * sender switches to the new key; the old one stops working at once). A revoked key is not rotated (409).
     */
    @Transactional
    public NewKey rotateKey(UUID serviceId, UUID keyId) {
        TechnicalService service = find(serviceId);
        IntegrationKey old = keys.findByIdOptional(keyId).filter(k -> k.serviceId.equals(serviceId))
                .orElseThrow(() -> ProblemException.notFound("Integration key", keyId));
        if (service.archivedAt != null) {
            throw ProblemException.conflict(null, service.name + " is archived; unarchive it before creating keys");
        }
        if (old.revokedAt != null) {
            throw ProblemException.conflict(null, "the key '" + old.name + "' is already revoked; create a new key instead");
        }
        old.revokedAt = Instant.now();
        old.revokedBy = actors.username();
        forgetKeysAfterCommit();
        return newKey(service, old.name, old.type);
    }

    private NewKey newKey(TechnicalService service, String name, IntegrationType type) {
        String key = IntegrationKeys.generate();
        IntegrationKey stored = new IntegrationKey();
        stored.id = UUID.randomUUID();
        stored.serviceId = service.id;
        stored.name = name;
        stored.type = type;
        stored.keyHash = IntegrationKeys.hash(key);
        stored.last4 = key.substring(key.length() - 4);
        stored.createdAt = Instant.now();
        stored.createdBy = actors.username();
        keys.persist(stored);
        return new NewKey(stored.id, stored.name, stored.type, key, stored.last4, endpoint(stored.type, key), stored.createdAt);
    }

    public List<KeyView> keys(UUID serviceId) {
        find(serviceId);
        return keys.forService(serviceId).stream().map(KeyView::of).toList();
    }

    /** Revokes a key (also what archiving a key means); revoking it again changes nothing. */
    @Transactional
    public KeyView revokeKey(UUID serviceId, UUID keyId) {
        IntegrationKey key = keys.findByIdOptional(keyId).filter(k -> k.serviceId.equals(serviceId))
                .orElseThrow(() -> ProblemException.notFound("Integration key", keyId));
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now();
            key.revokedBy = actors.username();
            forgetKeysAfterCommit();
        }
        return KeyView.of(key);
    }

    public List<ChangeView> changes(UUID serviceId, int limit) {
        find(serviceId);
        return changes.latest(serviceId, limit).stream()
                .map(c -> new ChangeView(c.id, c.summary, c.source, c.happenedAt, c.receivedAt, c.customDetails, c.links))
                .toList();
    }

    /** Where a sender posts events with a key of this type (the public URL of incident-service). */
    public String endpoint(IntegrationType type, String key) {
        String base = links.base();
        return type == IntegrationType.EVENTS_V2 ? base + "/v2/enqueue" : base + "/integrations/alertmanager/" + key;
    }

    private TechnicalService find(UUID id) {
        return services.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Service", id));
    }

    private static void apply(TechnicalService service, ServiceRequest request) {
        service.name = request.name().strip();
        service.description = blankToNull(request.description());
        service.owningTeamId = request.owningTeamId();
        service.escalationPolicyId = request.escalationPolicyId();
        service.runbookUrl = blankToNull(request.runbookUrl());
        service.slackChannel = blankToNull(request.slackChannel());
        service.updatedAt = Instant.now();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private ServiceView view(TechnicalService s) {
        return new ServiceView(s.id, s.name, s.description, teams.ref(s.owningTeamId), s.escalationPolicyId, s.runbookUrl,
                s.slackChannel, keys.forService(s.id).stream().map(KeyView::of).toList(), s.createdAt, s.updatedAt,
                s.archivedAt, s.archivedBy, s.version);
    }

    private void forgetKeysAfterCommit() {
        keyCache.invalidate();
        afterCommit.once("catalog.key-cache", keyCache::invalidate); // again, so no request reads a key cached before the commit
    }
}
