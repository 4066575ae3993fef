package dev.toban.incident.ingestion;

import dev.toban.incident.config.IncidentConfig;
import dev.toban.incident.model.IntegrationType;
import dev.toban.plumbing.security.RandomTokens;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Integration keys: 32 random characters, stored as SHA-256. Resolving a key is on every ingestion
 * request, so answers are remembered for a short, configurable time; revoking clears this instance's
 * memory at once, and other replicas forget within that time. A key of an archived service is not active.
 */
@ApplicationScoped
public class IntegrationKeys {

    public static final int LENGTH = 32;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final AgroalDataSource dataSource;
    private final Duration ttl;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public IntegrationKeys(AgroalDataSource dataSource, IncidentConfig config) {
        this.dataSource = dataSource;
        this.ttl = config.ingest().keyCacheTtl();
    }

    /** What a valid key stands for. */
    public record KeyContext(UUID keyId, String keyName, IntegrationType type, UUID serviceId) {
    }

    private record Cached(KeyContext context, long expiresAtNanos) {
    }

    public static String generate() {
        return RandomTokens.of(ALPHABET, LENGTH);
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The active key of this type, if any. Runs outside any transaction (autocommit), for speed. */
    public Optional<KeyContext> resolve(String key, IntegrationType type) throws SQLException {
        if (key == null || key.length() != LENGTH) {
            return Optional.empty();
        }
        String hash = hash(key);
        Cached hit = cache.get(hash);
        KeyContext context;
        if (hit != null && System.nanoTime() - hit.expiresAtNanos() < 0) {
            context = hit.context();
        } else {
            context = load(hash);
            if (context != null) {
                cache.put(hash, new Cached(context, System.nanoTime() + ttl.toNanos()));
            } else {
                cache.remove(hash);
            }
        }
        return context != null && context.type() == type ? Optional.of(context) : Optional.empty();
    }

    /** Forgets every remembered key (after a revocation or a catalog change on this instance). */
    public void invalidate() {
        cache.clear();
    }

    private KeyContext load(String hash) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement(
                     // a key of an archived service is refused like a revoked one
                     "select k.id, k.name, k.type, k.service_id from integration_key k join technical_service s"
                             + " on s.id = k.service_id where k.key_hash = ? and k.revoked_at is null"
                             + " and s.archived_at is null")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new KeyContext(rs.getObject(1, UUID.class), rs.getString(2), IntegrationType.of(rs.getString(3)),
                        rs.getObject(4, UUID.class));
            }
        }
    }
}
