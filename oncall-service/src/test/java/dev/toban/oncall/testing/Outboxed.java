package dev.toban.oncall.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.util.List;

/** The events oncall-service wrote to its outbox: exactly what it published, in order. */
public final class Outboxed {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Outboxed() {
    }

    /** The {@code data} of every outbox event of {@code type} about {@code subject}, oldest first. */
    @SuppressWarnings("unchecked")
    public static List<JsonNode> data(String type, String subject) {
        EntityManager em = Arc.container().instance(EntityManager.class).get();
        List<String> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select envelope from outbox_event where type = ?1 and subject = ?2 order by seq")
                .setParameter(1, type).setParameter(2, subject).getResultList());
        return rows.stream().map(r -> {
            try {
                return JSON.readTree(r).path("data");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** The latest such event's data, or a failure naming what is missing. */
    public static JsonNode last(String type, String subject) {
        List<JsonNode> all = data(type, subject);
        if (all.isEmpty()) {
            throw new AssertionError("no " + type + " about " + subject + " in the outbox");
        }
        return all.get(all.size() - 1);
    }
}
