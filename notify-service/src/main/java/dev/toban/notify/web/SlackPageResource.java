package dev.toban.notify.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toban.notify.model.SandboxChannel;
import dev.toban.notify.model.SandboxMessage;
import dev.toban.notify.model.SandboxRepository;
import dev.toban.notify.model.SandboxUser;
import dev.toban.notify.model.SandboxView;
import dev.toban.notify.sandbox.SandboxInteractions;
import dev.toban.notify.sandbox.SandboxPeople;
import dev.toban.notify.sandbox.SandboxWorkspace;
import dev.toban.notify.sandbox.SlackSandbox;
import dev.toban.plumbing.web.FormValues;
import dev.toban.plumbing.web.PageContext;
import dev.toban.plumbing.web.Pages;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The Slack sandbox's workspace as a page ({@code /ui/slack}, every signed-in user): channels and DMs in a
 * sidebar, messages with their threads drawn as Slack draws Block Kit, buttons that make the sandbox send
 * Toban the signed request Slack would, a message box for slash commands, and the modal the app opened as
 * a dialog. The signed-in user acts as their person's Slack user ({@link SandboxPeople}); what the app
 * answers only to them (ephemeral messages) shows only on their page. Only while the sandbox is on.
 */
@Path("/ui/slack")
@Produces(MediaType.TEXT_HTML)
@Authenticated
public class SlackPageResource {

    static final int MESSAGES = 100;
    private static final Pattern TS = Pattern.compile("\\d{1,12}\\.\\d{1,9}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance workspace(PageContext ctx, Me me, List<ChannelLink> channels,
                                                 List<ChannelLink> dms, Conversation conversation, Dialog dialog,
                                                 String notice, String error);

