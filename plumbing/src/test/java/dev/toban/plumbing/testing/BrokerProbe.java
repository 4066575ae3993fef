package dev.toban.plumbing.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Talks to the real RabbitMQ from a test: watches an exchange through a private queue, publishes
 * raw messages (including poisoned ones) and reads queue depths.
 */
public final class BrokerProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Channel channel;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final java.util.Map<JsonNode, Long> receivedAt = new java.util.concurrent.ConcurrentHashMap<>();

    public BrokerProbe(String virtualHost) {
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(LocalStack.get("RABBITMQ_HOST", "localhost"));
            factory.setPort(Integer.parseInt(LocalStack.get("RABBITMQ_PORT", "5672")));
            factory.setUsername(LocalStack.get("RABBITMQ_USERNAME", "guest"));
            factory.setPassword(LocalStack.get("RABBITMQ_PASSWORD", "guest"));
            factory.setVirtualHost(virtualHost);
            connection = factory.newConnection("toban-test-probe");
            channel = connection.createChannel();
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ vhost " + virtualHost + " is not reachable; run bin/toban stack", e);
        }
    }

    /** Starts collecting every CloudEvent published to {@code exchange} with a matching routing key. */
    public BrokerProbe watch(String exchange, String routingKey) {
        try {
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            String queue = channel.queueDeclare("probe-" + UUID.randomUUID(), false, true, true, null).getQueue();
            channel.queueBind(queue, exchange, routingKey);
            channel.basicConsume(queue, true, (tag, delivery) -> {
                JsonNode event = JSON.readTree(delivery.getBody());
                receivedAt.put(event, System.currentTimeMillis());
                received.add(event);
            }, tag -> { });
            return this;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A durable queue that keeps collecting across a broker restart; emptied first. */
    public BrokerProbe durableQueue(String queue, String exchange, String routingKey) {
        try {
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            channel.queueDeclare(queue, true, false, false, null);
            channel.queueBind(queue, exchange, routingKey);
            channel.queuePurge(queue);
            return this;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes every message waiting in {@code queue} and parses it as JSON. */
    public List<JsonNode> drain(String queue) {
        List<JsonNode> messages = new ArrayList<>();
        try {
            for (GetResponse r = channel.basicGet(queue, true); r != null; r = channel.basicGet(queue, true)) {
                messages.add(JSON.readTree(r.getBody()));
            }
            return messages;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void deleteQueue(String queue) {
        try (Channel ch = connection.createChannel()) {
            ch.queueDelete(queue);
        } catch (Exception ignored) {
            // already gone
        }
    }

    public List<JsonNode> received() {
        return new ArrayList<>(received);
    }

    /** When a watched message arrived here, in epoch milliseconds. */
    public long arrivalOf(JsonNode event) {
        return receivedAt.getOrDefault(event, -1L);
    }

    public List<JsonNode> received(String type) {
        return received.stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    public void publish(String exchange, String routingKey, String body) {
        try {
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            channel.basicPublish(exchange, routingKey, new AMQP.BasicProperties.Builder()
                    .contentType("application/cloudevents+json").deliveryMode(2).build(),
                    body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages ready in a queue, or -1 if it does not exist. */
    public long depth(String queue) {
        try (Channel ch = connection.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Takes one message off a queue (for example a dead-letter queue), or null. */
    public String take(String queue) {
        try {
            GetResponse response = channel.basicGet(queue, true);
            return response == null ? null : new String(response.getBody(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void purge(String queue) {
        try (Channel ch = connection.createChannel()) {
            ch.queuePurge(queue);
        } catch (Exception ignored) {
            // the queue does not exist yet
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
