package dev.toban.notify.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.notify.dispatch.channel.NotificationChannel;
import dev.toban.notify.model.Delivery;
import dev.toban.notify.model.DeliveryAttempt;
import dev.toban.notify.model.DeliveryAttemptRepository;
import dev.toban.notify.model.DeliveryRepository;
import dev.toban.notify.model.IncidentThread;
import dev.toban.notify.model.IncidentThreadRepository;
import dev.toban.notify.model.WebhookRepository;
import dev.toban.notify.paging.PageRateLimiter;
import dev.toban.notify.template.TemplateCatalog;
import dev.toban.notify.thread.IncidentNotifier;
import dev.toban.plumbing.egress.EgressRefusedException;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Creates deliveries (from event consumers) and serves the delivery log to admins. */
@ApplicationScoped
public class DeliveryService {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final DeliveryRepository deliveries;
    private final DeliveryAttemptRepository attempts;
    private final IncidentThreadRepository threads;
    private final WebhookRepository webhooks;
    private final Map<String, NotificationChannel> channels;
    private final DispatcherSignal signal;
    private final ObjectMapper mapper;
    private final PageRateLimiter rateLimiter;

    public DeliveryService(DeliveryRepository deliveries, DeliveryAttemptRepository attempts,
                           IncidentThreadRepository threads, WebhookRepository webhooks,
                           @All List<NotificationChannel> channels, DispatcherSignal signal, ObjectMapper mapper,
                           PageRateLimiter rateLimiter) {
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.threads = threads;
        this.webhooks = webhooks;
        this.channels = channels.stream().collect(Collectors.toMap(NotificationChannel::name, Function.identity()));
        this.signal = signal;
        this.mapper = mapper;
        this.rateLimiter = rateLimiter;
    }

    // ------------------------------------------------------------------ creation

    /**
     * Records a delivery in the caller's transaction (the event's inbox transaction). A delivery for
     * the same event, channel, target and message exists at most once; a disabled channel records it
     * as skipped, and so does a page to an address that is folding its pages already ({@link PageRateLimiter}).
     * The delivery returned is the row as inserted, not a managed entity: change it in the database, as claims do.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Delivery> create(NewDelivery nd) {
        return create(nd, null);
    }

    /**
     * As {@link #create(NewDelivery)}, with the message rendered once the delivery's id is known (a page's
     * email carries an acknowledgement link signed for its own delivery) and only if it may go: a page skipped as it
     * is made (folded, or its channel off) keeps why instead. {@code render} null: the message of {@code nd}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Delivery> create(NewDelivery nd, Function<UUID, Message> render) {
        if (deliveries.exists(nd.event().id(), nd.channel(), nd.target(), nd.messageKey())) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        Delivery d = new Delivery();
        d.id = UUID.randomUUID();
        d.eventId = nd.event().id();
        d.eventType = nd.event().type();
        d.eventTime = nd.event().time();
        d.subject = nd.event().subject();
        d.incidentId = nd.incidentId();
        d.purpose = nd.purpose();
        d.channel = nd.channel();
        d.kind = nd.kind();
        d.target = nd.target();
        d.messageKey = nd.messageKey();
        d.locale = nd.locale();
        d.lane = nd.lane();
        d.threadKey = nd.threadKey();
        d.orderVersion = nd.orderVersion();
        d.priority = nd.priority();
        d.blockedBy = nd.blockedBy();
        d.recipient = nd.recipient() == null ? null : json(nd.recipient());
        d.attempts = 0;
        Instant due = nd.dueAt() == null ? now : nd.dueAt();
        d.dueAt = due.isBefore(now) ? now : due;
        d.createdAt = now;
        d.updatedAt = now;
        NotificationChannel channel = channels.get(nd.channel());
        if (channel == null || !channel.enabled()) {
            d.state = Delivery.SKIPPED;
            d.lastError = channel == null ? "no channel named " + nd.channel() : channel.disabledReason();
        } else if (!rateLimiter.foldIfFolding(d, now)) {
            d.state = Delivery.PENDING;
            signal.wakeAfterCommit();
        }
        // a page folded as it is made is never sent: rendering it (in a storm, every page) would be wasted; the log
        // names its incident and person, and says why in its message
        boolean foldedNow = Delivery.SKIPPED.equals(d.state) && render != null;
        d.payload = write(foldedNow ? Message.sms(d.lastError) : render == null ? nd.message() : render.apply(d.id));
        deliveries.insert(d);
        return Optional.of(d);
    }

    public boolean enabled(String channel) {
        NotificationChannel c = channels.get(channel);
        return c != null && c.enabled();
    }

    /** Cancels the pending page steps of an incident, because someone acknowledged it (or it moved on). */
    @Transactional(Transactional.TxType.MANDATORY)
    public int cancelPages(UUID incidentId, String reason) {
        List<UUID> cancelled = deliveries.cancelPendingPages(incidentId, reason);
        if (!cancelled.isEmpty()) {
            LOG.infof("Cancelled %d pending page step(s) of incident %s: %s", cancelled.size(), incidentId, reason);
        }
        return cancelled.size();
    }

