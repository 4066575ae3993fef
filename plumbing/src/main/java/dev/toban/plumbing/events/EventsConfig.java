package dev.toban.plumbing.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings for publishing and consuming CloudEvents over RabbitMQ. */
@ConfigMapping(prefix = "toban.events")
public interface EventsConfig {

    /** CloudEvents {@code source} of this service, for example {@code /toban/incident-service}. */
    String source();

    /** Durable topic exchange this service publishes to, for example {@code toban.incident}. */
    String exchange();

    Outbox outbox();

    Consumer consumer();

    Broker broker();

    interface Outbox {
        /** Whether this instance runs the relay. Every replica may; they never publish the same row twice. */
        @WithDefault("true")
        boolean relayEnabled();

        /** Rows published per transaction; one publisher-confirm wait covers the whole batch. */
        @WithDefault("500")
        int batchSize();

        /**
         * Longest idle sleep of the relay (its worker's idle cap). A commit that writes an event wakes the relay
         * at once, in every replica (replica signals), so this only bounds how late rows whose signal was lost are
         * seen; an idle relay looks once per interval.
         */
        @WithDefault("5m")
        Duration pollInterval();

        /** How long to wait for the broker's confirms before the batch is retried. */
        @WithDefault("10s")
        Duration confirmTimeout();

        /** Longest pause between attempts while the broker is unreachable. */
        @WithDefault("5s")
        Duration maxBackoff();

        /** Published rows are deleted after this long. */
        @WithDefault("P7D")
        Duration retention();

        /**
         * How often published rows older than {@link #retention()} are deleted (every replica, relay on or off; the
         * first time a minute after start); {@code off} never.
         */
        @WithDefault("1h")
        String cleanupEvery();

        /**
         * The queues of this exchange's consumers (other services declare them when they start). On a new broker
         * an event published before its consumer's queue exists is routed nowhere, so the relay's first publish
         * waits until they exist, at most {@link #awaitQueuesTimeout()}. Empty: no wait.
         */
        java.util.Optional<java.util.List<String>> awaitQueues();

        /** Longest wait for {@link #awaitQueues()} after start; then the relay publishes anyway (and says so). */
        @WithDefault("2m")
        Duration awaitQueuesTimeout();
    }

    interface Consumer {
        /** Attempts per message, each in its own transaction, before it goes to the dead-letter queue. */
        @WithDefault("3")
        int maxAttempts();

        /** Pause before the second attempt; it doubles for each further one. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /**
         * Longest pause between tries while the database is unreachable. Such tries are not counted
         * as attempts: the event waits for the database instead of going to the dead-letter queue.
         */
        @WithDefault("5s")
        Duration maxOutageBackoff();
    }

    /** Connection the outbox relay uses. Defaults follow the SmallRye connector's {@code rabbitmq-*} keys. */
    interface Broker {
        @WithDefault("localhost")
        String host();

        @WithDefault("5672")
        int port();

        @WithDefault("guest")
        String username();

        @WithDefault("guest")
        String password();

        @WithDefault("/")
        String virtualHost();
    }
}
