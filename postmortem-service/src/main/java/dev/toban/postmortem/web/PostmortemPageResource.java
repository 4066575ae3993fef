package dev.toban.postmortem.web;

import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.FormValues;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import dev.toban.postmortem.access.NotPublishedException;
import dev.toban.postmortem.access.Requester;
import dev.toban.postmortem.actionitem.ActionItemService;
import dev.toban.postmortem.actionitem.ActionItemService.ActionItemPatch;
import dev.toban.postmortem.actionitem.ActionItemService.ActionItemRequest;
import dev.toban.postmortem.document.DocumentService;
import dev.toban.postmortem.document.DocumentService.DocumentPatch;
import dev.toban.postmortem.lifecycle.PostmortemService;
import dev.toban.postmortem.lifecycle.PostmortemService.DecisionRequest;
import dev.toban.postmortem.lifecycle.Views;
import dev.toban.postmortem.meeting.MeetingService;
import dev.toban.postmortem.meeting.MeetingService.ParticipantRequest;
import dev.toban.postmortem.model.ActionItemStatus;
import dev.toban.postmortem.model.Decision;
import dev.toban.postmortem.model.PostmortemState;
import dev.toban.postmortem.model.WireEnum;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Postmortem pages: the list, and one postmortem with the IC's decision, the meeting and its
 * attendees, the blameless document and the action items. Everything goes through the service
 * layer, which enforces who may do what; the page only hides what the caller may not do.
 */
@Path("/ui/postmortems")
public class PostmortemPageResource {

    static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");
    /** Flash messages after a redirect ({@code ?done=}); anything else is ignored. */
    static final Set<String> DONE = Set.of("decided", "rescheduled", "participantAdded", "participantRemoved", "held",
            "published", "documentSaved", "itemAdded", "itemSaved", "itemClosed");

    public record ListRow(Views.PostmortemSnapshot postmortem, long openItems) {
    }

    /** A choice in a select; {@code label} is a text key or a name. */
    public record Option(String value, String label, boolean selected) {
    }

    /** The document editor's content: what is stored, or what the user sent when it is shown again. */
    public record DocForm(long version, String language, String summary, String impact, String contributingFactors,
                          String wentWell, String wentPoorly, String gotLucky) {
        static DocForm of(Views.DocumentView d) {
            return new DocForm(d.version(), d.language(), d.summary(), d.impact(), d.contributingFactors(),
                    d.wentWell(), d.wentPoorly(), d.gotLucky());
        }
    }

    public record ItemRow(Views.ActionItemView item, List<Option> owners, List<Option> statuses, boolean open) {
    }

    /** What the detail page shows and which forms it offers. */
    public record DetailPage(Views.PostmortemDetail detail, Views.PostmortemSnapshot pm, String zone,
                             long meetingMinutes, Views.DocumentView document, DocForm doc, List<ItemRow> items,
                             List<Option> owners, boolean canDecide, boolean canSkip, boolean canReschedule,
                             boolean canMarkHeld, boolean canPublish, boolean canEdit, String done, String error,
                             String heldNote, Refused refused) {
    }

    /**
     * A refused form: which one ({@code decision}, {@code meeting}, {@code participant}, {@code item},
     * {@code item:<id>}, {@code document}), what was typed into it, and its problems by field, shown beside the
     * fields (the first one refused gets the focus, so the browser scrolls to it); the page's {@code error} holds
     * the rest.
     */
    public record Refused(String form, Map<String, String> typed, Map<String, String> errors) {
        static final Refused NONE = new Refused("", Map.of(), Map.of());

        /** What was typed into {@code field} of {@code form}, if that form was the one refused. */
        public String value(String form, String field) {
            return this.form.equals(form) ? typed.get(field) : null;
        }

        /** The problem with {@code field} of {@code form}, if any. */
        public String error(String form, String field) {
            return this.form.equals(form) ? errors.get(field) : null;
        }

        /** {@link #value} of an action item's row form. */
        public String itemValue(UUID item, String field) {
            return value("item:" + item, field);
        }

        /** {@link #error} of an action item's row form. */
        public String itemError(UUID item, String field) {
            return error("item:" + item, field);
        }

        /** Whether {@code option} of an item row's select is chosen: as typed when that row was refused, else as stored. */
        public boolean itemChosen(UUID item, String field, String option, boolean stored) {
            String typed = itemValue(item, field);
            return typed != null ? typed.equals(option) : stored;
        }
    }

