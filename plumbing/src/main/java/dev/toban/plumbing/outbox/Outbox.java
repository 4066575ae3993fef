package dev.toban.plumbing.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.EventType;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.events.EventsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
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
     * Records an event in the caller's transaction and returns it.
     *
     * @param type    the contract (dev.toban.contracts): its name is the CloudEvents type and the routing key, its
     *                version the envelope's {@code dataschema}
     * @param subject the entity it is about, for example the incident id
     * @param data    the type's record, serialised with the application's ObjectMapper
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> CloudEvent publish(EventType<T> type, String subject, T data) {
        // generics stop most mismatches at compile time; this one stops a raw or unchecked call
        if (!type.dataType().isInstance(data)) {
            throw new IllegalArgumentException(type.name() + " takes " + type.dataType().getName() + ", not "
                    + (data == null ? "null" : data.getClass().getName()));
        }
        return write(type.name(), type.dataschema(), subject, data);
    }

    private CloudEvent write(String type, String dataschema, String subject, Object data) {
        CloudEvent event = new CloudEvent(CloudEvent.SPEC_VERSION, UUID.randomUUID().toString(),
                config.source(), type, Instant.now().truncatedTo(ChronoUnit.MICROS), subject,
                CloudEvent.JSON, dataschema, mapper.valueToTree(data));
        String envelope;
        try {
            envelope = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise event " + type, e);
        }
        em.createNativeQuery("insert into outbox_event (id, type, subject, exchange, envelope, created_at) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, UUID.fromString(event.id()))
                .setParameter(2, type)
                .setParameter(3, subject)
                .setParameter(4, config.exchange())
                .setParameter(5, envelope)
                .setParameter(6, event.time())
                .setFlushMode(FlushModeType.COMMIT) // no entity maps the outbox: the caller's changes flush at commit
                .executeUpdate();
        relay.wakeAfterCommit(); // once per transaction, however many events it writes
        return event;
    }
}
