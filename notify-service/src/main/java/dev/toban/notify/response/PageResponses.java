package dev.toban.notify.response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.notify.NotifyContracts.PageResponded;
import dev.toban.contracts.notify.NotifyContracts;
import dev.toban.notify.dispatch.PersonRef;
import dev.toban.notify.model.Delivery;
import dev.toban.notify.model.DeliveryRepository;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The one path by which a paged person's answer (acknowledge or escalate) reaches the incident, whatever
 * channel it came through: the email's signed link, a push action, an SMS reply, a voice keypress. Each
 * answer is recorded once per delivery and action, and becomes the event {@code toban.notify.page.responded}
 * (docs/events.md), which incident-service applies as that person.
 */
@ApplicationScoped
public class PageResponses {

    public static final String ACKNOWLEDGE = "acknowledge";
    public static final String ESCALATE = "escalate";
    public static final String RESPONDED = NotifyContracts.PAGE_RESPONDED.name();
    static final Set<String> ACTIONS = Set.of(ACKNOWLEDGE, ESCALATE);
    /** A channel name as the delivery log spells them: a short lowercase word. */
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_-]{0,19}");
    private static final Logger LOG = Logger.getLogger(PageResponses.class);

    /** What became of an answer. */
    public enum Result {
        /** Recorded, and the event is in the outbox. */
        RECORDED,
        /** This delivery was answered so already (a replayed link, SMS or keypress): nothing new happens. */
        ALREADY,
        /** The delivery is not a page of a person for an incident: there is nothing to acknowledge. */
        NO_INCIDENT,
        /** No such delivery (deleted after retention, or never ours). */
        UNKNOWN_DELIVERY
    }


    private final DeliveryRepository deliveries;
    private final EntityManager em;
    private final Outbox outbox;
    private final ObjectMapper mapper;

    public PageResponses(DeliveryRepository deliveries, EntityManager em, Outbox outbox, ObjectMapper mapper) {
        this.deliveries = deliveries;
        this.em = em;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    /**
     * Records that the person paged by {@code deliveryId} answered {@code action} through {@code channel}
     * ({@code sms}, {@code voice}, {@code push}, {@code email}, {@code link}...). Joins the caller's
     * transaction or starts one. An unknown action or a malformed channel is a 400 naming the field.
     */
    @Transactional
    public Result record(UUID deliveryId, String action, String channel) {
        if (action == null || !ACTIONS.contains(action)) {
            throw ProblemException.invalid("action", "must be acknowledge or escalate");
        }
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw ProblemException.invalid("channel", "must be a channel name such as sms, voice, push or email");
        }
        Delivery d = deliveryId == null ? null : deliveries.findById(deliveryId);
        if (d == null) {
            return Result.UNKNOWN_DELIVERY;
        }
        PersonRef person = person(d);
        if (d.incidentId == null || person == null || !"page".equals(d.purpose)) {
            return Result.NO_INCIDENT;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID id = UUID.randomUUID();
        // the unique (delivery, action) decides: of two answers racing, exactly one inserts
        int inserted = em.createNativeQuery("""
                        insert into page_response (id, delivery_id, incident_id, action, channel, event_id, responded_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict (delivery_id, action) do nothing""")
                .setParameter(1, id)
                .setParameter(2, d.id)
                .setParameter(3, d.incidentId)
                .setParameter(4, action)
                .setParameter(5, channel)
                .setParameter(6, id)
                .setParameter(7, now)
                .executeUpdate();
        if (inserted == 0) {
            return Result.ALREADY;
        }
        String eventId = outbox.publish(NotifyContracts.PAGE_RESPONDED, d.incidentId.toString(),
                new PageResponded(d.incidentId, d.id, PersonRef.contract(person), action, channel, now));
        em.createNativeQuery("update page_response set event_id = ?2 where id = ?1")
                .setParameter(1, id)
                .setParameter(2, UUID.fromString(eventId))
                .executeUpdate();
        LOG.infof("Page %s of incident %s answered %s via %s", d.id, d.incidentId, action, channel);
        return Result.RECORDED;
    }

    /** The delivery's person (stored as a PersonRef in JSON), or null. */
    PersonRef person(Delivery d) {
        if (d.recipient == null) {
            return null;
        }
        try {
            return mapper.readValue(d.recipient, PersonRef.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
