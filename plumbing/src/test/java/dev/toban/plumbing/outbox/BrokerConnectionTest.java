package dev.toban.plumbing.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.events.EventsConfig;
import dev.toban.plumbing.testing.BrokerProbe;
import dev.toban.plumbing.testing.LocalStack;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay's wait for its consumers' queues (docs/events.md, Topology) rests on this: against the local
 * RabbitMQ, a queue a consumer has declared is there, one nobody declared yet is missing, and asking does not
 * break the connection the relay publishes on.
 */
class BrokerConnectionTest {

    static final String VHOST = "toban_test_oncall";

    @Test
    void aQueueNobodyDeclaredYetIsMissingAndOneAConsumerDeclaredIsNot() throws Exception {
        String declared = "it.await." + UUID.randomUUID();
        String notYet = "it.await." + UUID.randomUUID();
        BrokerConnection broker = new BrokerConnection(config(), "plumbing-test");
        try (BrokerProbe consumer = new BrokerProbe(VHOST)) {
            consumer.durableQueue(declared, "it.await", "#");
            assertEquals(List.of(notYet), broker.missingQueues(List.of(declared, notYet)));
            assertEquals(List.of(notYet), broker.missingQueues(List.of(notYet, declared)), "asked twice: same answer");
            assertTrue(broker.isReachable(), "the relay's own channel survives the 404s of the probes");
            consumer.durableQueue(notYet, "it.await", "#");
            assertEquals(List.of(), broker.missingQueues(List.of(declared, notYet)));
            consumer.deleteQueue(declared);
            consumer.deleteQueue(notYet);
        } finally {
            broker.reset();
        }
    }

    /** Only what the connection reads: the local broker's defaults, on a test vhost. */
    private static EventsConfig config() {
        Map<String, Object> values = Map.of("host", LocalStack.get("RABBITMQ_HOST", "localhost"),
                "port", Integer.parseInt(LocalStack.get("RABBITMQ_PORT", "5672")),
                "username", LocalStack.get("RABBITMQ_USERNAME", "guest"),
                "password", LocalStack.get("RABBITMQ_PASSWORD", "guest"), "virtualHost", VHOST);
        EventsConfig.Broker broker = (EventsConfig.Broker) Proxy.newProxyInstance(EventsConfig.class.getClassLoader(),
                new Class<?>[] {EventsConfig.Broker.class}, (proxy, method, args) -> values.get(method.getName()));
        return (EventsConfig) Proxy.newProxyInstance(EventsConfig.class.getClassLoader(),
                new Class<?>[] {EventsConfig.class}, (proxy, method, args) -> "broker".equals(method.getName()) ? broker : null);
    }
}
