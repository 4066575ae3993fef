package dev.toban.oncall.web;

import dev.toban.contracts.PersonRef;
import dev.toban.oncall.client.HandoffNoticeApi;
import dev.toban.oncall.client.HandoffNotices;
import dev.toban.oncall.client.MaintenanceWindows;
import dev.toban.oncall.client.MaintenanceWindowsApi;
import dev.toban.oncall.reachability.ReachabilityService;
import dev.toban.oncall.schedule.OnCallService.OnCallEntry;
import dev.toban.oncall.schedule.OnCallService.OnCallPerson;
import dev.toban.oncall.schedule.OnCallService;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The on-call board: who is on call now per team and role, how to reach them, the next handoff, and what
 * the on-call is asked to do (the handoff notice as notify-service renders it).
 */
@Path("/ui/oncall")
public class OnCallPageResource {

    /** One schedule on the board; times are shown in {@code zone}, the schedule's. */
    /** {@code unreachable}: those on call now whom a high-urgency page cannot wake (no verified sms, voice or push). */
    public record BoardRow(UUID scheduleId, UUID teamId, String team, String role, String schedule, String zone,
                           List<OnCallPerson> onCall, Instant nextHandoff, List<PersonRef> next,
                           java.util.Set<UUID> unreachable) {
    }

    /** Maintenance windows on the board; {@code known} is false when incident-service could not say. */
    public record Windows(boolean known, List<WindowLine> list) {
    }

    /** One window: its services by name and its times in its own time zone. */
    public record WindowLine(String reason, String services, boolean active, String until, String next,
                             String timeZone, boolean weekly) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance board(PageContext ctx, List<BoardRow> rows, HandoffNoticeApi.Rendered notice,
                                             Windows windows);

        /** The live part only, for toban.js. */
        static native TemplateInstance board$now(PageContext ctx, List<BoardRow> rows);
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final OnCallService onCall;
    private final HandoffNotices notices;
    private final ReachabilityService reachability;
    private final MaintenanceWindows maintenance;

    public OnCallPageResource(Pages pages, SecurityIdentity identity, OnCallService onCall, HandoffNotices notices,
                              ReachabilityService reachability, MaintenanceWindows maintenance) {
        this.reachability = reachability;
        this.maintenance = maintenance;
        this.pages = pages;
        this.identity = identity;
        this.onCall = onCall;
        this.notices = notices;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance board(@Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        // what the on-call is asked to do, as notify-service renders it now (cached; null when it cannot say)
        return Templates.board(ctx, rows(), notices.get(ctx.lang()).orElse(null), windows());
    }

    @GET
    @Path("/live")
    @RolesAllowed(Roles.VIEWER)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance live(@Context HttpHeaders headers, RoutingContext routing) {
        return Templates.board$now(context(headers, routing), rows());
    }

    private Windows windows() {
        java.time.format.DateTimeFormatter local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        return maintenance.currentAndUpcoming().map(list -> new Windows(true, list.stream().map(w -> {
            java.time.ZoneId zone = java.time.ZoneId.of(w.timeZone());
            String names = w.services() == null ? "" : w.services().stream().map(MaintenanceWindowsApi.Service::name)
                    .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining(", "));
            return new WindowLine(w.reason(), names, w.active(),
                    w.activeUntil() == null ? null : local.format(w.activeUntil().atZone(zone)),
                    w.nextStart() == null ? null : local.format(w.nextStart().atZone(zone)), w.timeZone(),
                    "weekly".equals(w.recurrence()));
        }).toList())).orElse(new Windows(false, List.of()));
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing) {
        return pages.context(identity, headers, routing, "oncall", "oncall.title");
    }

    /** The same answer as {@code GET /api/oncall/now}, plus who takes over at each next handoff. */
    private List<BoardRow> rows() {
        Instant now = onCall.now();
        return onCall.onCall(now, null, null).stream()
                .map(e -> new BoardRow(e.schedule().id(), e.team() == null ? null : e.team().id(),
                        e.team() == null ? "" : e.team().name(), e.schedule().role(),
                        e.schedule().name(), e.schedule().timeZone(), e.onCall(), e.nextHandoff(), nextPeople(e),
                        e.onCall().stream().filter(p -> p.person() != null).map(p -> p.person().id())
                                .filter(id -> !reachability.reachable(id))
                                .collect(java.util.stream.Collectors.toSet())))
                .sorted(Comparator.comparing(BoardRow::team).thenComparing(BoardRow::role))
                .toList();
    }

    private List<PersonRef> nextPeople(OnCallEntry entry) {
        if (entry.nextHandoff() == null) {
            return List.of();
        }
        return onCall.onCall(entry.nextHandoff(), entry.team() == null ? null : entry.team().id(), entry.schedule().role())
                .stream().filter(e -> e.schedule().id().equals(entry.schedule().id()))
                .flatMap(e -> e.onCall().stream().map(OnCallPerson::person)).toList();
    }
}
