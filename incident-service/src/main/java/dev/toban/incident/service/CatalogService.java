package dev.toban.incident.service;

import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.model.ChangeEventRepository;
import dev.toban.incident.model.IntegrationKey;
import dev.toban.incident.model.IntegrationKeyRepository;
import dev.toban.incident.model.IntegrationType;
import dev.toban.incident.model.TechnicalService;
import dev.toban.incident.model.TechnicalServiceRepository;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The service catalog: which team owns a service, whom to page, its runbook, channel and integration keys. */
@ApplicationScoped
public class CatalogService {

    private final TechnicalServiceRepository services;
    private final IntegrationKeyRepository keys;
    private final ChangeEventRepository changes;
    private final TeamDirectoryService teams;
    private final IntegrationKeys keyCache;
    private final ActorService actors;
    private final TransactionSynchronizationRegistry transactions;
    private final IncidentConfig config;

    public CatalogService(TechnicalServiceRepository services, IntegrationKeyRepository keys,
                          ChangeEventRepository changes, TeamDirectoryService teams, IntegrationKeys keyCache,
                          ActorService actors, TransactionSynchronizationRegistry transactions, IncidentConfig config) {
        this.services = services;
        this.keys = keys;
        this.changes = changes;
        this.teams = teams;
        this.keyCache = keyCache;
        this.actors = actors;
        this.transactions = transactions;
        this.config = config;
    }

    public record ServiceRequest(
            @NotBlank @Size(max = 100) String name,
            @Size(max = 2000) String description,
            @NotNull UUID owningTeamId,
            @NotNull UUID escalationPolicyId,
            @Size(max = 2000) @Pattern(regexp = "^https?://\\S+$", message = "must be an http(s) URL") String runbookUrl,
            @Size(max = 100) @Pattern(regexp = "^[#A-Za-z0-9._-]*$", message = "must be a Slack channel name or id")
            String slackChannel) {
    }

    public record KeyRequest(@NotBlank @Size(max = 100) String name, @NotNull IntegrationType type) {
    }

    /** A key as listed: never the key itself. */
    public record KeyView(UUID id, String name, IntegrationType type, String last4, Instant createdAt, String createdBy,
                          Instant revokedAt, boolean active) {
        static KeyView of(IntegrationKey k) {
            return new KeyView(k.id, k.name, k.type, k.last4, k.createdAt, k.createdBy, k.revokedAt, k.revokedAt == null);
        }
    }

    /** A new key: the only time the full key is shown. {@code endpoint} is where to send events with it. */
    public record NewKey(UUID id, String name, IntegrationType type, String key, String last4, String endpoint,
                         Instant createdAt) {
    }

    public record ServiceView(UUID id, String name, String description, TeamRef owningTeam, UUID escalationPolicyId,
                              String runbookUrl, String slackChannel, List<KeyView> integrationKeys, Instant createdAt,
                              Instant updatedAt, long version) {
    }

    public record ChangeView(UUID id, String summary, String source, Instant timestamp, Instant receivedAt,
                             Object customDetails, Object links) {
    }

    public List<ServiceView> list() {
        return services.listAll(Sort.by("name")).stream().map(this::view).toList();
    }

    public ServiceView get(UUID id) {
        return view(find(id));
    }

    @Transactional
    public ServiceView create(ServiceRequest request) {
        services.findByName(request.name().strip()).ifPresent(existing -> {
            throw ProblemException.conflict("name", "a service named '" + request.name().strip() + "' already exists");
        });
        TechnicalService service = new TechnicalService();
        service.id = UUID.randomUUID();
        service.createdAt = Instant.now();
        apply(service, request);
        services.persistAndFlush(service);
        return view(service);
    }

    @Transactional
    public ServiceView update(UUID id, ServiceRequest request) {
        TechnicalService service = find(id);
        services.findByName(request.name().strip()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
            throw ProblemException.conflict("name", "a service named '" + request.name().strip() + "' already exists");
        });
        apply(service, request);
        services.flush();
        forgetKeysAfterCommit();
        return view(service);
    }

    @Transactional
    public NewKey createKey(UUID serviceId, KeyRequest request) {
        TechnicalService service = find(serviceId);
        String key = IntegrationKeys.generate();
        IntegrationKey stored = new IntegrationKey();
        stored.id = UUID.randomUUID();
        stored.serviceId = service.id;
        stored.name = request.name().strip();
        stored.type = request.type();
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

    public String endpoint(IntegrationType type, String key) {
        String base = config.publicUrl().endsWith("/")
                ? config.publicUrl().substring(0, config.publicUrl().length() - 1) : config.publicUrl();
        return type == IntegrationType.EVENTS_V2 ? base + "/v2/enqueue" : base + "/integrations/alertmanager/" + key;
    }

    private TechnicalService find(UUID id) {
        return services.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Service", id));
    }

    private static void apply(TechnicalService service, ServiceRequest request) {
        service.name = request.name().strip();
        service.description = IncidentService.blankToNull(request.description());
        service.owningTeamId = request.owningTeamId();
        service.escalationPolicyId = request.escalationPolicyId();
        service.runbookUrl = IncidentService.blankToNull(request.runbookUrl());
        service.slackChannel = IncidentService.blankToNull(request.slackChannel());
        service.updatedAt = Instant.now();
    }

    private ServiceView view(TechnicalService s) {
        return new ServiceView(s.id, s.name, s.description, teams.ref(s.owningTeamId), s.escalationPolicyId, s.runbookUrl,
                s.slackChannel, keys.forService(s.id).stream().map(KeyView::of).toList(), s.createdAt, s.updatedAt,
                s.version);
    }

    private void forgetKeysAfterCommit() {
        keyCache.invalidate();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    keyCache.invalidate();
                }
            }
        });
    }
}
