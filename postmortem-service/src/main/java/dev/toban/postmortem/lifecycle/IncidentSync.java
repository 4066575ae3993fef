package dev.toban.postmortem.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentEventData;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.postmortem.PostmortemContracts;
import dev.toban.contracts.postmortem.PostmortemContracts.Opened;
import dev.toban.plumbing.inbox.PoisonEventException;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.postmortem.config.PostmortemConfig;
import dev.toban.postmortem.document.TimelineFetcher;
import dev.toban.postmortem.meeting.ParticipantDirectory;
import dev.toban.postmortem.meeting.SlotFinder;
import dev.toban.postmortem.model.DocumentRepository;
import dev.toban.postmortem.model.Postmortem;
import dev.toban.postmortem.model.PostmortemDocument;
import dev.toban.postmortem.model.PostmortemRepository;
import dev.toban.postmortem.model.PostmortemState;
import dev.toban.postmortem.model.PostmortemTimeline;
import dev.toban.postmortem.model.TimelineRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps postmortems in step with their incidents (toban.incident.resolved / closed / reopened).
 *
 * <ul>
 *   <li>resolved: opens the postmortem (one per incident); a later resolution after a reopen
 *       clears the reopened flag and, while the decision is pending, restarts its deadline.</li>
 *   <li>closed: records it; opens the postmortem too if the resolution was never seen.</li>
 *   <li>reopened: flags the postmortem and publishes toban.postmortem.reopened. A skipped one goes
 *       back to pending_decision (the skip was decided about an incident that was not over); a
 *       scheduled meeting is kept (the IC may reschedule or cancel it); held and published ones
 *       keep their state. No decision reminder is sent while the incident is open again.</li>
 * </ul>
 */
@ApplicationScoped
public class IncidentSync {

    private static final Logger LOG = Logger.getLogger(IncidentSync.class);

    private final PostmortemRepository postmortems;
    private final DocumentRepository documents;
    private final TimelineRepository timelines;
    private final ParticipantDirectory directory;
    private final PostmortemEvents events;
    private final SlotFinder slots;
    private final PostmortemConfig config;
    private final ObjectMapper mapper;
    private final Jobs jobs;

    public IncidentSync(PostmortemRepository postmortems, DocumentRepository documents, TimelineRepository timelines,
                        ParticipantDirectory directory, PostmortemEvents events, SlotFinder slots,
                        PostmortemConfig config, ObjectMapper mapper, Jobs jobs) {
        this.postmortems = postmortems;
        this.documents = documents;
        this.timelines = timelines;
        this.directory = directory;
        this.events = events;
        this.slots = slots;
        this.config = config;
        this.mapper = mapper;
        this.jobs = jobs;
    }

    /** The event's snapshot; one without id, title or severity is a poisoned event (nothing can be opened from it). */
    public IncidentSnapshot snapshotOf(IncidentEventData data) {
        IncidentSnapshot snapshot = data.incident();
        if (snapshot == null) {
            throw new PoisonEventException("incident event without data.incident");
        }
        if (snapshot.id() == null || snapshot.title() == null || snapshot.severity() == null) {
            throw new PoisonEventException("data.incident lacks id, title or severity");
        }
        return snapshot;
    }

