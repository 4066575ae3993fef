package dev.toban.plumbing.outbox;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.events.EventsConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The relay's own AMQP connection, with publisher confirms. It is rebuilt from scratch after any
 * failure rather than auto-recovered, so a confirm wait never spans two connections.
 */
@ApplicationScoped
public class BrokerConnection {

    private static final Logger LOG = Logger.getLogger(BrokerConnection.class);

    private final EventsConfig.Broker config;
    private final String clientName;
    private final Set<String> declaredExchanges = new HashSet<>();
    private Connection connection;
    private Channel channel;

    public BrokerConnection(EventsConfig config,
                            @ConfigProperty(name = "quarkus.application.name", defaultValue = "toban") String appName) {
        this.config = config.broker();
        this.clientName = appName + "-outbox";
    }

    /** A message ready to publish: already serialised CloudEvent JSON. */
    public record Outgoing(String exchange, String id, String type, String source, long timestampMillis, String envelope) {
    }

    /**
     * Publishes every message as persistent and waits until the broker confirms all of them.
     * Throws if any is nacked, the wait times out or the connection fails; the caller then retries the batch.
     */
    public synchronized void publishConfirmed(List<Outgoing> messages, Duration confirmTimeout)
            throws IOException, TimeoutException, InterruptedException {
        try {
            Channel ch = channel();
            for (Outgoing m : messages) {
                declareExchange(ch, m.exchange());
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                        .contentType(CloudEvent.STRUCTURED_CONTENT_TYPE)
                        .contentEncoding("UTF-8")
                        .deliveryMode(2)
                        .messageId(m.id())
                        .type(m.type())
                        .appId(m.source())
                        .timestamp(new Date(m.timestampMillis()))
                        .build();
                ch.basicPublish(m.exchange(), m.type(), false, props, m.envelope().getBytes(StandardCharsets.UTF_8));
            }
            ch.waitForConfirmsOrDie(confirmTimeout.toMillis());
        } catch (IOException | TimeoutException | RuntimeException e) {
            reset();
            throw e;
        }
    }

    /** Which of these queues do not exist (yet) on the broker; a passive declare on a channel of its own each. */
    public synchronized List<String> missingQueues(List<String> queues) throws IOException, TimeoutException {
        channel();
        List<String> missing = new java.util.ArrayList<>();
        for (String queue : queues) {
            Channel probe = connection.createChannel();
            try {
                probe.queueDeclarePassive(queue);
            } catch (IOException e) {
                missing.add(queue); // 404 NOT_FOUND closes the probe channel, not the connection
            } finally {
                if (probe.isOpen()) {
                    probe.abort();
                }
            }
        }
        return missing;
    }

    /** Opens the connection if needed; true when the broker is reachable. Used by the readiness check. */
    public synchronized boolean isReachable() {
        try {
            channel();
            return true;
        } catch (IOException | TimeoutException | RuntimeException e) {
            reset();
            return false;
        }
    }

    private Channel channel() throws IOException, TimeoutException {
        if (channel != null && channel.isOpen() && connection != null && connection.isOpen()) {
            return channel;
        }
        reset();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(config.host());
        factory.setPort(config.port());
        factory.setUsername(config.username());
        factory.setPassword(config.password());
        factory.setVirtualHost(config.virtualHost());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(3000);
        factory.setHandshakeTimeout(3000);
        factory.setRequestedHeartbeat(10);
        connection = factory.newConnection(clientName);
        channel = connection.createChannel();
        channel.confirmSelect();
        LOG.infof("Outbox relay connected to RabbitMQ %s:%d vhost %s", config.host(), config.port(), config.virtualHost());
        return channel;
    }

    private void declareExchange(Channel ch, String exchange) throws IOException {
        if (declaredExchanges.add(exchange)) {
            ch.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        }
    }

    @PreDestroy
    synchronized void reset() {
        declaredExchanges.clear();
        if (connection != null) {
            try {
                connection.abort(1000);
            } catch (RuntimeException ignored) {
                // the connection is already gone
            }
        }
        connection = null;
        channel = null;
    }
}
