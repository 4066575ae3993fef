package dev.toban.postmortem.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A team's outgoing webhook that turns an action item into a GitHub or Jira issue. */
@Entity
@Table(name = "backlog_webhook")
public class BacklogWebhook extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "team_id", nullable = false)
    public UUID teamId;

    @Column(name = "team_name")
    public String teamName;

    @Column(nullable = false)
    public BacklogKind kind;

    /** The create-issue endpoint, e.g. {@code https://api.github.com/repos/o/r/issues}. */
    @Column(nullable = false)
    public String url;

    /** Token sent in the header named by configuration; never returned by the API. */
    public String secret;

    @Column(name = "jira_project_key")
    public String jiraProjectKey;

    @Column(name = "jira_issue_type")
    public String jiraIssueType;

    /** Labels, one per line. */
    @Column(nullable = false)
    public String labels = "";

    /** Put the owner's Toban username into GitHub's assignees (when usernames match GitHub logins). */
    @Column(name = "assign_owner", nullable = false)
    public boolean assignOwner;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public List<String> labelList() {
        return labels == null || labels.isBlank() ? List.of() : Arrays.stream(labels.split("\n")).filter(l -> !l.isBlank()).toList();
    }
}
