package dev.toban.postmortem.actionitem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.postmortem.model.ActionItem;
import dev.toban.postmortem.model.BacklogWebhook;
import dev.toban.postmortem.model.Postmortem;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Create-issue bodies for the backlog webhooks (documented in docs/operations.md):
 * GitHub Issues' {@code POST /repos/{owner}/{repo}/issues} body and Jira's {@code POST /rest/api/2|3/issue} body.
 */
public final class BacklogPayloads {

    /** Every exported issue carries this label, so teams can find postmortem follow-ups. */
    public static final String LABEL = "postmortem";

    private BacklogPayloads() {
    }

    /** {@code {title, body, labels, assignees}}. */
    public static ObjectNode github(ObjectMapper mapper, BacklogWebhook hook, ActionItem item, Postmortem p, String postmortemUrl) {
        ObjectNode body = mapper.createObjectNode();
        body.put("title", item.title);
        body.put("body", markdownBody(item, p, postmortemUrl));
        ArrayNode labels = body.putArray("labels");
        labels(hook).forEach(labels::add);
        ArrayNode assignees = body.putArray("assignees");
        if (hook.assignOwner && item.ownerUsername != null) {
            assignees.add(item.ownerUsername);
        }
        return body;
    }

    /**
     * {@code {fields: {project: {key}, summary, description, issuetype: {name}, duedate, labels}}}.
     * Jira's REST API v3 wants the description as an Atlassian Document; v2 takes text.
     */
    public static ObjectNode jira(ObjectMapper mapper, BacklogWebhook hook, ActionItem item, Postmortem p, String postmortemUrl) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode fields = body.putObject("fields");
        fields.putObject("project").put("key", hook.jiraProjectKey);
        fields.put("summary", item.title);
        String text = plainBody(item, p, postmortemUrl);
        if (hook.url.contains("/rest/api/3/")) {
            ObjectNode doc = fields.putObject("description");
            doc.put("type", "doc");
            doc.put("version", 1);
            ArrayNode content = doc.putArray("content");
            for (String paragraph : text.split("\n\n")) {
                ObjectNode para = content.addObject();
                para.put("type", "paragraph");
                para.putArray("content").addObject().put("type", "text").put("text", paragraph);
            }
        } else {
            fields.put("description", text);
        }
        fields.putObject("issuetype").put("name", hook.jiraIssueType == null || hook.jiraIssueType.isBlank() ? "Task" : hook.jiraIssueType);
        fields.put("duedate", item.dueDate.toString());
        ArrayNode labels = fields.putArray("labels");
        // Jira labels cannot contain spaces
        labels(hook).forEach(l -> labels.add(l.replaceAll("\\s+", "-")));
        return body;
    }

    private static Set<String> labels(BacklogWebhook hook) {
        Set<String> labels = new LinkedHashSet<>();
        labels.add(LABEL);
        labels.addAll(hook.labelList());
        return labels;
    }

    static String markdownBody(ActionItem item, Postmortem p, String postmortemUrl) {
        StringBuilder body = new StringBuilder();
        body.append("Follow-up from the postmortem of incident #").append(p.incidentNumber).append(" (")
                .append(p.severity).append("): ").append(p.incidentTitle).append("\n\n");
        if (item.description != null && !item.description.isBlank()) {
            body.append(item.description.strip()).append("\n\n");
        }
        body.append("- Owner: ").append(owner(item)).append('\n');
        body.append("- Team: ").append(item.teamName).append('\n');
        body.append("- Due: ").append(item.dueDate).append('\n');
        body.append("- Postmortem: ").append(postmortemUrl).append("\n\n");
        body.append("<!-- toban-action-item:").append(item.id).append(" -->");
        return body.toString();
    }

    static String plainBody(ActionItem item, Postmortem p, String postmortemUrl) {
        StringBuilder body = new StringBuilder();
        body.append("Follow-up from the postmortem of incident #").append(p.incidentNumber).append(" (")
                .append(p.severity).append("): ").append(p.incidentTitle).append("\n\n");
        if (item.description != null && !item.description.isBlank()) {
            body.append(item.description.strip()).append("\n\n");
        }
        body.append("Owner: ").append(owner(item)).append(". Team: ").append(item.teamName).append(". Due: ")
                .append(item.dueDate).append(".\n\n");
        body.append("Postmortem: ").append(postmortemUrl).append(" (Toban action item ").append(item.id).append(')');
        return body.toString();
    }

    private static String owner(ActionItem item) {
        String name = item.ownerName != null ? item.ownerName : item.ownerUsername;
        if (item.ownerEmail != null) {
            return name == null ? item.ownerEmail : name + " <" + item.ownerEmail + ">";
        }
        return name == null ? String.valueOf(item.ownerPersonId) : name;
    }
}
