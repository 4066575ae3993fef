package dev.toban.incident.web;

import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.downtime.DowntimeService.Figure;
import dev.toban.incident.downtime.DowntimeService;
import dev.toban.plumbing.security.Roles;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The seed's downtime breakdown per owning team and month: time to detect (first signal to incident), to assign
 * (incident to the IC's acknowledgement) and to mitigate (acknowledgement to mitigation),
 * from {@link DowntimeService} (the same figures as {@code GET /api/metrics/downtime}), as SVG charts
 * drawn on the server and the same numbers in a table.
 */
@Path("/ui/downtime")
@Produces(MediaType.TEXT_HTML)
public class DowntimePageResource {

    static final List<String> FIGURES = List.of("timeToDetect", "timeToAssign", "timeToMitigate");
    static final List<Integer> MONTH_CHOICES = List.of(3, 6, 12);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance downtime(PageContext ctx, Times times, int months, boolean p90,
                                                List<Integer> monthChoices, List<DowntimeCharts.Chart> charts,
                                                List<Row> rows, List<String> figures, String error);
    }

    /** One table row: a team in a month, with the three figures and the link to those incidents. */
    public record Row(String month, String team, List<Figure> figures, String link) {
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final DowntimeService downtime;
    private final TeamDirectoryService teams;
    private final ReaderTimes readerTimes;

    public DowntimePageResource(Pages pages, SecurityIdentity identity, DowntimeService downtime,
                                TeamDirectoryService teams, ReaderTimes readerTimes) {
        this.pages = pages;
        this.identity = identity;
        this.downtime = downtime;
        this.teams = teams;
        this.readerTimes = readerTimes;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response page(@Context HttpHeaders headers, RoutingContext routing,
                         @QueryParam("months") @DefaultValue("6") String monthsParam,
                         @QueryParam("stat") @DefaultValue("p50") String stat) {
        PageContext ctx = pages.context(identity, headers, routing, "downtime", "downtime.title");
        Times times = readerTimes.of(ctx);
        int months;
        try {
            months = Integer.parseInt(monthsParam.strip());
        } catch (NumberFormatException e) {
            months = -1;
        }
        if (!MONTH_CHOICES.contains(months) || !("p50".equals(stat) || "p90".equals(stat))) {
            return Response.status(400).entity(Templates.downtime(ctx, times, 6, false, MONTH_CHOICES, List.of(),
                    List.of(), FIGURES, ctx.t("downtime.error.params"))).build();
        }
        boolean p90 = "p90".equals(stat);
        List<TeamDirectoryService.TeamView> teamList = teams.list();
        List<String> teamNames = teamList.stream().map(TeamDirectoryService.TeamView::name).toList();
        YearMonth current = YearMonth.now(times.zone());
        DateTimeFormatter label = DateTimeFormatter.ofPattern(ctx.ja() ? "yyyy年M月" : "MMM yyyy", Locale.ENGLISH);
        // per figure: the months with each team's cell, oldest month first
        List<List<DowntimeCharts.Month>> byFigure = new ArrayList<>();
        FIGURES.forEach(f -> byFigure.add(new ArrayList<>()));
        List<Row> rows = new ArrayList<>();
        for (int back = months - 1; back >= 0; back--) {
            YearMonth month = current.minusMonths(back);
            ZonedDateTime start = month.atDay(1).atStartOfDay(times.zone());
            String monthLabel = label.format(month);
            String monthKey = month.toString();
            List<List<DowntimeCharts.Cell>> cells = new ArrayList<>();
            FIGURES.forEach(f -> cells.add(new ArrayList<>()));
            for (TeamDirectoryService.TeamView team : teamList) {
                DowntimeService.DowntimeReport report = downtime.report(start.toInstant(),
                        start.plusMonths(1).toInstant(), team.id(), null);
                List<Figure> figures = FIGURES.stream().map(report.figures()::get).toList();
                // drill down: the incidents of this team opened in this month (in the reader's zone, as here)
                String link = "/ui/incidents?state=all&team=" + team.id() + "&month=" + monthKey;
                for (int i = 0; i < FIGURES.size(); i++) {
                    cells.get(i).add(new DowntimeCharts.Cell(team.name(), figures.get(i), link));
                }
                rows.add(new Row(monthLabel, team.name(), figures, link));
            }
            for (int i = 0; i < FIGURES.size(); i++) {
                byFigure.get(i).add(new DowntimeCharts.Month(monthLabel, cells.get(i)));
            }
        }
        List<DowntimeCharts.Chart> charts = new ArrayList<>();
        for (int i = 0; i < FIGURES.size(); i++) {
            charts.add(DowntimeCharts.chart(FIGURES.get(i), byFigure.get(i), teamNames, p90));
        }
        return Response.ok(Templates.downtime(ctx, times, months, p90, MONTH_CHOICES, charts, rows, FIGURES, null)).build();
    }
}
