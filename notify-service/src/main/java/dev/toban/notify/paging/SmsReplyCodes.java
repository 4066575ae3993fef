package dev.toban.notify.paging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The short codes of page SMS, as GoAlert has them: each page SMS to a number carries the next code of
 * that number (1..99, then round again), and a reply "<code> ack" from that number answers that page. A
 * code from another number names nothing.
 */
@ApplicationScoped
public class SmsReplyCodes {

    static final int MAX = 99;

    private final EntityManager em;

    public SmsReplyCodes(EntityManager em) {
        this.em = em;
    }

    /** The next code of {@code phone}; one statement, so two pages at once never get the same code. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int next(String phone) {
        Number code = (Number) em.createNativeQuery("""
                        insert into sms_code_counter (phone, last) values (?1, 1)
                        on conflict (phone) do update set last = sms_code_counter.last % ?2 + 1
                        returning last""")
                .setParameter(1, phone)
                .setParameter(2, MAX)
                .getSingleResult();
        return code.intValue();
    }

    /** {@code code} of {@code phone} now names this delivery (an older page with the same code is forgotten). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void bind(String phone, int code, UUID deliveryId) {
        em.createNativeQuery("""
                        insert into sms_reply_code (phone, code, delivery_id, created_at) values (?1, ?2, ?3, ?4)
                        on conflict (phone, code) do update set delivery_id = excluded.delivery_id,
                               created_at = excluded.created_at""")
                .setParameter(1, phone)
                .setParameter(2, code)
                .setParameter(3, deliveryId)
                .setParameter(4, Instant.now())
                .executeUpdate();
    }

    /** The delivery a reply from {@code phone} with {@code code} answers. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<UUID> find(String phone, int code) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = em.createNativeQuery("select delivery_id from sms_reply_code where phone = ?1 and code = ?2")
                .setParameter(1, phone)
                .setParameter(2, code)
                .getResultList();
        return ids.stream().findFirst();
    }
}
