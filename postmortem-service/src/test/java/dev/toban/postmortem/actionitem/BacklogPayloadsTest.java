package dev.toban.postmortem.actionitem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.postmortem.model.ActionItem;
import dev.toban.postmortem.model.ActionItemStatus;
import dev.toban.postmortem.model.BacklogKind;
import dev.toban.postmortem.model.BacklogWebhook;
import dev.toban.postmortem.model.Postmortem;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BacklogPayloadsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static ActionItem item() {
        ActionItem a = new ActionItem();
        a.id = UUID.randomUUID();
        a.title = "Alert on 5xx rate";
        a.description = "Page before users notice.";
        a.ownerPersonId = UUID.randomUUID();
        a.ownerUsername = "suzuki";
        a.ownerName = "Ichiro Suzuki";
        a.ownerEmail = "suzuki@toban.example";
        a.teamId = UUID.randomUUID();
        a.teamName = "Server";
        a.teamTimeZone = "Asia/Tokyo";
        a.dueDate = LocalDate.of(2026, 12, 10);
        a.status = ActionItemStatus.OPEN;
        return a;
    }

    static Postmortem postmortem() {
        Postmortem p = new Postmortem();
        p.id = UUID.randomUUID();
        p.incidentNumber = 42;
        p.severity = "SEV2";
        p.incidentTitle = "API 5xx rate above 5%";
        return p;
    }

    static BacklogWebhook hook(BacklogKind kind, String url) {
        BacklogWebhook h = new BacklogWebhook();
        h.kind = kind;
        h.url = url;
        h.labels = "incident-followup\nteam server";
        h.jiraProjectKey = "OPS";
        return h;
    }

    @Test
    void githubCreateIssueBody() {
        BacklogWebhook hook = hook(BacklogKind.GITHUB, "https://api.github.com/repos/acme/api/issues");
        ObjectNode body = BacklogPayloads.github(JSON, hook, item(), postmortem(), "http://pm/1");
        assertEquals("Alert on 5xx rate", body.get("title").asText());
        assertTrue(body.get("body").asText().contains("Follow-up from the postmortem of incident #42 (SEV2)"));
        assertTrue(body.get("body").asText().contains("- Owner: Ichiro Suzuki <suzuki@toban.example>"));
        assertEquals("[\"postmortem\",\"incident-followup\",\"team server\"]", body.get("labels").toString());
        assertEquals("[]", body.get("assignees").toString());
        hook.assignOwner = true;
        assertEquals("[\"suzuki\"]", BacklogPayloads.github(JSON, hook, item(), postmortem(), "x").get("assignees").toString());
        assertEquals(4, body.size(), "only title, body, labels, assignees");
    }

    @Test
    void jiraV2CreateIssueBody() {
        ObjectNode body = BacklogPayloads.jira(JSON, hook(BacklogKind.JIRA, "https://acme.atlassian.net/rest/api/2/issue"),
                item(), postmortem(), "http://pm/1");
        ObjectNode fields = (ObjectNode) body.get("fields");
        assertEquals("OPS", fields.at("/project/key").asText());
        assertEquals("Alert on 5xx rate", fields.get("summary").asText());
        assertTrue(fields.get("description").isTextual());
        assertEquals("Task", fields.at("/issuetype/name").asText());
        assertEquals("2026-12-10", fields.get("duedate").asText());
        assertEquals("[\"postmortem\",\"incident-followup\",\"team-server\"]", fields.get("labels").toString());
    }

    @Test
    void jiraV3DescriptionIsAnAtlassianDocument() {
        ObjectNode body = BacklogPayloads.jira(JSON, hook(BacklogKind.JIRA, "https://acme.atlassian.net/rest/api/3/issue"),
                item(), postmortem(), "http://pm/1");
        assertEquals("doc", body.at("/fields/description/type").asText());
        assertEquals("paragraph", body.at("/fields/description/content/0/type").asText());
    }
}
