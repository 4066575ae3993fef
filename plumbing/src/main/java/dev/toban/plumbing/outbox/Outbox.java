package dev.toban.plumbing.outbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.EventType;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.events.EventsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes events into the transactional outbox. The row commits or rolls back with the state change
 * that caused it; {@link OutboxRelay} publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;
    private final ObjectMapper mapper;
    private final EventsConfig config;
    private final OutboxRelay relay;

    public Outbox(EntityManager em, ObjectMapper mapper, EventsConfig config,
                  OutboxRelay relay) {
        this.em = em;
        this.mapper = mapper;
        this.config = config;
        this.relay = relay;
    }

    /**
     * Records an event in the caller's transaction and returns its CloudEvents id.
     *
     * @param type    the contract (dev.toban.contracts): its name is the CloudEvents type and the routing key, its
     *                version the envelope's {@code dataschema}
     * @param subject the entity it is about, for example the incident id
     * @param data    the type's record, serialised with the application's ObjectMapper
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> String publish(EventType<T> type, String subject, T data) {
        // generics stop most mismatches at compile time; this one stops a raw or unchecked call
        if (!type.dataType().isInstance(data)) {
            throw new IllegalArgumentException(type.name() + " takes " + type.dataType().getName() + ", not "
                    + (data == null ? "null" : data.getClass().getName()));
        }
        return write(type.name(), type.dataschema(), subject, data);
    }

    private String write(String type, String dataschema, String subject, Object data) {
        String id = UUID.randomUUID().toString();
        Instant time = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String envelope;
        try {
            // the record written as it is: a JSON tree of it first (CloudEvent's data) cost as much again
            envelope = mapper.writeValueAsString(new Envelope(CloudEvent.SPEC_VERSION, id, config.source(), type, time,
                    subject, CloudEvent.JSON, dataschema, data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise event " + type, e);
        }
        // plain JDBC on the transaction's connection: no entity maps the outbox, so the caller's changes need no
        // flush first (they flush at commit), and no Hibernate native-query plan is built per call
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "insert into outbox_event (id, type, subject, exchange, envelope, created_at) values (?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, UUID.fromString(id));
                ps.setString(2, type);
                ps.setString(3, subject);
                ps.setString(4, config.exchange());
                ps.setString(5, envelope);
                ps.setObject(6, time.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
        });
        relay.wakeAfterCommit(); // once per transaction, however many events it writes
        return id;
    }

    /** {@link CloudEvent} as written: the same members in the same order, its data the type's record itself. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Envelope(String specversion, String id, String source, String type, Instant time, String subject,
                            String datacontenttype, String dataschema, Object data) {
    }
}
