package dev.toban.postmortem.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.Actor;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.postmortem.access.Access;
import dev.toban.postmortem.access.Requester;
import dev.toban.postmortem.actionitem.ActionItemService;
import dev.toban.postmortem.lifecycle.Snapshots;
import dev.toban.postmortem.lifecycle.Views;
import dev.toban.postmortem.model.ActionItemRepository;
import dev.toban.postmortem.model.DocumentRepository;
import dev.toban.postmortem.model.ParticipantRepository;
import dev.toban.postmortem.model.Postmortem;
import dev.toban.postmortem.model.PostmortemDocument;
import dev.toban.postmortem.model.PostmortemRepository;
import dev.toban.postmortem.model.PostmortemState;
import dev.toban.postmortem.model.PostmortemTimeline;
import dev.toban.postmortem.model.TimelineRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The blameless document: reading, editing sections with optimistic locking, exporting Markdown. */
@ApplicationScoped
public class DocumentService {

    private final PostmortemRepository postmortems;
    private final DocumentRepository documents;
    private final TimelineRepository timelines;
    private final ParticipantRepository participants;
    private final ActionItemRepository actionItems;
    private final Snapshots snapshots;
    private final ObjectMapper mapper;

    public DocumentService(PostmortemRepository postmortems, DocumentRepository documents, TimelineRepository timelines,
                           ParticipantRepository participants, ActionItemRepository actionItems, Snapshots snapshots,
                           ObjectMapper mapper) {
        this.postmortems = postmortems;
        this.documents = documents;
        this.timelines = timelines;
        this.participants = participants;
        this.actionItems = actionItems;
        this.snapshots = snapshots;
        this.mapper = mapper;
    }

    /**
     * PATCH body: sections that are present replace the stored text ("" empties one); absent ones
     * stay. {@code version} is the document version the client edited (optimistic locking).
     */
    public record DocumentPatch(
            @NotNull Long version,
            @Pattern(regexp = "ja|en", message = "must be ja or en") String language,
            @Size(max = 20000) String summary,
            @Size(max = 20000) String impact,
            @Size(max = 20000) String contributingFactors,
            @Size(max = 20000) String wentWell,
            @Size(max = 20000) String wentPoorly,
            @Size(max = 20000) String gotLucky) {
    }

