package dev.toban.notify.paging;

import dev.toban.notify.config.PagingSettings;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.dispatch.PersonRef;
import dev.toban.notify.model.Delivery;
import dev.toban.notify.template.Links;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Rate limits per address, like GoAlert's: at most {@code toban.notify.paging.rate-limits.voice} calls,
 * {@code .sms} SMS, {@code .push} pushes, {@code .slack} Slack DMs and {@code .email} emails of pages per
 * {@code window} (3, 5, 10, 20 and 20 per 15 minutes by default), counted from the delivery log (what was sent or
 * is being sent there). A page over the limit is not sent: it is folded into one summary ("Toban: N more pages
 * while limited") due when the window frees. Checked as the dispatcher claims the page, under the lane of that
 * address (emails, which have no lane, under a transaction lock of the address), so two workers never both take
 * the last slot.
 */
@ApplicationScoped
public class PageRateLimiter {

    public static final String FOLD = "fold";
    static final String FOLDED_TYPE = "toban.notify.page.folded";

    private final EntityManager em;
    private final PagingSettings.RateLimits limits;
    private final DeliveryService deliveries;
    private final PagingMessages messages;
    private final Links links;

    public PageRateLimiter(EntityManager em, PagingSettings settings, DeliveryService deliveries, PagingMessages messages,
                       Links links) {
        this.em = em;
        this.limits = settings.rateLimits();
        this.deliveries = deliveries;
        this.messages = messages;
        this.links = links;
    }

    int limit(String channel) {
        return switch (channel) {
            case NewDelivery.SMS -> limits.sms();
            case NewDelivery.VOICE -> limits.voice();
            case NewDelivery.PUSH -> limits.push();
            case NewDelivery.SLACK -> limits.slack();
            case NewDelivery.EMAIL -> limits.email();
            default -> Integer.MAX_VALUE;
        };
    }

    /**
     * Folds {@code d} when its number or topic is at the limit. Returns why (for the delivery log), or
     * empty when it may go.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> foldIfLimited(Delivery d, Instant now) {
        int limit = limit(d.channel);
        if (limit == Integer.MAX_VALUE || !PageSteps.PAGE.equals(d.purpose)) {
            return Optional.empty(); // webhooks, codes, tests, thread posts and the fold summary itself are not held back
        }
        if (d.lane == null) {
            // no lane lock serialises this address's claims: a transaction lock does
            em.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
                    .setParameter(1, "page-limit:" + d.channel + ":" + d.target)
                    .getSingleResult();
        }
        Duration window = limits.window();
        // a number or topic counts all it was sent (the carrier's view); a Slack user or mailbox only pages, so
        // that handoff notices and reminders neither use up nor are held back by the page limit
        boolean pagesOnly = NewDelivery.SLACK.equals(d.channel) || NewDelivery.EMAIL.equals(d.channel);
        @SuppressWarnings("unchecked")
        List<Object> recent = em.createNativeQuery("""
                        select coalesce(sent_at, sending_since) as at from delivery
                        where channel = ?1 and target = ?2 and id <> ?3
                          and (sent_at > ?4 or state = 'sending')"""
                        + (pagesOnly ? " and purpose in ('page', 'fold')" : "") + " order by at")
                .setParameter(1, d.channel)
                .setParameter(2, d.target)
                .setParameter(3, d.id)
                .setParameter(4, now.minus(window))
                .getResultList();
        if (recent.size() < limit) {
            return Optional.empty();
        }
        Instant frees = instant(recent.get(recent.size() - limit)).plus(window);
        fold(d, frees, now);
        return Optional.of(reason(limit, d.channel, frees));
    }

    /**
     * As a page is created: when its address is folding already (a summary is waiting for the window to free) and
     * the page is due now, it is folded at once, marked skipped with why, instead of being queued and claimed
     * only to be folded then. A storm paging the same people so costs the dispatcher nothing per page. It writes
     * nothing but the page (the summary counts its pages as it is sent), so inbox transactions paging the same
     * people in parallel do not queue on one row. False when the page is to be queued as usual
     * ({@link #foldIfLimited} still decides as it is claimed).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean foldIfFolding(Delivery d, Instant now) {
        int limit = limit(d.channel);
        if (limit == Integer.MAX_VALUE || !PageSteps.PAGE.equals(d.purpose) || d.dueAt.isAfter(now)) {
            return false;
        }
        Instant frees = openFold(d.channel, d.target);
        if (frees == null || !frees.isAfter(now)) {
            return false; // not folding, or its window frees now: the claim counts again
        }
        d.state = Delivery.SKIPPED;
        d.lastError = reason(limit, d.channel, frees);
        return true;
    }

    /**
     * The summary's message as it is sent: how many pages to its address were folded since it was made (the pages
     * the claim and the inbox marked skipped as rate limited). A page folded at the very moment the summary goes
     * out may be counted in the next one or in none; it stays in the delivery log either way.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Message summary(Delivery fold) {
        Number count = (Number) em.createNativeQuery("""
                        select count(*) from delivery
                        where state = 'skipped' and created_at >= ?1 and updated_at >= ?2
                          and channel = ?3 and target = ?4 and purpose = 'page' and last_error like 'rate limited:%'""")
                .setParameter(1, fold.createdAt.minus(Duration.ofDays(1))) // bounds the scan of delivery_state_created
                .setParameter(2, fold.createdAt)
                .setParameter(3, fold.channel)
                .setParameter(4, fold.target)
                .getSingleResult();
        int n = Math.max(1, count.intValue());
        return messages.withFoldCount(messages.fold(fold.channel, locale(fold), n, links.incidents()), n);
    }

    private String reason(int limit, String channel, Instant frees) {
        return "rate limited: " + limit + " " + channel + " per " + limits.window().toMinutes()
                + " min to this address; folded into one summary due " + frees;
    }

    /** When the address's pending summary is due (its window frees); null when it has none. */
    private Instant openFold(String channel, String target) {
        @SuppressWarnings("unchecked")
        List<Object> open = em.createNativeQuery("""
                        select due_at from delivery
                        where purpose = 'fold' and channel = ?1 and target = ?2 and state = 'pending'
                        order by seq limit 1""")
                .setFlushMode(FlushModeType.COMMIT) // summaries are made by claims, which flush before each check
                .setParameter(1, channel)
                .setParameter(2, target)
                .getResultList();
        return open.isEmpty() ? null : instant(open.get(0));
    }

    /** Starts the address's summary unless it has one; the pages it stands for are counted as it is sent. */
    private void fold(Delivery d, Instant frees, Instant now) {
        if (openFold(d.channel, d.target) != null) {
            return;
        }
        Message m = messages.withFoldCount(messages.fold(d.channel, locale(d), 1, links.incidents()), 1);
        EventRef ref = new EventRef("fold:" + UUID.randomUUID(), FOLDED_TYPE, now, d.subject);
        PersonRef person = deliveries.recipientOf(d);
        NewDelivery summary = switch (d.channel) {
            case NewDelivery.SLACK -> NewDelivery.slackPost(ref, FOLD, d.target, FOLD, d.locale, m);
            case NewDelivery.EMAIL -> NewDelivery.email(ref, FOLD, d.target, FOLD, d.locale, m);
            default -> NewDelivery.waking(ref, FOLD, d.channel, d.target, FOLD, d.locale, m);
        };
        deliveries.create(summary.dueAt(frees).forPerson(person));
    }

    private static String locale(Delivery d) {
        return d.locale == null ? "ja" : d.locale;
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("unexpected time " + value);
    }
}
