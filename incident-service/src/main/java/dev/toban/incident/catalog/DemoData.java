package dev.toban.incident.catalog;

import dev.toban.incident.config.DemoConfig;
import dev.toban.incident.ingestion.IntegrationKeys;
import dev.toban.incident.model.IntegrationType;
import dev.toban.incident.model.Sql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The demo catalog (docs/architecture.md, "Demo data"), created at start-up when toban.demo.enabled:
 * News API, Mobile App and Triage (SOS), each with one Events API v2 key. Inserts are idempotent by
 * fixed id, so two replicas starting together create them once.
 */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    static final UUID TEAM_SERVER = UUID.fromString("11111111-0000-4000-8000-000000000001");
    static final UUID TEAM_MOBILE = UUID.fromString("11111111-0000-4000-8000-000000000002");
    static final UUID POLICY_SERVER = UUID.fromString("22222222-0000-4000-8000-000000000001");
    static final UUID POLICY_MOBILE = UUID.fromString("22222222-0000-4000-8000-000000000002");
    public static final UUID NEWS_API = UUID.fromString("55555555-0000-4000-8000-000000000001");
    public static final UUID MOBILE_APP = UUID.fromString("55555555-0000-4000-8000-000000000002");
    public static final UUID TRIAGE = UUID.fromString("55555555-0000-4000-8000-000000000003");

    private record DemoService(UUID id, String name, String description, UUID team, UUID policy, String runbook,
                               String channel, UUID keyId) {
    }

    private static final List<DemoService> SERVICES = List.of(
            new DemoService(NEWS_API, "News API", "Article and feed API behind the apps and the web site", TEAM_SERVER,
                    POLICY_SERVER, "https://runbooks.example/news-api", "#svc-news-api",
                    UUID.fromString("66666666-0000-4000-8000-000000000001")),
            new DemoService(MOBILE_APP, "Mobile App", "iOS and Android apps", TEAM_MOBILE, POLICY_MOBILE,
                    "https://runbooks.example/mobile-app", "#svc-mobile-app",
                    UUID.fromString("66666666-0000-4000-8000-000000000002")),
            new DemoService(TRIAGE, "Triage (SOS)", "Where SOS reports from business staff land until the IC triages them",
                    TEAM_SERVER, POLICY_SERVER, "https://runbooks.example/triage", "#incident-report",
                    UUID.fromString("66666666-0000-4000-8000-000000000003")));

    private final DemoConfig config;
    private final Sql sql;
    private final CatalogService catalog;

    public DemoData(DemoConfig config, Sql sql, CatalogService catalog) {
        this.config = config;
        this.sql = sql;
        this.catalog = catalog;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            create();
        }
    }

    public void create() {
        Optional<String> configured = config.integrationKey().map(String::strip).filter(k -> !k.isEmpty());
        if (configured.isPresent() && configured.get().length() != IntegrationKeys.LENGTH) {
            LOG.errorf("toban.demo.integration-key must be %d characters; the demo keys are not set", IntegrationKeys.LENGTH);
            configured = Optional.empty();
        }
        String base = configured.orElseGet(IntegrationKeys::generate);
        boolean fixed = configured.isPresent();
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            for (DemoService s : SERVICES) {
                sql.update("""
                        insert into technical_service (id, name, description, owning_team_id, escalation_policy_id,
                            runbook_url, slack_channel, created_at, updated_at, version)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0) on conflict do nothing""",
                        s.id(), s.name(), s.description(), s.team(), s.policy(), s.runbook(), s.channel(), now, now);
                if (sql.query("select 1 from technical_service where id = ?", s.id()).isEmpty()) {
                    continue; // a service of that name was created by hand; leave it alone
                }
                String key = s.id().equals(NEWS_API) ? base : derive(base, s.id());
                int written = sql.update("""
                        insert into integration_key (id, service_id, name, type, key_hash, last4, created_at, created_by)
                        values (?, ?, 'Demo Events API v2', 'events_v2', ?, ?, ?, 'demo')
                        on conflict (id)""" + (fixed
                        ? " do update set key_hash = excluded.key_hash, last4 = excluded.last4, revoked_at = null "
                                + "where integration_key.key_hash <> excluded.key_hash or integration_key.revoked_at is not null"
                        : " do nothing"),
                        s.keyId(), s.id(), IntegrationKeys.hash(key), key.substring(key.length() - 4), now);
                if (written > 0) {
                    LOG.infof("Demo service %s: Events API v2 routing key %s (send to %s)", s.name(), key,
                            catalog.endpoint(IntegrationType.EVENTS_V2, key));
                }
            }
        });
    }

    /** The Mobile App and Triage keys: the first 32 hex characters of SHA-256(News API key + ":" + service id). */
    public static String derive(String base, UUID serviceId) {
        return IntegrationKeys.hash(base + ":" + serviceId).substring(0, IntegrationKeys.LENGTH);
    }
}