    public Views.DocumentView get(UUID id, Requester caller) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Postmortem p = load(id);
            Access.requireRead(p, caller);
            return view(p, documents.findById(p.id));
        });
    }

    public Views.DocumentView patch(UUID id, DocumentPatch body, Requester caller) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem p = load(id);
            Access.requireEdit(p, snapshots.incident(p), participants.allOf(p.id), caller);
            if (p.state == PostmortemState.PUBLISHED) {
                throw ProblemException.conflict("state", "a published postmortem is read-only");
            }
            PostmortemDocument d = documents.findById(p.id);
            if (d.version != body.version()) {
                throw ProblemException.conflict("version", "is " + body.version() + " but the document is at version "
                        + d.version + " (changed by " + d.updatedBy + "); reload and apply your edit again");
            }
            if (body.language() != null) {
                d.language = body.language();
            }
            if (body.summary() != null) {
                d.summary = body.summary();
            }
            if (body.impact() != null) {
                d.impact = body.impact();
            }
            if (body.contributingFactors() != null) {
                d.contributingFactors = body.contributingFactors();
            }
            if (body.wentWell() != null) {
                d.wentWell = body.wentWell();
            }
            if (body.wentPoorly() != null) {
                d.wentPoorly = body.wentPoorly();
            }
            if (body.gotLucky() != null) {
                d.gotLucky = body.gotLucky();
            }
            d.updatedBy = caller.username();
            d.updatedAt = Instant.now();
            documents.flush();
            return view(p, d);
        });
    }

    /** The document as Markdown; {@code language} overrides the document's own (ja or en). */
    public String markdown(UUID id, String language, Requester caller) {
        if (language != null && !language.equals("ja") && !language.equals("en")) {
            throw ProblemException.invalid("lang", "must be ja or en");
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            Postmortem p = load(id);
            Access.requireRead(p, caller);
            PostmortemDocument d = documents.findById(p.id);
            Views.DocumentView doc = view(p, d);
            String lang = language != null ? language : d.language;
            IncidentSnapshot incident = snapshots.incident(p);
            List<Views.ActionItemView> items = actionItems.of(p.id).stream().map(ActionItemService::view).toList();
            return MarkdownRenderer.render(new MarkdownRenderer.Input(lang, p.incidentTitle, p.incidentNumber,
                    p.severity, p.state.wire(), p.owningTeamName, snapshots.incidentUrl(p), ZoneId.of(p.timeZone), d.summary,
                    d.impact, doc.timeline(), doc.timelineFromIncidentService(), doc.downtime(),
                    d.contributingFactors, d.wentWell, d.wentPoorly, d.gotLucky, items));
        });
    }

    private Views.DocumentView view(Postmortem p, PostmortemDocument d) {
        PostmortemTimeline timeline = timelines.findById(p.id);
        boolean fetched = timeline != null && timeline.fetchedAt != null && timeline.entries != null;
        List<Views.TimelineEntry> entries = fetched ? parse(timeline.entries) : fromSnapshot(p, d.language);
        return new Views.DocumentView(p.id, d.language, d.summary, d.impact, d.contributingFactors, d.wentWell,
                d.wentPoorly, d.gotLucky, Snapshots.downtime(p), entries, fetched,
                fetched ? timeline.fetchedAt : null, d.updatedBy, d.updatedAt, d.version);
    }

    /** incident-service's entries as stored; an entry with an unreadable field keeps the fields that are readable. */
    private List<Views.TimelineEntry> parse(String json) {
        JsonNode array;
        try {
            array = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored timeline is not JSON: " + e.getMessage(), e);
        }
        List<Views.TimelineEntry> entries = new ArrayList<>();
        for (JsonNode e : array) {
            entries.add(new Views.TimelineEntry(e.path("id").asText(null), instant(e.path("at").asText(null)),
                    e.path("kind").asText(null), actor(e.get("actor")), e.path("message").asText(null)));
        }
        return entries;
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private Actor actor(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        try {
            return mapper.treeToValue(node, Actor.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new Actor(node.path("username").asText(null), null, node.path("name").asText(null));
        }
    }

    /** The fallback timeline: the key times carried by the incident snapshot. */
    static List<Views.TimelineEntry> fromSnapshot(Postmortem p, String language) {
        boolean ja = "ja".equals(language);
        List<Views.TimelineEntry> entries = new ArrayList<>();
        add(entries, p.problemStartedAt, "problem_started", ja ? "障害発生" : "Problem started");
        add(entries, p.incidentCreatedAt, "triggered", ja ? "インシデント起票（検知）" : "Incident opened (detected)");
        add(entries, p.acknowledgedAt, "acknowledged", ja ? "IC が応答" : "Acknowledged by the IC");
        add(entries, p.assignedAt, "assigned", ja ? "担当チームをアサイン" : "Owning team assigned");
        add(entries, p.mitigatedAt, "mitigated", ja ? "暫定復旧" : "Mitigated (provisional recovery)");
        add(entries, p.resolvedAt, "resolved", ja ? "解決" : "Resolved");
        add(entries, p.closedAt, "closed", ja ? "対応チーム解散" : "Response team disbanded (closed)");
        return entries;
    }

    private static void add(List<Views.TimelineEntry> entries, Instant at, String kind, String message) {
        if (at != null) {
            entries.add(new Views.TimelineEntry(null, at, kind, null, message));
        }
    }

    private Postmortem load(UUID id) {
        return postmortems.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Postmortem", id));
    }
}