    /** A form as sent: its name, its fields in the order the page shows them, and what was typed. */
    private record Sent(String form, Map<String, String> typed) {
        static Sent of(String form, String... fieldsAndValues) {
            Map<String, String> typed = new LinkedHashMap<>();
            for (int i = 0; i + 1 < fieldsAndValues.length; i += 2) {
                typed.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
            }
            return new Sent(form, typed);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, List<ListRow> rows, List<Option> states, String error);

        static native TemplateInstance detail(PageContext ctx, DetailPage page);
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final PostmortemService postmortems;
    private final MeetingService meetings;
    private final DocumentService documents;
    private final ActionItemService actionItems;

    public PostmortemPageResource(Pages pages, SecurityIdentity identity, PostmortemService postmortems,
                                  MeetingService meetings, DocumentService documents, ActionItemService actionItems) {
        this.pages = pages;
        this.identity = identity;
        this.postmortems = postmortems;
        this.meetings = meetings;
        this.documents = documents;
        this.actionItems = actionItems;
    }

    // ------------------------------------------------------------------ pages

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response list(@QueryParam("state") String state, @Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        PostmortemState filter = null;
        String error = null;
        int status = 200;
        if (state != null && !state.isBlank()) {
            try {
                filter = WireEnum.parse(PostmortemState.class, state.strip());
            } catch (IllegalArgumentException e) {
                error = ctx.t("postmortems.badState");
                status = 400;
            }
        }
        List<Views.PostmortemSnapshot> found = postmortems.list(filter, null, 200, caller());
        Map<UUID, Long> open = actionItems.openCounts(found.stream().map(Views.PostmortemSnapshot::id).toList());
        List<ListRow> rows = found.stream().map(p -> new ListRow(p, open.getOrDefault(p.id(), 0L))).toList();
        String selected = filter == null ? "" : filter.wire();
        List<Option> states = new ArrayList<>();
        states.add(new Option("", "postmortems.allStates", selected.isEmpty()));
        for (PostmortemState s : PostmortemState.values()) {
            states.add(new Option(s.wire(), "state." + s.wire(), s.wire().equals(selected)));
        }
        return Response.status(status).type(HTML).entity(Templates.list(ctx, rows, states, error)).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response detail(@PathParam("id") String id, @QueryParam("done") String done, @Context HttpHeaders headers,
                           RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        try {
            return render(ctx, uuid(id), null, done != null && DONE.contains(done) ? "done." + done : null, null, 200);
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
    }

    /**
     * The document as Markdown for people signed in to the pages (the link in Slack's "published" message):
     * the same text and the same access as {@code GET /api/postmortems/{id}/document.md}.
     */
    @GET
    @Path("/{id}/document.md")
    @RolesAllowed(Roles.VIEWER)
    @Produces({"text/markdown", MediaType.TEXT_HTML})
    @Operation(hidden = true)
    public Response markdown(@PathParam("id") String id, @QueryParam("lang") String lang, @Context HttpHeaders headers,
                             RoutingContext routing) {
        try {
            return Response.ok(documents.markdown(uuid(id), lang == null || lang.isBlank() ? null : lang.strip(), caller()))
                    .type("text/markdown; charset=UTF-8").build();
        } catch (ProblemException e) {
            return notFound(context(headers, routing), e);
        }
    }

    // ------------------------------------------------------------------ forms

    @POST
    @Path("/{id}/decision")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response decide(@PathParam("id") String id, @RestForm String decision, @RestForm String reason,
                           @RestForm String start, @RestForm String durationMinutes, @Context HttpHeaders headers,
                           RoutingContext routing) {
        Sent sent = Sent.of("decision", "decision", decision, "reason", reason, "start", start,
                "durationMinutes", durationMinutes);
        return act(id, headers, routing, "decided", null, sent, pm -> {
            Decision parsed;
            try {
                parsed = WireEnum.parse(Decision.class, decision == null ? "" : decision.strip());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("decision", "choose hold or skip");
            }
            ZoneId zone = ZoneId.of(pm.timeZone());
            postmortems.decide(pm.id(), new DecisionRequest(parsed, reason == null || reason.isBlank() ? null : reason,
                    parsed == Decision.HOLD ? at("start", start, zone) : null,
                    parsed == Decision.HOLD ? FormValues.integer("durationMinutes", durationMinutes) : null), caller());
        });
    }

    @POST
    @Path("/{id}/meeting")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response reschedule(@PathParam("id") String id, @RestForm String start, @RestForm String durationMinutes,
                               @Context HttpHeaders headers, RoutingContext routing) {
        Sent sent = Sent.of("meeting", "start", start, "durationMinutes", durationMinutes);
        return act(id, headers, routing, "rescheduled", null, sent, pm -> {
            ZoneId zone = ZoneId.of(pm.meeting() == null ? pm.timeZone() : pm.meeting().timeZone());
            var at = at("start", start, zone);
            if (at == null) {
                throw ProblemException.invalid("start", "is required");
            }
            meetings.reschedule(pm.id(), at.toInstant(), FormValues.integer("durationMinutes", durationMinutes), caller());
        });
    }

    @POST
    @Path("/{id}/participants")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response addParticipant(@PathParam("id") String id, @RestForm String email, @RestForm String name,
                                   @Context HttpHeaders headers, RoutingContext routing) {
        Sent sent = Sent.of("participant", "email", email, "name", name);
        return act(id, headers, routing, "participantAdded", null, sent, pm -> {
            if (email == null || email.isBlank()) {
                throw ProblemException.invalid("email", "is required");
            }
            if (!email.strip().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") || email.length() > 320) {
                throw ProblemException.invalid("email", "is not an email address");
            }
            if (name != null && name.length() > 200) {
                throw ProblemException.invalid("name", "must be at most 200 characters");
            }
            meetings.addParticipant(pm.id(), new ParticipantRequest(email.strip(),
                    name == null || name.isBlank() ? null : name.strip(), null), caller());
        });
    }

    @POST
    @Path("/{id}/participants/{participantId}/remove")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response removeParticipant(@PathParam("id") String id, @PathParam("participantId") String participantId,
                                      @Context HttpHeaders headers, RoutingContext routing) {
        return act(id, headers, routing, "participantRemoved", null, null,
                pm -> meetings.removeParticipant(pm.id(), required("participantId", participantId), caller()));
    }

    @POST
    @Path("/{id}/held")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response held(@PathParam("id") String id, @Context HttpHeaders headers, RoutingContext routing) {
        return act(id, headers, routing, "held", null, null, pm -> postmortems.markHeld(pm.id(), caller()));
    }

    @POST
    @Path("/{id}/publish")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response publish(@PathParam("id") String id, @Context HttpHeaders headers, RoutingContext routing) {
        return act(id, headers, routing, "published", null, null, pm -> postmortems.publish(pm.id(), caller()));
    }

    /** Saves the document; a stale {@code version} is a 409 and the page keeps the user's text to re-apply. */
    @POST
    @Path("/{id}/document")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response saveDocument(@PathParam("id") String id, @RestForm String version, @RestForm String language,
                                 @RestForm String summary, @RestForm String impact,
                                 @RestForm String contributingFactors, @RestForm String wentWell,
                                 @RestForm String wentPoorly, @RestForm String gotLucky,
                                 @Context HttpHeaders headers, RoutingContext routing) {
        DocForm sent = new DocForm(-1, language, summary, impact, contributingFactors, wentWell, wentPoorly, gotLucky);
        Sent typed = Sent.of("document", "language", language, "summary", summary, "impact", impact,
                "contributingFactors", contributingFactors, "wentWell", wentWell, "wentPoorly", wentPoorly,
                "gotLucky", gotLucky);
        return act(id, headers, routing, "documentSaved", sent, typed, pm -> {
            for (String[] field : new String[][] {{"summary", summary}, {"impact", impact},
                    {"contributingFactors", contributingFactors}, {"wentWell", wentWell}, {"wentPoorly", wentPoorly},
                    {"gotLucky", gotLucky}}) {
                if (field[1] != null && field[1].length() > 20000) {
                    throw ProblemException.invalid(field[0], "must be at most 20000 characters");
                }
            }
            if (language != null && !language.isBlank() && !Set.of("ja", "en").contains(language)) {
                throw ProblemException.invalid("language", "must be ja or en");
            }
            documents.patch(pm.id(), new DocumentPatch(version(version),
                    language == null || language.isBlank() ? null : language, summary, impact, contributingFactors,
                    wentWell, wentPoorly, gotLucky), caller());
        });
    }

    @POST
    @Path("/{id}/action-items")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response addItem(@PathParam("id") String id, @RestForm String title, @RestForm String owner,
                            @RestForm String dueDate, @RestForm String description, @Context HttpHeaders headers,
                            RoutingContext routing) {
        Sent sent = Sent.of("item", "title", title, "owner", owner, "dueDate", dueDate, "description", description);
        return act(id, headers, routing, "itemAdded", null, sent, pm -> {
            if (title == null || title.isBlank()) {
                throw ProblemException.invalid("title", "is required");
            }
            if (title.length() > 300 || description != null && description.length() > 10000) {
                throw ProblemException.invalid("title", "is too long");
            }
            UUID ownerId = required("owner", owner);
            var due = FormValues.date("dueDate", dueDate);
            if (due == null) {
                throw ProblemException.invalid("dueDate", "is required");
            }
            actionItems.create(pm.id(), new ActionItemRequest(title, description == null || description.isBlank() ? null
                    : description, ownerId, null, due, null), caller());
        });
    }

    @POST
    @Path("/{id}/action-items/{itemId}")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response saveItem(@PathParam("id") String id, @PathParam("itemId") String itemId, @RestForm String version,
                             @RestForm String status, @RestForm String owner, @RestForm String dueDate,
                             @Context HttpHeaders headers, RoutingContext routing) {
        Sent sent = Sent.of("item:" + itemId, "owner", owner, "dueDate", dueDate, "status", status);
        return act(id, headers, routing, "itemSaved", null, sent, pm -> {
            ActionItemStatus parsed = null;
            if (status != null && !status.isBlank()) {
                try {
                    parsed = WireEnum.parse(ActionItemStatus.class, status.strip());
                } catch (IllegalArgumentException e) {
                    throw ProblemException.invalid("status", "must be open, in_progress, done or wont_do");
                }
            }
            updateItem(pm, itemId, new ActionItemPatch(version(version), null, null,
                    FormValues.uuid("owner", owner), null, FormValues.date("dueDate", dueDate), parsed));
        });
    }

    @POST
    @Path("/{id}/action-items/{itemId}/close")
    @RolesAllowed(Roles.RESPONDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response closeItem(@PathParam("id") String id, @PathParam("itemId") String itemId, @RestForm String version,
                              @Context HttpHeaders headers, RoutingContext routing) {
        return act(id, headers, routing, "itemClosed", null, null, pm -> updateItem(pm, itemId,
                new ActionItemPatch(version(version), null, null, null, null, null, ActionItemStatus.DONE)));
    }

    // ------------------------------------------------------------------ plumbing of the forms

    private interface Action {
        void run(Views.PostmortemSnapshot postmortem);
    }

    /**
     * Runs one form's action: 303 back to the page with a flash message, or the page again with the
     * problem's status (400 bad input, 403, 409 a rule or a stale version), nothing saved, the form as typed and
     * each problem beside its field ({@code typed}; null for a form of buttons only).
     */
    private Response act(String id, HttpHeaders headers, RoutingContext routing, String done, DocForm sent,
                         Sent typed, Action action) {
        PageContext ctx = context(headers, routing);
        UUID postmortemId;
        Views.PostmortemSnapshot pm;
        try {
            postmortemId = uuid(id);
            pm = postmortems.get(postmortemId, caller()).postmortem();
        } catch (ProblemException e) {
            return notFound(ctx, e);
        }
        try {
            action.run(pm);
            return Response.seeOther(URI.create("/ui/postmortems/" + postmortemId + "?done=" + done)).build();
        } catch (ProblemException e) {
            String zone = pm.meeting() == null ? pm.timeZone() : pm.meeting().timeZone();
            Map<String, String> byField = typed == null ? Map.of() : PageProblems.byField(ctx, e, typed.typed().keySet());
            Refused refused = typed == null ? Refused.NONE : new Refused(typed.form(), typed.typed(), byField);
            String rest = PageProblems.message(ctx, e, zone, byField.keySet());
            return render(ctx, postmortemId, sent, null, rest, e.status(), refused);
        }
    }

    private void updateItem(Views.PostmortemSnapshot pm, String itemId, ActionItemPatch patch) {
        UUID parsed = required("itemId", itemId);
        Views.ActionItemView item = actionItems.get(parsed, caller());
        if (!item.postmortemId().equals(pm.id())) {
            throw ProblemException.notFound("Action item", itemId);
        }
        actionItems.update(parsed, patch, caller());
    }

    private Response render(PageContext ctx, UUID id, DocForm sent, String done, String error, int status) {
        return render(ctx, id, sent, done, error, status, Refused.NONE);
    }

    private Response render(PageContext ctx, UUID id, DocForm sent, String done, String error, int status,
                            Refused refused) {
        Requester caller = caller();
        Views.PostmortemDetail detail = postmortems.get(id, caller);
        Views.PostmortemSnapshot pm = detail.postmortem();
        Views.DocumentView document = documents.get(id, caller);
        // after a failed save the editor keeps what the user wrote, against the version they started from
        // unless the failure was a stale version: then the current version, so saving again applies it
        DocForm doc = DocForm.of(document);
        if (sent != null) {
            doc = new DocForm(document.version(), sent.language() == null ? document.language() : sent.language(),
                    sent.summary(), sent.impact(), sent.contributingFactors(), sent.wentWell(), sent.wentPoorly(),
                    sent.gotLucky());
        }
        Map<String, String> people = new LinkedHashMap<>();
        detail.participants().stream().filter(p -> !p.removed() && p.personId() != null)
                .forEach(p -> people.putIfAbsent(p.personId().toString(), p.name()));
        List<Views.ActionItemView> items = actionItems.list(id, caller);
        items.stream().filter(i -> i.owner() != null).forEach(i -> people.putIfAbsent(i.owner().id().toString(),
                i.owner().name()));
        List<ItemRow> rows = items.stream().map(i -> new ItemRow(i, options(people, i.owner() == null ? null
                        : i.owner().id().toString()),
                Arrays.stream(ActionItemStatus.values()).map(s -> new Option(s.wire(), "item.status." + s.wire(),
                        s == i.status())).toList(),
                i.status() == ActionItemStatus.OPEN || i.status() == ActionItemStatus.IN_PROGRESS)).toList();
        boolean organise = ctx.responder() && detail.permissions().organise();
        boolean edit = ctx.responder() && detail.permissions().edit() && pm.state() != PostmortemState.PUBLISHED;
        PostmortemState state = pm.state();
        long minutes = pm.meeting() == null ? 60 : Duration.between(pm.meeting().start(), pm.meeting().end()).toMinutes();
        // a meeting is held once it has started (the service refuses earlier): until then the page says when
        boolean started = pm.meeting() == null || !Instant.now().isBefore(pm.meeting().start());
        String zone = pm.meeting() == null ? pm.timeZone() : pm.meeting().timeZone();
        String heldNote = organise && state == PostmortemState.SCHEDULED && !started
                ? ctx.t("meeting.heldFrom").replace("{0}", PageTimes.at(pm.meeting().start(), zone) + " (" + zone + ")") : null;
        DetailPage page = new DetailPage(detail, pm, pm.meeting() == null ? pm.timeZone() : pm.meeting().timeZone(),
                minutes, document, doc, rows, options(people, null),
                organise && (state == PostmortemState.PENDING_DECISION || state == PostmortemState.SKIPPED),
                organise && (state == PostmortemState.PENDING_DECISION || state == PostmortemState.SCHEDULED)
                        && (!pm.required() || detail.permissions().skipRequired()),
                organise && state == PostmortemState.SCHEDULED,
                organise && state == PostmortemState.SCHEDULED && started,
                organise && state == PostmortemState.HELD,
                edit, done, error, heldNote, refused);
        String title = "#" + (pm.incidentNumber() == null ? "" : pm.incidentNumber()) + " "
                + (pm.title() == null ? "" : pm.title());
        return Response.status(status).type(HTML).entity(Templates.detail(ctx.with("postmortems", title), page)).build();
    }

    private static List<Option> options(Map<String, String> people, String selected) {
        return people.entrySet().stream().map(e -> new Option(e.getKey(), e.getValue(), e.getKey().equals(selected)))
                .toList();
    }

    /**
     * The list page with why the postmortem is not shown, in the page language: not published yet (403: it
     * exists, a viewer reads it once published) or no such postmortem (404).
     */
    private Response notFound(PageContext ctx, ProblemException e) {
        List<Option> states = List.of(new Option("", "postmortems.allStates", true));
        int status = e instanceof NotPublishedException ? 403 : e.status();
        return Response.status(status).type(HTML)
                .entity(Templates.list(ctx, List.of(), states, PageProblems.message(ctx, e, "UTC"))).build();
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Postmortem", id);
        }
    }

    private static UUID required(String field, String value) {
        UUID id = FormValues.uuid(field, value);
        if (id == null) {
            throw ProblemException.invalid(field, "is required");
        }
        return id;
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing) {
        return pages.context(identity, headers, routing, "postmortems", "postmortems.title");
    }

    private Requester caller() {
        return Requester.of(identity);
    }

    /** An optional datetime-local field, read in the page's zone. */
    private static OffsetDateTime at(String field, String value, ZoneId zone) {
        LocalDateTime local = FormValues.dateTime(field, value);
        return local == null ? null : local.atZone(zone).toOffsetDateTime();
    }

    /** The version a form was rendered with (optimistic locking). */
    private static Long version(String value) {
        try {
            return Long.valueOf(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("version", "is missing; reload the page");
        }
    }
}
