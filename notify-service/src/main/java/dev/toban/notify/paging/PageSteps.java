package dev.toban.notify.paging;

import dev.toban.notify.dispatch.DispatcherSignal;
import dev.toban.notify.model.Delivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * "Provider down: next method." When a page step to a person fails for good (dead, refused, every provider
 * failed, a call not answered), that person's next pending step of the same page is made due now instead
 * of waiting out its delay. A page's steps share the event and the message key prefix {@code page:<person>:}.
 */
@ApplicationScoped
public class PageSteps {

    private static final Logger LOG = Logger.getLogger(PageSteps.class);
    public static final String PAGE = "page";

    private final EntityManager em;
    private final DispatcherSignal signal;

    public PageSteps(EntityManager em, DispatcherSignal signal) {
        this.em = em;
        this.signal = signal;
    }

    /** The key prefix shared by one person's steps of one page, or null when {@code messageKey} is not a page step. */
    static String personPrefix(String messageKey) {
        if (messageKey == null || !messageKey.startsWith("page:")) {
            return null;
        }
        int second = messageKey.indexOf(':', "page:".length());
        return second < 0 ? null : messageKey.substring(0, second + 1);
    }

    /** Brings the person's next pending step of this page forward to now; false when there is none. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean advance(Delivery failed, String why) {
        String prefix = PAGE.equals(failed.purpose) ? personPrefix(failed.messageKey) : null;
        if (prefix == null) {
            return false;
        }
        Instant now = Instant.now();
        @SuppressWarnings("unchecked")
        List<UUID> next = em.createNativeQuery("""
                        select id from delivery
                        where event_id = ?1 and state = 'pending' and purpose = 'page' and id <> ?2
                          and left(message_key, length(?3)) = ?3 and due_at > ?4
                        order by due_at, seq limit 1
                        for update skip locked""")
                .setParameter(1, failed.eventId)
                .setParameter(2, failed.id)
                .setParameter(3, prefix)
                .setParameter(4, now)
                .getResultList();
        if (next.isEmpty()) {
            return false;
        }
        em.createNativeQuery("update delivery set due_at = ?2, updated_at = ?2 where id = ?1")
                .setParameter(1, next.get(0))
                .setParameter(2, now)
                .executeUpdate();
        LOG.infof("Page step %s (%s) failed (%s): the person's next step %s goes now", failed.id, failed.channel, why,
                next.get(0));
        signal.wakeAfterCommit();
        return true;
    }
}