    public String write(Message message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a message", e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** The PersonRef a delivery is for, or null. */
    public PersonRef recipientOf(Delivery d) {
        return recipient(d);
    }

    /** The PersonRef a delivery is for, or null. */
    PersonRef recipient(Delivery d) {
        if (d.recipient == null) {
            return null;
        }
        try {
            return mapper.readValue(d.recipient, PersonRef.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    public Message read(String payload) {
        try {
            return mapper.readValue(payload, Message.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a stored message", e);
        }
    }

    // ------------------------------------------------------------------ the log

    public record AttemptView(int attempt, Instant startedAt, Instant finishedAt, String outcome, String error,
                              String providerMessageId) {
        static AttemptView of(DeliveryAttempt a, boolean details) {
            return new AttemptView(a.attempt, a.startedAt, a.finishedAt, a.outcome,
                    details ? a.error : failureOnly(a.error), details ? a.providerMessageId : null);
        }
    }

    /** Failure texts of deliveries whose answers a non-admin may not read: see {@link #view}. */
    static final String FAILED = "failed";

    /** A provider's failure text reduced to whether the egress policy refused the call, or only that it failed. */
    static String failureOnly(String error) {
        if (error == null) {
            return null;
        }
        return error.startsWith(EgressRefusedException.SUMMARY) ? EgressRefusedException.SUMMARY : FAILED;
    }

    /**
     * A delivery as the log shows it. Beside the raw {@code target} and {@code messageKey} it names things:
     * {@code recipient} (the person a DM, email or page is for), {@code targetName} (that person, the
     * webhook's name or the Slack channel's), {@code templateKey} with its {@code titles} in ja and en, and
     * the {@code incident} (number and title) when notify-service knows it, {@code slackNames}: the names
     * of the Slack users it knows among those the message may mention (the recipient, the incident's IC), and
     * {@code providerStatus}: what the provider last reported (Twilio: delivered, failed, no-answer...).
     */
    public record DeliveryView(UUID id, long seq, String eventId, String eventType, Instant eventTime, UUID incidentId,
                               String purpose, String channel, String kind, String target, String messageKey,
                               String locale, String state, int attempts, Instant dueAt, String lastError,
                               String providerMessageId, String providerChannel, Instant createdAt, Instant updatedAt,
                               Instant sentAt, JsonNode message, List<AttemptView> attemptLog, PersonRef recipient,
                               String targetName, String templateKey, Map<String, String> titles,
                               IncidentRef incident, Map<String, String> slackNames, String providerStatus,
                               Instant providerStatusAt) {
    }

    /** An incident as notify-service last saw it. */
    public record IncidentRef(UUID id, Long number, String title) {
    }

    public record Page(List<DeliveryView> items, Long nextBefore) {
    }

    /** What the views of one page of the log need to name things, read once for the page. */
    private record Names(Map<UUID, IncidentThread> threads, Map<String, String> webhooks) {
    }

    /** @param admin whether the reader sees webhook answers in full (see {@link #view}) */
    public Page search(DeliveryRepository.Filter filter, boolean admin) {
        List<Delivery> found = deliveries.search(filter);
        Names names = names(found);
        List<DeliveryView> items = found.stream().map(d -> view(d, false, admin, names)).toList();
        Long next = found.size() == filter.limit() ? found.get(found.size() - 1).seq : null;
        return new Page(items, next);
    }

    public DeliveryView get(UUID id, boolean admin) {
        Delivery d = deliveries.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Delivery", id));
        return view(d, true, admin, names(List.of(d)));
    }

    private Names names(List<Delivery> found) {
        Set<UUID> incidentIds = found.stream().map(d -> d.incidentId).filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        Map<UUID, IncidentThread> threadsById = incidentIds.isEmpty() ? Map.of()
                : threads.list("incidentId in ?1", incidentIds).stream()
                        .collect(Collectors.toMap(t -> t.incidentId, Function.identity()));
        Set<UUID> webhookIds = new HashSet<>();
        for (Delivery d : found) {
            if (NewDelivery.WEBHOOK.equals(d.channel)) {
                IncidentNotifier.uuid(d.target).ifPresent(webhookIds::add);
            }
        }
        Map<String, String> hooks = webhookIds.isEmpty() ? Map.of()
                : webhooks.list("id in ?1", webhookIds).stream().collect(Collectors.toMap(w -> w.id.toString(), w -> w.name));
        return new Names(threadsById, hooks);
    }

    /**
     * A delivery as the log shows it. A webhook can point anywhere (a person's own contact method
     * included), so only admins read what its receiver answered: others see its last error as
     * "refused by egress policy" or "failed", and no provider message id (the receiver's HTTP status).
     */
    public DeliveryView view(Delivery d, boolean detail, boolean admin) {
        return view(d, detail, admin, names(List.of(d)));
    }

    private DeliveryView view(Delivery d, boolean detail, boolean admin, Names names) {
        boolean details = admin || !NewDelivery.WEBHOOK.equals(d.channel);
        JsonNode message = null;
        List<AttemptView> log = null;
        if (detail) {
            try {
                // the log is read by others than the person paged: no working ack link in it
                message = mapper.readTree(dev.toban.notify.response.AckTokens.redact(d.payload));
            } catch (JsonProcessingException e) {
                message = null;
            }
            log = attempts.of(d.id).stream().map(a -> AttemptView.of(a, details)).toList();
        }
        // why a delivery was cancelled or skipped is Toban's own text, not the receiver's
        boolean ours = Delivery.CANCELLED.equals(d.state) || Delivery.SKIPPED.equals(d.state);
        // a webhook URL may carry a secret, and anyone who knows an ntfy topic can read its pages: admins only
        boolean secretTarget = NewDelivery.WEBHOOK.equals(d.channel) || NewDelivery.PUSH.equals(d.channel);
        String target = admin || !secretTarget ? d.target : null;
        String lastError = details || ours ? d.lastError : failureOnly(d.lastError);
        PersonRef recipient = recipient(d);
        IncidentThread thread = d.incidentId == null ? null : names.threads().get(d.incidentId);
        IncidentRef incident = d.incidentId == null ? null
                : new IncidentRef(d.incidentId, thread == null ? null : thread.number, thread == null ? null : thread.title);
        String templateKey = TemplateCatalog.templateKeyOf(d.messageKey);
        Map<String, String> titles = new LinkedHashMap<>();
        TemplateCatalog.LOCALES.forEach(l -> titles.put(l, TemplateCatalog.title(templateKey, l)));
        return new DeliveryView(d.id, d.seq == null ? 0 : d.seq, d.eventId, d.eventType, d.eventTime, d.incidentId,
                d.purpose, d.channel, d.kind, target, d.messageKey, d.locale, d.state, d.attempts, d.dueAt,
                lastError, details ? d.providerMessageId : null, d.providerChannel, d.createdAt, d.updatedAt, d.sentAt,
                message, log, recipient, targetName(d, recipient, thread, names), templateKey, titles, incident,
                slackNames(recipient, thread), d.providerStatus, d.providerStatusAt);
    }

    private static Map<String, String> slackNames(PersonRef recipient, IncidentThread thread) {
        Map<String, String> known = new LinkedHashMap<>();
        if (recipient != null && recipient.slackUserId() != null && recipient.name() != null) {
            known.put(recipient.slackUserId(), recipient.name());
        }
        if (thread != null && thread.commanderSlackUserId != null && thread.commanderName != null) {
            known.putIfAbsent(thread.commanderSlackUserId, thread.commanderName);
        }
        return known;
    }

    /** Whom or where a delivery went, by name: the person, the webhook, the Slack channel; else the raw target. */
    private static String targetName(Delivery d, PersonRef recipient, IncidentThread thread, Names names) {
        if (recipient != null && recipient.name() != null) {
            return recipient.name();
        }
        if (NewDelivery.WEBHOOK.equals(d.channel)) {
            String name = names.webhooks().get(d.target);
            return name != null ? name : d.target;
        }
        if (NewDelivery.SLACK.equals(d.channel) && thread != null && thread.channel != null
                && thread.channel.startsWith("#") && (d.target.equals(thread.channelId) || d.target.equals(thread.channel))) {
            return thread.channel; // an adopted thread is addressed by channel id: show the configured name
        }
        if (NewDelivery.SLACK.equals(d.channel) && thread != null && d.target.equals(thread.commanderSlackUserId)
                && thread.commanderName != null) {
            return thread.commanderName;
        }
        return d.target;
    }

    /**
     * Sends a dead delivery again from a fresh attempt budget. The replies and updates that died
     * with a dead thread parent come back with it.
     */
    @Transactional
    public DeliveryView replay(UUID id) {
        Delivery d = deliveries.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Delivery", id));
        if (!Delivery.DEAD.equals(d.state)) {
            throw ProblemException.conflict("state", "only dead deliveries can be replayed; this one is " + d.state);
        }
        reset(d);
        for (Delivery dependent : deliveries.waitingFor(d.id, Delivery.DEAD)) {
            reset(dependent);
        }
        signal.wakeAfterCommit();
        deliveries.flush();
        return view(d, true, true);
    }

    public record ReplayResult(int replayed, List<UUID> ids) {
    }

    /** Replays every dead delivery matching the filters (at most {@code limit}), for after a long outage. */
    @Transactional
    public ReplayResult replayDead(String channel, String eventType, int limit) {
        List<UUID> ids = new ArrayList<>();
        for (Delivery d : deliveries.dead(channel, eventType, limit)) {
            reset(d);
            ids.add(d.id);
        }
        if (!ids.isEmpty()) {
            signal.wakeAfterCommit();
        }
        return new ReplayResult(ids.size(), ids);
    }

    private static void reset(Delivery d) {
        Instant now = Instant.now();
        d.state = Delivery.PENDING;
        d.attempts = 0;
        d.dueAt = now;
        d.unknownOutcome = false;
        d.sendingSince = null;
        d.updatedAt = now;
    }
}
