package dev.toban.notify.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.notify.model.Delivery;
import dev.toban.notify.testing.NotifyTest;
import dev.toban.notify.testing.NotifyTestResources;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One claim takes work for every free worker slot across lanes, in send order, without breaking a lane's rules
 * (posts outside threads one at a time) and leaving a slot for unlaned work. The dispatcher's worker is off here,
 * so the test alone claims.
 */
@QuarkusTest
@TestProfile(BatchClaimTest.WorkerOff.class)
@WithTestResource(NotifyTestResources.class)
class BatchClaimTest extends NotifyTest {

    public static class WorkerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("toban.notify.delivery.workers", "0", "toban.slack.post-interval", "0ms",
                    "toban.slack.unpaced-parallelism", "3");
        }
    }

    @Inject
    Dispatcher dispatcher;
    @Inject
    DeliveryService service;
    @Inject
    EntityManager em;
    @Inject
    dev.toban.notify.paging.PageRateLimiter rateLimiter;

    @BeforeEach
    @AfterEach
    void nothingOpen() {
        // what other classes left open would be claimed here too
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update delivery set state = 'cancelled' where state in ('pending', 'sending')").executeUpdate());
    }

    @Test
    void oneClaimFillsTheFreeSlotsAcrossLanesInSendOrder() {
        List<String> channels = List.of(uniqueChannel("batch-a"), uniqueChannel("batch-b"), uniqueChannel("batch-c"));
        List<UUID> created = new ArrayList<>(); // send order: a1, b1, c1, a2, b2, c2, then the emails
        for (int round = 1; round <= 2; round++) {
            for (String channel : channels) {
                created.add(post(channel, channel + " #" + round));
            }
        }
        UUID mail1 = email("one@example.com");
        UUID mail2 = email("two@example.com");

        // six free slots: one each for the three lanes (posts outside threads go one at a time), the rest for email
        List<UUID> mine = new ArrayList<>(created);
        mine.addAll(List.of(mail1, mail2));
        List<Dispatcher.Claim> first = QuarkusTransaction.requiringNew().call(() -> dispatcher.claim(6));
        assertEquals(List.of(created.get(0), created.get(1), created.get(2), mail1, mail2), ours(mine, first));
        assertTrue(first.stream().allMatch(c -> c.attempt() == 1));
        assertEquals(Delivery.SENDING, state(created.get(0)));

        // each lane has its one unthreaded post in flight: nothing more to take until one finishes (of this test's
        // deliveries: the app's own start-up work, such as the sandbox's welcome notices, may be claimed beside them)
        assertEquals(List.of(), ours(created, QuarkusTransaction.requiringNew().call(() -> dispatcher.claim(6))));

        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update delivery set state = 'sent' where id = ?1").setParameter(1, created.get(1)).executeUpdate());
        assertEquals(List.of(created.get(4)), ours(created, QuarkusTransaction.requiringNew().call(() -> dispatcher.claim(6))));
    }

    @Test
    void aSingleFreeSlotAlternatesBetweenSlackAndEmail() {
        String channel = uniqueChannel("batch-turns");
        UUID post = post(channel, "first");
        UUID mail = email("turns@example.com");
        List<UUID> taken = new ArrayList<>(ids(QuarkusTransaction.requiringNew().call(() -> dispatcher.claim(1))));
        taken.addAll(ids(QuarkusTransaction.requiringNew().call(() -> dispatcher.claim(1))));
        assertEquals(2, taken.size(), "two single-slot claims took " + taken);
        assertTrue(taken.containsAll(List.of(post, mail)), "both kinds were taken: " + taken);
    }

    @Test
    void aLaneWithMoreInFlightThanItsLimitHoldsUpNoOtherLane() {
        // four in flight where three are allowed (the limit was lowered, or a stopped instance left them sending)
        String crowded = uniqueChannel("batch-crowded");
        List<UUID> sending = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            sending.add(post(crowded, "crowded #" + i));
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update delivery set state = 'sending', sending_since = now() where id in (?1, ?2, ?3, ?4)")
                .setParameter(1, sending.get(0)).setParameter(2, sending.get(1)).setParameter(3, sending.get(2))
                .setParameter(4, sending.get(3)).executeUpdate());
        UUID free = post(uniqueChannel("batch-free"), "free");
        List<UUID> mine = new ArrayList<>(sending);
        mine.add(free);
        assertEquals(List.of(free), ours(mine, QuarkusTransaction.requiringNew().call(() -> dispatcher.claim(6))));
    }

    /**
     * A page to an address already folding (its summary waits for the window to free) is skipped as it is created,
     * and counted in the summary: in a storm the dispatcher never claims it. Nothing is claimed here (workers off).
     */
    @Test
    void aPageDueNowToAnAddressThatIsFoldingIsFoldedAsItIsCreated() {
        String user = "UFOLDING" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        UUID summary = fold(user, Instant.now().plus(java.time.Duration.ofMinutes(10)));

        UUID folded = page(user, Instant.now());
        Delivery d = QuarkusTransaction.requiringNew().call(() -> em.find(Delivery.class, folded));
        assertEquals(Delivery.SKIPPED, d.state);
        assertTrue(d.lastError.startsWith("rate limited: 20 slack per 15 min to this address"), d.lastError);
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> dev.toban.notify.paging.PagingMessages.foldCount(
                rateLimiter.summary(em.find(Delivery.class, summary)))), "counted in the summary as it is sent");

        // a later step, another address, or a summary whose window frees now: queued, the claim decides
        assertEquals(Delivery.PENDING, state(page(user, Instant.now().plus(java.time.Duration.ofMinutes(5)))));
        assertEquals(Delivery.PENDING, state(page(user + "X", Instant.now())));
        String freed = user + "F";
        fold(freed, Instant.now().minusSeconds(1));
        assertEquals(Delivery.PENDING, state(page(freed, Instant.now())));
    }

    private UUID fold(String user, Instant due) {
        EventRef ref = new EventRef("fold:" + UUID.randomUUID(), "toban.notify.page.folded", Instant.now(), user);
        return QuarkusTransaction.requiringNew().call(() -> created(service.create(NewDelivery.slackPost(ref,
                "fold", user, "fold", "en", Message.slack("Toban: 0 more pages while limited", null, null)).dueAt(due))));
    }

    private UUID page(String user, Instant due) {
        EventRef ref = new EventRef(UUID.randomUUID().toString(), "toban.incident.triggered", Instant.now(), user);
        return QuarkusTransaction.requiringNew().call(() -> created(service.create(NewDelivery.slackPost(ref,
                "page", user, "page:" + user + ":1", "en", Message.slack("page", null, null)).dueAt(due))));
    }

    private UUID post(String channel, String text) {
        EventRef ref = new EventRef(UUID.randomUUID().toString(), "toban.notify.reminder", Instant.now(), text);
        return QuarkusTransaction.requiringNew().call(() -> created(service.create(NewDelivery.slackPost(ref,
                "reminder", channel, "reminder", "en", Message.slack(text, null, null)))));
    }

    private UUID email(String address) {
        EventRef ref = new EventRef(UUID.randomUUID().toString(), "toban.notify.reminder", Instant.now(), address);
        return QuarkusTransaction.requiringNew().call(() -> created(service.create(NewDelivery.email(ref,
                "reminder", address, "reminder", "en", Message.email("subject", "body", null)))));
    }

    private static UUID created(java.util.Optional<Delivery> result) {
        return result.orElseThrow(() -> new AssertionError("no delivery created")).id;
    }

    private String state(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> em.find(Delivery.class, id).state);
    }

    private static List<UUID> ours(List<UUID> created, List<Dispatcher.Claim> claims) {
        return ids(claims).stream().filter(created::contains).toList();
    }

    private static List<UUID> ids(List<Dispatcher.Claim> claims) {
        return claims.stream().map(Dispatcher.Claim::id).toList();
    }
}
