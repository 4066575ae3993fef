package dev.toban.incident.ingestion;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.toban.incident.catalog.ServiceArchivedException;
import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.ingestion.IntegrationKeys.KeyContext;
import dev.toban.incident.model.IntegrationType;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Entry of every ingestion request. The body is read raw so that size, syntax and types are checked
 * here and answered in the sender's own format, before anything is written. A repeated trigger on an
 * open alert (the common case in an alert storm) is one indexed read, no transaction to commit.
 * Text is cleaned rather than refused ({@link JsonTrees#clean}): an alert is never lost for a stray byte.
 */
@ApplicationScoped
public class IngestionService {

    private static final String OPEN_ALERT = """
            select id from alert where integration_key_id = ? and dedup_key = ? and status <> 'resolved'""";

    private final IntegrationKeys keys;
    private final IngestionRateLimiter limiter;
    private final AlertIngestion writes;
    private final AgroalDataSource dataSource;
    private final AlertOccurrences occurrences;
    private final ObjectReader reader;
    private final IncidentConfig.Ingest config;

    public IngestionService(IntegrationKeys keys, IngestionRateLimiter limiter, AlertIngestion writes,
                            AgroalDataSource dataSource, AlertOccurrences occurrences, ObjectMapper mapper,
                            IncidentConfig config) {
        this.keys = keys;
        this.limiter = limiter;
        this.writes = writes;
        this.dataSource = dataSource;
        this.occurrences = occurrences;
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.config = config.ingest();
    }

    /** {@code POST /v2/enqueue}; returns the 202 body. */
    public byte[] enqueue(byte[] body) throws SQLException {
        EventsV2Parser.AlertEvent event = EventsV2Parser.parseAlert(eventsApiJson(body));
        KeyContext key = eventsApiKey(event.routingKey());
        String dedupKey = event.dedupKey();
        try {
            switch (event.action()) {
                case "trigger" -> {
                    if (dedupKey == null) {
                        dedupKey = UUID.randomUUID().toString();
                    }
                    if (!attach(key.keyId(), dedupKey)) {
                        writes.triggerEventsV2(key, event, dedupKey);
                    }
                }
                case "acknowledge" -> writes.acknowledgeEventsV2(key, dedupKey);
                case "resolve" -> writes.resolveEventsV2(key, dedupKey);
                default -> throw new IllegalStateException("validated action " + event.action());
            }
        } catch (ServiceArchivedException e) {
            throw archivedKey();
        }
        return EventsApiResponse.acceptedJson(dedupKey);
    }

    /** {@code POST /v2/change/enqueue}. */
    public EventsApiResponse enqueueChange(byte[] body) throws SQLException {
        EventsV2Parser.ChangeEvent event = EventsV2Parser.parseChange(eventsApiJson(body));
        KeyContext key = eventsApiKey(event.routingKey());
        try {
            writes.change(key, event);
        } catch (ServiceArchivedException e) {
            throw archivedKey();
        }
        return EventsApiResponse.changeAccepted();
    }

    /** {@code POST /integrations/alertmanager/{key}}; problems are problem+json (Alertmanager ignores bodies). */
    public AlertIngestion.AlertmanagerResult alertmanager(String integrationKey, byte[] body) throws SQLException {
        if (body != null && body.length > config.alertmanagerMaxBodyBytes()) {
            throw new ProblemException(413, "Payload too large", "The body is larger than "
                    + config.alertmanagerMaxBodyBytes() / 1024 + " KB", List.of(new Problem.FieldError("body",
                    "is larger than " + config.alertmanagerMaxBodyBytes() / 1024 + " KB")));
        }
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JsonTrees.clean(reader.readTree(body));
        } catch (IOException e) {
            throw new ProblemException(400, "Invalid request body", "body is not well-formed JSON",
                    List.of(new Problem.FieldError("body", "is not well-formed JSON")));
        }
        if (root == null || root.isMissingNode()) {
            throw ProblemException.invalid("body", "is required");
        }
        AlertmanagerPayload payload = AlertmanagerPayload.parse(root);
        KeyContext key = keys.resolve(integrationKey, IntegrationType.ALERTMANAGER)
                .orElseThrow(IngestionService::noAlertmanagerKey);
        if (!limiter.tryAcquire(key.keyId())) {
            throw new ProblemException(429, "Too many requests",
                    "This integration key is sending too fast; retry in " + limiter.retryAfterSeconds() + " s", List.of());
        }
        try {
            return writes.alertmanager(key, payload);
        } catch (ServiceArchivedException e) {
            // the key's service was archived a moment ago (another replica may still know the key): refused as revoked
            keys.invalidate();
            throw noAlertmanagerKey();
        }
    }

    private static ProblemException noAlertmanagerKey() {
        return new ProblemException(404, "Not found", "No active Alertmanager integration has this key", List.of());
    }

    /** The key's service was archived a moment ago: refused as a revoked key would be. */
    private EventsApiException archivedKey() {
        keys.invalidate();
        return EventsApiException.invalid("Invalid routing key");
    }

    private JsonNode eventsApiJson(byte[] body) {
        if (body != null && body.length > config.maxBodyBytes()) {
            throw EventsApiException.tooLarge(config.maxBodyBytes());
        }
        if (body == null || body.length == 0) {
            throw EventsApiException.invalid("Event object is missing: the request body is empty");
        }
        try {
            JsonNode root = JsonTrees.clean(reader.readTree(body));
            if (root == null || root.isMissingNode()) {
                throw EventsApiException.invalid("Event object is missing: the request body is empty");
            }
            return root;
        } catch (IOException e) {
            throw EventsApiException.invalid("Event object is not valid JSON");
        }
    }

    private KeyContext eventsApiKey(String routingKey) throws SQLException {
        KeyContext key = keys.resolve(routingKey, IntegrationType.EVENTS_V2)
                .orElseThrow(() -> EventsApiException.invalid("Invalid routing key"));
        if (!limiter.tryAcquire(key.keyId())) {
            throw EventsApiException.throttled(limiter.retryAfterSeconds());
        }
        return key;
    }

    /**
     * A trigger for an open alert attaches to it and changes nothing else: one indexed read (no
     * commit to wait for), and the occurrence is counted by {@link AlertOccurrences}.
     */
    private boolean attach(UUID keyId, String dedupKey) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement(OPEN_ALERT)) {
            ps.setObject(1, keyId);
            ps.setString(2, dedupKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                occurrences.record(rs.getObject(1, UUID.class));
                return true;
            }
        }
    }
}
