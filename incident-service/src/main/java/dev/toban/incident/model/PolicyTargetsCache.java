package dev.toban.incident.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.incident.client.OnCallReference;
import dev.toban.incident.client.PolicyTargets;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** oncall-service's last answer per policy and level, kept in the database so it survives restarts and replicas share it. */
@ApplicationScoped
public class PolicyTargetsCache {

    private final Sql sql;
    private final ObjectMapper mapper;
    private final AgroalDataSource dataSource;

    public PolicyTargetsCache(Sql sql, ObjectMapper mapper, AgroalDataSource dataSource) {
        this.sql = sql;
        this.mapper = mapper;
        this.dataSource = dataSource;
    }

    /**
     * Called outside any transaction (EscalationTargets.lookup): one autocommit statement, as in ReplayGuard, without
     * a transaction and an ORM session opened around it.
     */
    public void store(UUID policyId, int level, PolicyTargets answer) {
        String json;
        try {
            json = mapper.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement(
                     "insert into policy_targets_cache (policy_id, level, answer, fetched_at) values (?, ?, cast(? as jsonb), ?) "
                             + "on conflict (policy_id, level) do update set answer = excluded.answer, fetched_at = excluded.fetched_at")) {
            Sql.bind(ps, policyId, level, json, Instant.now());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e); // logged by the caller
        }
    }

    public Optional<PolicyTargets> find(UUID policyId, int level) {
        List<Sql.Row> rows = QuarkusTransaction.requiringNew().call(() -> sql.query(
                "select answer::text, fetched_at from policy_targets_cache where policy_id = ? and level = ?",
                policyId, level));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        try {
            PolicyTargets answer = mapper.readValue(rows.get(0).string(0), PolicyTargets.class);
            return Optional.of(answer.cached(rows.get(0).instant(1)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable cached answer for policy " + policyId, e);
        }
    }

    /** Every policy an answer is cached for, with the name it had then, by name. */
    public List<OnCallReference> knownPolicies() {
        List<Sql.Row> rows = QuarkusTransaction.requiringNew().call(() -> sql.query("""
                select distinct on (policy_id) policy_id, answer ->> 'policyName' from policy_targets_cache
                order by policy_id, fetched_at desc"""));
        return rows.stream().filter(r -> r.string(1) != null)
                .map(r -> new OnCallReference(r.uuid(0), r.string(1), null))
                .sorted(java.util.Comparator.comparing(OnCallReference::name, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    /** The name oncall-service last gave a policy, if any answer for it is cached. */
    public Optional<String> policyName(UUID policyId) {
        if (policyId == null) {
            return Optional.empty();
        }
        List<Sql.Row> rows = QuarkusTransaction.requiringNew().call(() -> sql.query("""
                select answer ->> 'policyName' from policy_targets_cache where policy_id = ?
                order by fetched_at desc limit 1""", policyId));
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0).string(0));
    }
}
