package dev.toban.notify.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.notify.client.PersonDetails;
import dev.toban.notify.config.NotifyConfig;
import dev.toban.notify.thread.IncidentNotifier;
import dev.toban.notify.webhook.WebhookFanout;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.inbox.EventInbox;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * incident-service's events (queue {@code notify-service.incident-events}). Each event becomes
 * deliveries in its inbox transaction: a redelivered event creates nothing twice. Events are applied
 * in partitions keyed by incident (the CloudEvents subject): in order per incident, in parallel
 * across incidents, so a storm of new incidents is not applied one by one.
 */
@ApplicationScoped
public class IncidentEventsConsumer {

    static final String CONSUMER = "notify-service.incident-events";

    private final EventInbox inbox;
    private final IncidentNotifier incidents;
    private final WebhookFanout webhooks;
    private final ObjectMapper mapper;
    private final KeyedExecutor partitions;

    public IncidentEventsConsumer(EventInbox inbox, IncidentNotifier incidents, WebhookFanout webhooks,
                                  ObjectMapper mapper, NotifyConfig config) {
        this.inbox = inbox;
        this.incidents = incidents;
        this.webhooks = webhooks;
        this.mapper = mapper;
        this.partitions = new KeyedExecutor("incident-events", config.incidentPartitions());
    }

    void stop(@Observes ShutdownEvent event) {
        partitions.close();
    }

    /**
     * Hands the message to its incident's partition and returns at once (the connector would wait
     * for a returned stage before delivering the next message). The inbox acks or nacks the message
     * when it is applied; max-outstanding-messages bounds how many are in flight.
     */
    @Incoming("incident-events")
    public CompletionStage<Void> consume(Message<?> message) {
        // who is paged and how to reach them is asked of oncall-service first, outside the inbox transaction
        partitions.submit(subjectOf(message.getPayload()),
                () -> inbox.handle(CONSUMER, message, incidents::contacts, this::apply));
        return CompletableFuture.completedFuture(null);
    }

    void apply(CloudEvent event, Map<UUID, PersonDetails> contacts) {
        incidents.apply(event, contacts);
        webhooks.apply(event);
    }

    /** The incident id to partition by; unparseable messages all go to one partition (the inbox rejects them). */
    private String subjectOf(Object payload) {
        try {
            JsonNode node;
            if (payload instanceof JsonObject json) {
                return json.getString("subject", "");
            } else if (payload instanceof Buffer buffer) {
                node = mapper.readTree(buffer.getBytes());
            } else if (payload instanceof byte[] bytes) {
                node = mapper.readTree(bytes);
            } else {
                node = mapper.readTree(String.valueOf(payload).getBytes(StandardCharsets.UTF_8));
            }
            return node.path("subject").asText("");
        } catch (Exception e) {
            return "";
        }
    }
}
