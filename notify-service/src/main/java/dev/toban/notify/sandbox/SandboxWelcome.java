package dev.toban.notify.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.client.OnCallClient;
import dev.toban.notify.model.SandboxRepository;
import dev.toban.notify.oncall.OnCallNotifier;
import dev.toban.plumbing.events.CloudEvent;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Next;
import dev.toban.plumbing.jobs.Worker;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A new sandbox workspace greets the people on call now with their handoff notice 運用当番のお知らせ (a DM and
 * the team channel's post), rendered and delivered exactly as for oncall-service's {@code shift.started}.
 * oncall-service announces a shift only when it starts (within its announce lookback), so without this
 * a newcomer's demo would show the notice only at the next handoff. Once per workspace (sandbox_state),
 * only for shifts older than {@code toban.slack.sandbox.welcome-after} (newer ones oncall-service
 * announces itself), and only while the sandbox is on. Asks again until oncall-service answers.
 */
@ApplicationScoped
public class SandboxWelcome {

    private static final Logger LOG = Logger.getLogger(SandboxWelcome.class);
    static final String STATE = "welcomed";
    /** Event ids of the notices: one per schedule, person and shift start, so a notice exists once. */
    static final String EVENT_PREFIX = "sandbox-welcome:";

    private final SlackSandbox sandbox;
    private final OnCallClient oncall;
    private final OnCallNotifier notifier;
    private final SandboxRepository repo;
    private final ObjectMapper mapper;
    private static final Duration FIRST_AFTER = Duration.ofSeconds(5);
    private static final Duration EVERY = Duration.ofSeconds(20);

    private volatile boolean done;
    private Instant firstPassAt;
    private final Worker worker;

    public SandboxWelcome(SlackSandbox sandbox, OnCallClient oncall, OnCallNotifier notifier,
                          SandboxRepository repo, ObjectMapper mapper, Jobs jobs) {
        this.sandbox = sandbox;
        this.oncall = oncall;
        this.notifier = notifier;
        this.repo = repo;
        this.mapper = mapper;
        this.worker = jobs.define(JobSpec.pass("sandbox-welcome", this::pass));
    }

    void start(@Observes StartupEvent event) {
        worker.start();
    }

    /** Every 20 s (the first 5 s after start) until the workspace was welcomed; then the worker ends. */
    private Next pass() {
        Instant now = Instant.now();
        if (firstPassAt == null) {
            firstPassAt = now.plus(FIRST_AFTER);
            return Next.at(firstPassAt);
        }
        if (done) {
            return Next.DONE;
        }
        if (sandbox.enabled() && sandbox.settings().welcome()) {
            try {
                welcome(now);
            } catch (RuntimeException e) {
                LOG.warnf("The Slack sandbox could not welcome the on-call yet: %s", e.toString());
            }
        }
        return done ? Next.DONE : Next.at(now.plus(EVERY));
    }

    /** Welcomes the people on call at {@code now}; returns how many notices, or -1 when oncall-service cannot say yet. */
    int welcome(Instant now) {
        if (QuarkusTransaction.requiringNew().call(() -> repo.hasState(STATE))) {
            done = true;
            return 0;
        }
        JsonNode board;
        try {
            board = oncall.now();
        } catch (RuntimeException e) {
            board = null;
        }
        if (board == null || !board.isArray()) {
            return -1;
        }
        List<CloudEvent> events = events(board, now);
        int welcomed = QuarkusTransaction.requiringNew().call(() -> {
            if (!repo.recordState(STATE, now.toString())) {
                return 0; // another replica did it
            }
            events.forEach(notifier::apply);
            return events.size();
        });
        done = true;
        if (welcomed > 0) {
            LOG.infof("The Slack sandbox welcomed %d on-call shift(s) with their handoff notice", welcomed);
        }
        return welcomed;
    }

    /** {@code shift.started} events, as oncall-service publishes them, for the shifts on call now that started long enough ago. */
    List<CloudEvent> events(JsonNode board, Instant now) {
        Instant before = now.minus(sandbox.settings().welcomeAfter());
        List<CloudEvent> events = new ArrayList<>();
        for (JsonNode entry : board) {
            for (JsonNode onCall : entry.path("onCall")) {
                Instant since = instant(onCall.path("since").asText(null));
                JsonNode person = onCall.path("person");
                if (since == null || !since.isBefore(before) || !person.isObject()) {
                    continue;
                }
                String shiftId = entry.path("schedule").path("id").asText() + ":" + person.path("id").asText() + ":" + since;
                ObjectNode data = mapper.createObjectNode();
                data.put("shiftId", shiftId);
                data.set("schedule", entry.path("schedule"));
                data.set("team", entry.path("team"));
                data.set("person", person);
                data.put("start", since.toString());
                if (onCall.hasNonNull("until")) {
                    data.put("end", onCall.path("until").asText());
                } else {
                    data.putNull("end");
                }
                data.set("onCallWith", with(board, entry, person));
                data.putArray("escalationPolicies");
                events.add(new CloudEvent(CloudEvent.SPEC_VERSION, EVENT_PREFIX + shiftId, "/toban/notify-service/sandbox",
                        "toban.oncall.shift.started", now, shiftId, CloudEvent.JSON, data));
            }
        }
        return events;
    }

    /** Everyone else on call now, the same schedule first, as a shift event's {@code onCallWith}. */
    private ArrayNode with(JsonNode board, JsonNode own, JsonNode person) {
        ArrayNode list = mapper.createArrayNode();
        List<JsonNode> ordered = new ArrayList<>();
        ordered.add(own);
        board.forEach(e -> {
            if (e != own) {
                ordered.add(e);
            }
        });
        for (JsonNode entry : ordered) {
            for (JsonNode other : entry.path("onCall")) {
                if (other.path("person").path("id").asText("").equals(person.path("id").asText())) {
                    continue;
                }
                ObjectNode w = list.addObject();
                w.set("person", other.path("person"));
                w.set("schedule", entry.path("schedule"));
                w.put("teamName", entry.path("team").path("name").asText(null));
                w.set("until", other.path("until"));
            }
        }
        return list;
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