        static native TemplateInstance conversation(PageContext ctx, Conversation conversation);
    }

    /** The signed-in user as the sandbox knows them; {@code id} null when nobody can say who they are. */
    @TemplateData
    public record Me(String id, String name) {
    }

    @TemplateData
    public record ChannelLink(String id, String label, boolean active) {
    }

    /** One message with its replies (for a message in the channel). */
    @TemplateData
    public record Msg(String ts, String author, boolean bot, boolean slackbot, boolean ephemeral, String time,
                      boolean edited, RawString text, List<BlockKitHtml.Block> blocks, List<Msg> replies, boolean open) {
        public String anchor() {
            return "m-" + ts;
        }
    }

    @TemplateData
    public record Conversation(String channelId, String title, boolean dm, List<Msg> messages, String zone,
                               String thread, boolean canAct) {
        public String refreshUrl() {
            return "/ui/slack/channels/" + channelId + "/messages" + (thread == null ? "" : "?thread=" + thread);
        }
    }

    /** The modal on top, as a dialog over the page. */
    @TemplateData
    public record Dialog(String viewId, String channelId, String title, String submit, String close,
                         List<BlockKitHtml.Block> blocks, String error) {
    }

    private final Pages pages;
    private final SecurityIdentity identity;
    private final SandboxRepository repo;
    private final SandboxPeople people;
    private final SandboxInteractions interactions;
    private final SandboxWorkspace workspace;

    public SlackPageResource(Pages pages, SecurityIdentity identity, SandboxRepository repo, SandboxPeople people,
                             SandboxInteractions interactions, SandboxWorkspace workspace) {
        this.pages = pages;
        this.identity = identity;
        this.repo = repo;
        this.people = people;
        this.interactions = interactions;
        this.workspace = workspace;
    }

    @GET
    @Operation(hidden = true)
    public Response home(@Context HttpHeaders headers, RoutingContext routing) {
        PageContext ctx = context(headers, routing);
        Optional<SandboxUser> me = me(ctx);
        List<SandboxChannel> visible = visible(ctx, me);
        Optional<SandboxChannel> first = visible.stream().filter(c -> !c.isDm()).findFirst()
                .or(() -> visible.stream().findFirst());
        if (first.isPresent()) {
            return Response.seeOther(URI.create("/ui/slack/channels/" + first.get().id)).build();
        }
        return Response.ok(page(ctx, me, visible, people.names(), null, null, null,
                me.isEmpty() ? ctx.t("slack.error.whoAreYou") : null)).build();
    }

    @GET
    @Path("/channels/{id}")
    @Operation(hidden = true)
    public Response channel(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                            @QueryParam("thread") String thread, @QueryParam("problem") String problem) {
        PageContext ctx = context(headers, routing);
        Optional<SandboxUser> me = me(ctx);
        List<SandboxChannel> visible = visible(ctx, me);
        SandboxChannel channel = visible.stream().filter(c -> c.id.equals(id)).findFirst().orElse(null);
        Map<String, String> names = people.names();
        if (channel == null) {
            return Response.status(404).entity(page(ctx, me, visible, names, null, null, null,
                    ctx.t("slack.error.noChannel"))).build();
        }
        String notice = null;
        String error = problem == null || !problem.matches("slack\\.error\\.[A-Za-z]{1,30}") ? null : ctx.t(problem);
        if (me.isEmpty()) {
            error = ctx.t("slack.error.whoAreYou");
        }
        Conversation conversation = conversation(ctx, me, channel, validTs(thread), names, visible);
        return Response.ok(page(ctx, me, visible, names, conversation, dialog(ctx, me, names, visible), notice, error)).build();
    }

    /** The messages alone, for the page's live refresh. */
    @GET
    @Path("/channels/{id}/messages")
    @Operation(hidden = true)
    public Response messages(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                             @QueryParam("thread") String thread) {
        PageContext ctx = context(headers, routing);
        Optional<SandboxUser> me = me(ctx);
        List<SandboxChannel> visible = visible(ctx, me);
        SandboxChannel channel = visible.stream().filter(c -> c.id.equals(id)).findFirst().orElse(null);
        if (channel == null) {
            return Response.status(404).build();
        }
        return Response.ok(Templates.conversation(ctx, conversation(ctx, me, channel, validTs(thread), people.names(),
                visible))).build();
    }

    /** A click on a button of a message. */
    @POST
    @Path("/channels/{id}/actions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response press(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                          MultivaluedMap<String, String> form) {
        PageContext ctx = context(headers, routing);
        Optional<SandboxUser> me = me(ctx);
        if (me.isEmpty() || !canSee(ctx, me, id)) {
            return back(id, null, null, "slack.error.whoAreYou");
        }
        String ts = validTs(form.getFirst("ts"));
        String block = form.getFirst("block");
        String action = form.getFirst("action");
        if (ts == null || block == null || action == null) {
            return back(id, null, null, "slack.error.noButton");
        }
        SandboxInteractions.Outcome outcome = interactions.press(me.get(), id, ts, block, action);
        return back(id, outcome.threadTs(), ts, outcome.problem());
    }

    /** What the user types: a slash command or a message. */
    @POST
    @Path("/channels/{id}/messages")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response type(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String id,
                         MultivaluedMap<String, String> form) {
        PageContext ctx = context(headers, routing);
        Optional<SandboxUser> me = me(ctx);
        if (me.isEmpty() || !canSee(ctx, me, id)) {
            return back(id, null, null, "slack.error.whoAreYou");
        }
        String thread = validTs(form.getFirst("thread"));
        String text;
        try {
            text = FormValues.text("text", form.getFirst("text"), 4000);
        } catch (RuntimeException e) {
            return back(id, thread, null, "slack.error.tooLong");
        }
        if (text == null || text.isBlank()) {
            return back(id, thread, null, "slack.error.empty");
        }
        SandboxInteractions.Outcome outcome = interactions.type(me.get(), id, thread, text);
        return back(id, thread, null, outcome.problem());
    }

    /** The modal's submit button. */
    @POST
    @Path("/views/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response submit(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String viewId,
                           MultivaluedMap<String, String> form) {
        PageContext ctx = context(headers, routing);
        Optional<SandboxUser> me = me(ctx);
        String channel = channelOf(form.getFirst("channel"));
        if (me.isEmpty()) {
            return back(channel, null, null, "slack.error.whoAreYou");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.startsWith("v:") && !v.isEmpty()) {
                fields.put(k.substring(2), v.get(0));
            }
        });
        SandboxInteractions.Outcome outcome = interactions.submit(me.get(), viewId, fields);
        return back(channel, null, null, outcome.problem());
    }

    /** The modal's close button. */
    @POST
    @Path("/views/{id}/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response close(@Context HttpHeaders headers, RoutingContext routing, @PathParam("id") String viewId,
                          MultivaluedMap<String, String> form) {
        PageContext ctx = context(headers, routing);
        Optional<SandboxUser> me = me(ctx);
        me.ifPresent(user -> interactions.close(user, viewId));
        return back(channelOf(form.getFirst("channel")), null, null, null);
    }

    // ------------------------------------------------------------------ building the page

    private TemplateInstance page(PageContext ctx, Optional<SandboxUser> me, List<SandboxChannel> visible,
                                  Map<String, String> names, Conversation conversation, Dialog dialog, String notice,
                                  String error) {
        List<ChannelLink> channels = new ArrayList<>();
        List<ChannelLink> dms = new ArrayList<>();
        String active = conversation == null ? null : conversation.channelId();
        for (SandboxChannel c : visible) {
            if (c.isDm()) {
                boolean mine = me.isPresent() && c.dmUserId.equals(me.get().id);
                dms.add(new ChannelLink(c.id, names.getOrDefault(c.dmUserId, c.dmUserId)
                        + (mine ? " " + ctx.t("slack.you") : ""), c.id.equals(active)));
            } else {
                channels.add(new ChannelLink(c.id, "#" + c.name, c.id.equals(active)));
            }
        }
        Me who = me.map(u -> new Me(u.id, u.name == null ? u.username : u.name)).orElse(new Me(null, ctx.displayName()));
        return Templates.workspace(ctx, who, channels, dms, conversation, dialog, notice, error);
    }

    private Conversation conversation(PageContext ctx, Optional<SandboxUser> me, SandboxChannel channel, String thread,
                                      Map<String, String> names, List<SandboxChannel> visible) {
        String viewer = me.map(u -> u.id).orElse(null);
        String zone = ctx.ja() ? "Asia/Tokyo" : "UTC";
        Map<String, String> channelNames = new HashMap<>();
        visible.stream().filter(c -> !c.isDm()).forEach(c -> channelNames.put(c.id, c.name));
        List<Msg> messages = QuarkusTransaction.requiringNew().call(() -> {
            List<SandboxMessage> top = repo.channelMessages(channel.id, viewer, MESSAGES);
            Map<String, List<SandboxMessage>> replies = new HashMap<>();
            repo.replies(channel.id, top.stream().map(m -> m.ts).toList(), viewer)
                    .forEach(r -> replies.computeIfAbsent(r.threadTs, k -> new ArrayList<>()).add(r));
            List<Msg> out = new ArrayList<>();
            for (SandboxMessage m : top) {
                List<Msg> threadReplies = replies.getOrDefault(m.ts, List.of()).stream()
                        .map(r -> msg(r, List.of(), false, names, channelNames, zone)).toList();
                out.add(msg(m, threadReplies, m.ts.equals(thread), names, channelNames, zone));
            }
            return out;
        });
        String title = channel.isDm() ? names.getOrDefault(channel.dmUserId, channel.dmUserId) : "#" + channel.name;
        return new Conversation(channel.id, title, channel.isDm(), messages, zone, thread, me.isPresent());
    }

    private Msg msg(SandboxMessage m, List<Msg> replies, boolean open, Map<String, String> names,
                    Map<String, String> channels, String zone) {
        JsonNode blocks = m.blocks == null ? null : workspace.parseJson(m.blocks);
        List<BlockKitHtml.Block> drawn = BlockKitHtml.blocks(blocks, names, channels);
        boolean bot = SlackSandbox.BOT_USER.equals(m.userId);
        boolean slackbot = SlackSandbox.SLACKBOT.equals(m.userId);
        String author = names.getOrDefault(m.userId, m.userId);
        return new Msg(m.ts, author, bot, slackbot, m.ephemeralFor != null, time(m.createdAt, zone), m.editedAt != null,
                drawn == null ? new RawString(SlackHtml.mrkdwn(m.text, names, channels)) : null, drawn, replies, open);
    }

    private Dialog dialog(PageContext ctx, Optional<SandboxUser> me, Map<String, String> names,
                          List<SandboxChannel> visible) {
        if (me.isEmpty()) {
            return null;
        }
        Optional<SandboxView> open = interactions.openView(me.get());
        if (open.isEmpty()) {
            return null;
        }
        SandboxView v = open.get();
        JsonNode view = interactions.viewJson(v);
        Map<String, String> typed = interactions.typed(v);
        Map<String, String> errors = new LinkedHashMap<>();
        interactions.errors(v).forEach((block, message) -> errors.put(block, modalError(ctx, message)));
        Map<String, String> channelNames = new HashMap<>();
        visible.stream().filter(c -> !c.isDm()).forEach(c -> channelNames.put(c.id, c.name));
        List<BlockKitHtml.Block> blocks = new ArrayList<>();
        for (JsonNode b : view.path("blocks")) {
            BlockKitHtml.Block block = BlockKitHtml.block(b, names, channelNames, typed, errors);
            if (block != null) {
                blocks.add(block);
            }
        }
        return new Dialog(v.id, v.channelId, view.path("title").path("text").asText(""),
                view.path("submit").path("text").asText(null), view.path("close").path("text").asText(null),
                blocks, errors.get(""));
    }

    // ------------------------------------------------------------------ helpers

    /** The modal's own refusals in the page's language; the app's errors as it wrote them. */
    private static String modalError(PageContext ctx, String message) {
        if (SandboxInteractions.REQUIRED.equals(message)) {
            return ctx.t("slack.modal.required");
        }
        if (message.startsWith(SandboxInteractions.TOO_LONG)) {
            return java.text.MessageFormat.format(ctx.t("slack.modal.tooLong"),
                    message.substring(SandboxInteractions.TOO_LONG.length()));
        }
        return message;
    }

    private Optional<SandboxUser> me(PageContext ctx) {
        String email = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.<String>getClaim("email") : null;
        return people.identify(ctx.username(), ctx.displayName(), email);
    }

    /** Channels everyone sees, and DMs: one's own, every DM for admins (it is a sandbox for the demo). */
    private List<SandboxChannel> visible(PageContext ctx, Optional<SandboxUser> me) {
        String mine = me.map(u -> u.id).orElse(null);
        return QuarkusTransaction.requiringNew().call(() -> repo.channels().stream()
                .filter(c -> !c.isDm() || ctx.admin() || c.dmUserId.equals(mine)).toList());
    }

    private boolean canSee(PageContext ctx, Optional<SandboxUser> me, String channelId) {
        return visible(ctx, me).stream().anyMatch(c -> c.id.equals(channelId));
    }

    private static Response back(String channelId, String thread, String ts, String problem) {
        StringBuilder url = new StringBuilder(channelId == null ? "/ui/slack" : "/ui/slack/channels/" + channelId);
        List<String> query = new ArrayList<>();
        if (thread != null) {
            query.add("thread=" + thread);
        }
        if (problem != null) {
            query.add("problem=" + URLEncoder.encode(problem, StandardCharsets.UTF_8));
        }
        if (!query.isEmpty()) {
            url.append('?').append(String.join("&", query));
        }
        if (ts != null) {
            url.append("#m-").append(ts);
        }
        return Response.seeOther(URI.create(url.toString())).build();
    }

    private static String channelOf(String value) {
        return value != null && ID.matcher(value).matches() ? value : null;
    }

    private static String validTs(String value) {
        return value != null && TS.matcher(value).matches() ? value : null;
    }

    private static String time(Instant at, String zone) {
        return at == null ? "" : DateTimeFormatter.ofPattern("MM-dd HH:mm").format(at.atZone(ZoneId.of(zone)));
    }

    private PageContext context(HttpHeaders headers, RoutingContext routing) {
        return pages.context(identity, headers, routing, "slack", "slack.title");
    }
}