    public Actor actorOf(IncidentEventData data) {
        return data.actor() == null ? Actor.SYSTEM : data.actor();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void resolved(IncidentSnapshot incident, JsonNode incidentJson, Instant eventTime) {
        Optional<Postmortem> existing = postmortems.lockByIncident(incident.id());
        if (existing.isEmpty()) {
            open(incident, incidentJson, eventTime);
            return;
        }
        Postmortem p = existing.get();
        apply(p, incident, incidentJson);
        if (p.incidentReopened && isOver(p.incidentState)) {
            p.incidentReopened = false;
            if (p.state == PostmortemState.PENDING_DECISION) {
                p.required = required(p.severity);
                p.decisionDueAt = deadline(p, incident, eventTime);
            }
            LOG.infof("Incident %s resolved again; postmortem %s is %s", incident.id(), p.id, p.state);
        }
        syncPeople(p, incident);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void closed(IncidentSnapshot incident, JsonNode incidentJson, Instant eventTime) {
        Optional<Postmortem> existing = postmortems.lockByIncident(incident.id());
        if (existing.isEmpty()) {
            open(incident, incidentJson, eventTime);
            return;
        }
        Postmortem p = existing.get();
        apply(p, incident, incidentJson);
        syncPeople(p, incident);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void reopened(IncidentSnapshot incident, JsonNode incidentJson, Actor actor, String reason) {
        Optional<Postmortem> existing = postmortems.lockByIncident(incident.id());
        if (existing.isEmpty()) {
            LOG.debugf("Incident %s reopened before any postmortem was opened; nothing to keep in step", incident.id());
            return;
        }
        Postmortem p = existing.get();
        if (!apply(p, incident, incidentJson) && isOver(p.incidentState)) {
            LOG.infof("Ignoring a reopen of incident %s: a newer snapshot shows it %s", incident.id(), p.incidentState);
            return;
        }
        if (p.incidentReopened) {
            return; // already in step
        }
        PostmortemState previous = p.state;
        p.incidentReopened = true;
        if (p.state == PostmortemState.SKIPPED) {
            p.state = PostmortemState.PENDING_DECISION;
            p.decision = null;
            p.skipReason = null;
            p.decidedBy = null;
            p.decidedAt = null;
        }
        p.updatedAt = Instant.now();
        postmortems.flush();
        events.publish(PostmortemEvents.REOPENED, p, actor,
                (s, a) -> new PostmortemContracts.Reopened(s, a, reason, previous.wire()));
    }

    /** Applies a snapshot fetched from incident-service, if newer; states move only on events. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refresh(UUID postmortemId, IncidentSnapshot incident, JsonNode incidentJson) {
        postmortems.lock(postmortemId).ifPresent(p -> {
            if (p.incidentId.equals(incident.id()) && apply(p, incident, incidentJson)) {
                syncPeople(p, incident);
            }
        });
    }

    private static boolean isOver(String incidentState) {
        return "resolved".equals(incidentState) || "closed".equals(incidentState);
    }

    private void open(IncidentSnapshot incident, JsonNode incidentJson, Instant eventTime) {
        Instant now = Instant.now();
        Postmortem p = new Postmortem();
        p.id = UUID.randomUUID();
        p.incidentId = incident.id();
        p.incidentVersion = Long.MIN_VALUE;
        apply(p, incident, incidentJson);
        p.required = required(p.severity);
        p.state = PostmortemState.PENDING_DECISION;
        p.decisionDueAt = deadline(p, incident, eventTime);
        p.createdAt = now;
        p.updatedAt = now;
        postmortems.persist(p);
        postmortems.flush();

        directory.addMissing(p.id, ParticipantDirectory.fromIncident(incident), now);

        PostmortemDocument document = new PostmortemDocument();
        document.postmortemId = p.id;
        document.language = language(config.document().defaultLanguage());
        document.summary = summary(p, incident, document.language);
        document.impact = incident.impact();
        document.updatedAt = now;
        documents.persist(document);

        PostmortemTimeline timeline = new PostmortemTimeline();
        timeline.postmortemId = p.id;
        timeline.incidentId = p.incidentId;
        timeline.nextAttemptAt = now;
        timelines.persist(timeline);
        jobs.wakeAfterCommit(TimelineFetcher.JOB); // fetched once this commits

        events.publish(PostmortemEvents.OPENED, p, Actor.SYSTEM, Opened::new);
        LOG.infof("Opened postmortem %s for incident #%s (%s, %s, decision due %s)", p.id, p.incidentNumber,
                p.severity, p.required ? "required" : "IC's call", p.decisionDueAt);
    }

    /** Copies the snapshot's fields unless it is older than the one applied; true when applied. */
    private boolean apply(Postmortem p, IncidentSnapshot s, JsonNode json) {
        long version = s.version();
        if (version < p.incidentVersion) {
            return false;
        }
        p.incidentVersion = version;
        p.incidentSnapshot = json.toString();
        p.incidentNumber = (int) s.number();
        p.incidentTitle = s.title();
        p.incidentState = s.state() == null ? "unknown" : s.state().wire();
        p.severity = s.severity().name();
        if (s.owningTeam() != null) {
            p.owningTeamId = s.owningTeam().id();
            p.owningTeamName = s.owningTeam().name();
            p.owningTeamSlackChannel = s.owningTeam().slackChannel();
        }
        p.timeZone = zoneOf(s).getId();
        if (s.slackThread() != null && s.slackThread().ts() != null) {
            p.slackThreadChannel = s.slackThread().channel();
            p.slackThreadTs = s.slackThread().ts();
        }
        p.problemStartedAt = s.problemStartedAt();
        p.incidentCreatedAt = s.createdAt();
        p.acknowledgedAt = s.acknowledgedAt();
        p.assignedAt = s.assignedAt();
        p.mitigatedAt = s.mitigatedAt();
        p.resolvedAt = s.resolvedAt();
        p.closedAt = s.closedAt();
        p.updatedAt = Instant.now();
        return true;
    }

    /** New responders (and a new commander or liaison) become participants; nobody is dropped. */
    private void syncPeople(Postmortem p, IncidentSnapshot incident) {
        if (p.state == PostmortemState.PENDING_DECISION || p.state == PostmortemState.SKIPPED) {
            directory.addMissing(p.id, ParticipantDirectory.fromIncident(incident), Instant.now());
        }
    }

    private ZoneId zoneOf(IncidentSnapshot s) {
        String zone = s.owningTeam() == null ? null : s.owningTeam().timeZone();
        if (zone != null) {
            try {
                return ZoneId.of(zone);
            } catch (DateTimeException e) {
                LOG.warnf("Team %s has an unknown time zone '%s'; using %s", s.owningTeam().name(), zone,
                        config.scheduling().defaultTimeZone());
            }
        }
        return config.scheduling().defaultTimeZone();
    }

    boolean required(String severity) {
        return config.policy().requiredSeverities().stream().anyMatch(s -> s.strip().equalsIgnoreCase(severity));
    }

    private Instant deadline(Postmortem p, IncidentSnapshot incident, Instant eventTime) {
        Instant from = incident.resolvedAt() != null ? incident.resolvedAt()
                : eventTime != null ? eventTime : Instant.now();
        return slots.deadline(from, ZoneId.of(p.timeZone), config.policy().decisionBusinessDays());
    }

    static String language(String value) {
        return "en".equalsIgnoreCase(value) ? "en" : "ja";
    }

    private static String summary(Postmortem p, IncidentSnapshot s, String language) {
        ZoneId zone = ZoneId.of(p.timeZone);
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(zone);
        String service = s.service() == null ? null : s.service().name();
        String team = p.owningTeamName;
        String resolved = s.resolvedAt() == null ? null : format.format(s.resolvedAt()) + " (" + zone.getId() + ")";
        StringBuilder text = new StringBuilder();
        if ("ja".equals(language)) {
            text.append(p.severity).append(" インシデント");
            if (p.incidentNumber != null) {
                text.append(" #").append(p.incidentNumber);
            }
            text.append("「").append(p.incidentTitle).append("」");
            if (service != null) {
                text.append("（サービス: ").append(service).append("）");
            }
            if (team != null) {
                text.append("。担当チーム: ").append(team);
            }
            if (resolved != null) {
                text.append("。解決: ").append(resolved);
            }
            text.append("。");
        } else {
            text.append(p.severity).append(" incident");
            if (p.incidentNumber != null) {
                text.append(" #").append(p.incidentNumber);
            }
            text.append(" \"").append(p.incidentTitle).append("\"");
            if (service != null) {
                text.append(" on ").append(service);
            }
            if (team != null) {
                text.append(", owned by ").append(team);
            }
            if (resolved != null) {
                text.append(", resolved ").append(resolved);
            }
            text.append('.');
        }
        return text.toString();
    }
}
