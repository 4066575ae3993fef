package dev.toban.plumbing.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.events.EventsConfig;
import dev.toban.plumbing.jobs.DatabaseOutage;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Idempotent event consumption. The processed-event row is written in the same transaction as the
 * consumer's effect, so a redelivered or duplicated event has exactly one effect. A message that
 * still fails after bounded attempts is nacked; the channel's {@code failure-strategy=reject} then
 * routes it to the dead-letter queue. An unreachable database is not the message's fault: while it
 * lasts the event is retried without counting attempts, so an outage never dead-letters anything.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);

    public enum Outcome { PROCESSED, DUPLICATE }

    private final EntityManager em;
    private final ObjectMapper mapper;
    private final EventsConfig.Consumer config;
    private final MeterRegistry meters;

    public EventInbox(EntityManager em, ObjectMapper mapper, EventsConfig config, MeterRegistry meters) {
        this.em = em;
        this.mapper = mapper;
        this.config = config.consumer();
        this.meters = meters;
    }

    /** Handles a message from a SmallRye channel: acks on success or duplicate, nacks otherwise. */
    public CompletionStage<Void> handle(String consumer, Message<?> message, Consumer<CloudEvent> effect) {
        return handle(consumer, message, event -> null, (event, nothing) -> effect.accept(event));
    }

    /**
     * Like {@link #handle(String, Message, Consumer)}, with {@code prepare} run before each attempt and outside its
     * transaction, its answer handed to {@code effect}: what needs another service (a REST call) is asked there, so
     * no remote call is ever made inside the inbox transaction or while it holds row locks.
     */
    public <T> CompletionStage<Void> handle(String consumer, Message<?> message, Function<CloudEvent, T> prepare,
                                            BiConsumer<CloudEvent, T> effect) {
        try {
            process(consumer, bodyOf(message.getPayload()), prepare, effect);
            return message.ack();
        } catch (ShuttingDown e) {
            // neither ack nor nack (a nack would dead-letter it): the broker redelivers it when the
            // connection closes
            return new CompletableFuture<>();
        } catch (RuntimeException e) {
            return message.nack(e);
        }
    }

    /**
     * Parses the CloudEvent and applies {@code effect} once per event id for this consumer.
     *
     * @throws PoisonEventException when the message is not a valid CloudEvent or the effect rejects it
     * @throws RuntimeException     the last failure, once every attempt has failed
     */
    public Outcome process(String consumer, byte[] body, Consumer<CloudEvent> effect) {
        return process(consumer, body, event -> null, (event, nothing) -> effect.accept(event));
    }

    /** {@link #process(String, byte[], Consumer)} with a step before each attempt's transaction (see handle). */
    public <T> Outcome process(String consumer, byte[] body, Function<CloudEvent, T> prepare,
                               BiConsumer<CloudEvent, T> effect) {
        CloudEvent event;
        try {
            event = mapper.readValue(body, CloudEvent.class).validate();
        } catch (Exception e) {
            deadLettered(consumer, "unparseable", "poison");
            LOG.errorf("%s: dead-lettering a message that is not a CloudEvent: %s", consumer, e.getMessage());
            throw new PoisonEventException("Not a CloudEvent: " + e.getMessage(), e);
        }
        RuntimeException last = null;
        long outageBackoff = config.initialBackoff().toMillis();
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            try {
                T prepared = prepare.apply(event);
                Outcome outcome = QuarkusTransaction.requiringNew().call(() -> applyOnce(consumer, event,
                        e -> effect.accept(e, prepared)));
                meters.counter("toban.events.consumed", "consumer", consumer, "type", event.type(),
                        "outcome", outcome.name().toLowerCase()).increment();
                return outcome;
            } catch (PoisonEventException e) {
                deadLettered(consumer, event.type(), "poison");
                LOG.errorf("%s: dead-lettering event %s (%s): %s", consumer, event.id(), event.type(), e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                if (databaseUnavailable(e)) {
                    LOG.warnf("%s: database unavailable while applying event %s (%s), retrying in %d ms: %s",
                            consumer, event.id(), event.type(), outageBackoff, e.toString());
                    pause(outageBackoff);
                    outageBackoff = Math.min(outageBackoff * 2, config.maxOutageBackoff().toMillis());
                    attempt--;
                    continue;
                }
                last = e;
                LOG.warnf("%s: attempt %d/%d for event %s (%s) failed: %s", consumer, attempt,
                        config.maxAttempts(), event.id(), event.type(), e.toString());
                if (attempt < config.maxAttempts()) {
                    pause(config.initialBackoff().toMillis() << (attempt - 1));
                }
            }
        }
        deadLettered(consumer, event.type(), "exhausted");
        LOG.errorf("%s: dead-lettering event %s (%s) after %d attempts", consumer, event.id(), event.type(),
                config.maxAttempts());
        throw last;
    }

    private Outcome applyOnce(String consumer, CloudEvent event, Consumer<CloudEvent> effect) {
        int inserted = em.createNativeQuery("insert into inbox_event (consumer, event_id, type) values (?1, ?2, ?3) "
                        + "on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, event.id())
                .setParameter(3, event.type())
                .executeUpdate();
        if (inserted == 0) {
            return Outcome.DUPLICATE;
        }
        effect.accept(event);
        return Outcome.PROCESSED;
    }

    private void deadLettered(String consumer, String type, String reason) {
        meters.counter("toban.events.dead.lettered", "consumer", consumer, "type", type, "reason", reason).increment();
    }

    /** An unreachable database, not something wrong with this event (see {@link DatabaseOutage}). */
    static boolean databaseUnavailable(Throwable failure) {
        return DatabaseOutage.isOutage(failure);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShuttingDown(e);
        }
    }

    /** The consumer thread was interrupted (the service is stopping) while it waited to retry. */
    static final class ShuttingDown extends RuntimeException {
        ShuttingDown(InterruptedException cause) {
            super("Interrupted while retrying an event", cause);
        }
    }

    /** The connector hands over bytes, a Buffer, a String or parsed JSON depending on the content type. */
    static byte[] bodyOf(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        if (payload instanceof Buffer buffer) {
            return buffer.getBytes();
        }
        if (payload instanceof JsonObject json) {
            return json.encode().getBytes(StandardCharsets.UTF_8);
        }
        if (payload instanceof JsonArray json) {
            return json.encode().getBytes(StandardCharsets.UTF_8);
        }
        return String.valueOf(payload).getBytes(StandardCharsets.UTF_8);
    }
}
