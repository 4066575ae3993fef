package dev.toban.plumbing.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.EventCatalog;
import dev.toban.contracts.EventType;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks an envelope an outbox wrote against its contract (dev.toban.contracts): the type is a contract's, the
 * {@code dataschema} is that contract's, and the data binds to the record and serialises back to the same JSON, so
 * no field is missing, extra, renamed or in another format (an Instant as a number, a null left out).
 */
public final class ContractCheck {

    private ContractCheck() {
    }

    /** The types found and what is wrong, over every outbox row written with a dataschema. */
    public record Outbox(Set<String> types, List<String> problems) {
    }

    /**
     * Checks every row of this service's outbox that has a {@code dataschema} (rows of an older build have none; the
     * relay keeps published rows for a while, so this sees what the whole test run wrote so far). Call it from a
     * {@code @QuarkusTest}.
     */
    @SuppressWarnings("unchecked")
    public static Outbox outbox() {
        EntityManager em = Arc.container().instance(EntityManager.class).get();
        ObjectMapper mapper = Arc.container().instance(ObjectMapper.class).get();
        List<String> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select envelope from outbox_event where envelope like '%\"dataschema\":\"urn:toban:event:%' "
                                + "order by seq")
                .getResultList());
        Set<String> types = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String row : rows) {
            try {
                types.add(mapper.readTree(row).path("type").asText());
            } catch (Exception e) {
                // problems() names it
            }
            problems.addAll(problems(mapper, row));
        }
        return new Outbox(types, problems);
    }

    /** What is wrong with {@code envelope}; empty when it matches its contract. */
    public static List<String> problems(ObjectMapper mapper, String envelope) {
        List<String> problems = new ArrayList<>();
        JsonNode event;
        try {
            event = mapper.readTree(envelope);
        } catch (Exception e) {
            return List.of("not JSON: " + e.getMessage());
        }
        String type = event.path("type").asText();
        Optional<EventType<?>> contract = EventCatalog.find(type);
        if (contract.isEmpty()) {
            return List.of(type + ": no contract in dev.toban.contracts");
        }
        String schema = event.path("dataschema").asText(null);
        if (!contract.get().dataschema().equals(schema)) {
            problems.add(type + ": dataschema " + schema + ", the contract is " + contract.get().dataschema());
        }
        JsonNode data = event.get("data");
        try {
            Object record = mapper.treeToValue(data, contract.get().dataType());
            JsonNode back = mapper.valueToTree(record);
            if (!data.equals(SAME_VALUE, back)) {
                problems.add(type + ": data differs from its record " + contract.get().dataType().getSimpleName()
                        + "\n  published: " + data + "\n  as record: " + back);
            }
        } catch (Exception e) {
            problems.add(type + ": data does not bind to " + contract.get().dataType().getName() + ": " + e.getMessage());
        }
        return problems;
    }

    /** Numbers compare by value (text read back gives an int where the record wrote a long). */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        }
        return a.equals(b) ? 0 : 1;
    };
}
