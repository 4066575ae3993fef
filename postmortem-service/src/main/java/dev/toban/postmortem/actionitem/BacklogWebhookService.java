package dev.toban.postmortem.actionitem;

import dev.toban.plumbing.egress.EgressPolicy;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.postmortem.model.BacklogKind;
import dev.toban.postmortem.model.BacklogWebhook;
import dev.toban.postmortem.model.BacklogWebhookRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Admin-managed backlog webhooks, one per team. Secrets are write-only. */
@ApplicationScoped
public class BacklogWebhookService {

    private final BacklogWebhookRepository webhooks;
    private final EgressPolicy egress;

    public BacklogWebhookService(BacklogWebhookRepository webhooks, EgressPolicy egress) {
        this.webhooks = webhooks;
        this.egress = egress;
    }

    /**
     * POST/PUT body. {@code secret}: on update, null keeps the stored one and "" removes it.
     */
    public record WebhookRequest(
            @NotNull UUID teamId,
            @Size(max = 100) String teamName,
            @NotNull BacklogKind kind,
            @NotBlank @Size(max = 1000) String url,
            @Size(max = 1000) String secret,
            @Size(max = 50) @Pattern(regexp = "[A-Z][A-Z0-9_]*", message = "must be a Jira project key such as OPS")
            String jiraProjectKey,
            @Size(max = 50) String jiraIssueType,
            List<@NotBlank @Size(max = 100) String> labels,
            Boolean assignOwner) {
    }

    public record WebhookView(UUID id, UUID teamId, String teamName, BacklogKind kind, String url, boolean hasSecret,
                              String jiraProjectKey, String jiraIssueType, List<String> labels, boolean assignOwner,
                              Instant createdAt, Instant updatedAt, long version) {
        static WebhookView of(BacklogWebhook w) {
            return new WebhookView(w.id, w.teamId, w.teamName, w.kind, w.url, w.secret != null && !w.secret.isBlank(),
                    w.jiraProjectKey, w.jiraIssueType, w.labelList(), w.assignOwner, w.createdAt, w.updatedAt, w.version);
        }
    }

    public List<WebhookView> list() {
        return webhooks.listAll(Sort.by("teamName", "teamId")).stream().map(WebhookView::of).toList();
    }

    public WebhookView get(UUID id) {
        return WebhookView.of(load(id));
    }

    @Transactional
    public WebhookView create(WebhookRequest body) {
        validate(body);
        if (webhooks.findByTeam(body.teamId()).isPresent()) {
            throw ProblemException.conflict("teamId", "already has a backlog webhook; update it with PUT");
        }
        BacklogWebhook hook = new BacklogWebhook();
        hook.id = UUID.randomUUID();
        hook.createdAt = Instant.now();
        hook.secret = blankToNull(body.secret());
        apply(hook, body);
        webhooks.persistAndFlush(hook);
        return WebhookView.of(hook);
    }

    @Transactional
    public WebhookView update(UUID id, WebhookRequest body) {
        validate(body);
        BacklogWebhook hook = load(id);
        webhooks.findByTeam(body.teamId()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
            throw ProblemException.conflict("teamId", "already has a backlog webhook");
        });
        if (body.secret() != null) {
            hook.secret = blankToNull(body.secret());
        }
        apply(hook, body);
        webhooks.flush();
        return WebhookView.of(hook);
    }

    @Transactional
    public void delete(UUID id) {
        webhooks.delete(load(id));
    }

    private static void apply(BacklogWebhook hook, WebhookRequest body) {
        hook.teamId = body.teamId();
        hook.teamName = blankToNull(body.teamName());
        hook.kind = body.kind();
        hook.url = body.url().strip();
        hook.jiraProjectKey = body.kind() == BacklogKind.JIRA ? body.jiraProjectKey() : null;
        hook.jiraIssueType = body.kind() == BacklogKind.JIRA ? blankToNull(body.jiraIssueType()) : null;
        hook.labels = body.labels() == null ? "" : String.join("\n", body.labels().stream().map(String::strip).toList());
        hook.assignOwner = Boolean.TRUE.equals(body.assignOwner());
        hook.updatedAt = Instant.now();
    }

    private void validate(WebhookRequest body) {
        try {
            URI uri = new URI(body.url().strip());
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                throw ProblemException.invalid("url", "must be an absolute http(s) URL");
            }
            // an address the egress policy refuses is told now; a host name is vetted at export
            egress.refusalWithoutLookup(uri).ifPresent(why -> {
                throw ProblemException.invalid("url", why);
            });
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("url", "is not a URL: " + e.getReason());
        }
        if (body.kind() == BacklogKind.JIRA && (body.jiraProjectKey() == null || body.jiraProjectKey().isBlank())) {
            throw ProblemException.invalid("jiraProjectKey", "is required for a jira webhook");
        }
    }

    private BacklogWebhook load(UUID id) {
        return webhooks.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Backlog webhook", id));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
