package dev.toban.notify.response;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * The one path by which a paged person's answer (acknowledge or escalate) reaches the incident, whatever
 * channel it came through: the email's signed link, a push action, an SMS reply, a voice keypress. Each
 * answer is recorded once per delivery and action, and becomes the event {@code toban.notify.page.responded}.
 */
@ApplicationScoped
public class PageResponses {

    public static final String ACKNOWLEDGE = "acknowledge";
    public static final String ESCALATE = "escalate";

    /** What became of an answer. */
    public enum Result {
        /** Recorded, and the event is in the outbox. */
        RECORDED,
        /** This delivery was answered so already (a replayed link, SMS or keypress): nothing new happens. */
        ALREADY,
        /** The delivery is not about an incident: there is nothing to acknowledge. */
        NO_INCIDENT,
        /** No such delivery (deleted after retention, or never ours). */
        UNKNOWN_DELIVERY
    }

    /**
     * Records that the person paged by {@code deliveryId} answered {@code action} through {@code channel}
     * ({@code sms}, {@code voice}, {@code push}, {@code email}, {@code link}...). Joins the caller's
     * transaction or starts one.
     */
    @Transactional
    public Result record(UUID deliveryId, String action, String channel) {
        // STEP 1 placeholder: the full implementation follows in the next commit
        return Result.UNKNOWN_DELIVERY;
    }
}
