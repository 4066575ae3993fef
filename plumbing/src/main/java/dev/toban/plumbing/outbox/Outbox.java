package dev.toban.plumbing.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.events.EventsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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
     * @param type    CloudEvents type, for example {@code toban.incident.triggered}; also the routing key
     * @param subject the entity it is about, for example the incident id
     * @param data    the payload, serialised with the application's ObjectMapper
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent publish(String type, String subject, Object data) {
        CloudEvent event = new CloudEvent(CloudEvent.SPEC_VERSION, UUID.randomUUID().toString(),
                config.source(), type, Instant.now().truncatedTo(ChronoUnit.MICROS), subject,
                CloudEvent.JSON, mapper.valueToTree(data));
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
                .executeUpdate();
        relay.wakeAfterCommit(); // once per transaction, however many events it writes
        return event;
    }
}
