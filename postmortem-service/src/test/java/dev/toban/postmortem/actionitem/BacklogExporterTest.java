package dev.toban.postmortem.actionitem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.postmortem.model.BacklogKind;
import dev.toban.postmortem.model.BacklogWebhook;
import org.junit.jupiter.api.Test;

/** What of a tracker's answer becomes the item's link: only an https URL. */
class BacklogExporterTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static BacklogWebhook hook(BacklogKind kind, String url) {
        BacklogWebhook h = new BacklogWebhook();
        h.kind = kind;
        h.url = url;
        return h;
    }

    static String github(String answer) {
        return BacklogExporter.externalUrl(JSON, hook(BacklogKind.GITHUB, "https://api.github.com/repos/acme/api/issues"), answer);
    }

    @Test
    void githubsHtmlUrlIsKeptOnlyWhenItIsHttps() {
        assertEquals("https://github.com/acme/api/issues/7", github("{\"html_url\":\"https://github.com/acme/api/issues/7\"}"));
        assertNull(github("{\"html_url\":\"javascript:alert(document.cookie)\"}"));
        assertNull(github("{\"html_url\":\"JavaScript:alert(1)//https://github.com\"}"));
        assertNull(github("{\"html_url\":\"data:text/html,<script>alert(1)</script>\"}"));
        assertNull(github("{\"html_url\":\"http://github.com/acme/api/issues/7\"}"));
        assertNull(github("{\"html_url\":\"//evil.example/x\"}"));
        assertNull(github("{\"html_url\":\"https://github.com/a b\"}"));
        assertNull(github("{\"html_url\":\"https://github.com/" + "x".repeat(1000) + "\"}"), "longer than its column");
        assertNull(github("not json"));
        assertNull(github(""));
    }

    @Test
    void jirasBrowseUrlIsKeptOnlyOnAnHttpsSiteAndForARealKey() {
        BacklogWebhook cloud = hook(BacklogKind.JIRA, "https://acme.atlassian.net/rest/api/2/issue");
        assertEquals("https://acme.atlassian.net/browse/OPS-12",
                BacklogExporter.externalUrl(JSON, cloud, "{\"id\":\"10001\",\"key\":\"OPS-12\",\"self\":\"x\"}"));
        assertNull(BacklogExporter.externalUrl(JSON, cloud, "{\"key\":\"../../logout\",\"self\":\"javascript:alert(1)\"}"));
        assertEquals("https://acme.atlassian.net/rest/api/2/issue/10001", BacklogExporter.externalUrl(JSON, cloud,
                "{\"id\":\"10001\",\"self\":\"https://acme.atlassian.net/rest/api/2/issue/10001\"}"));
        assertNull(BacklogExporter.externalUrl(JSON, hook(BacklogKind.JIRA, "http://jira.internal/rest/api/2/issue"),
                "{\"key\":\"OPS-12\"}"), "an http site gives an http link: not kept");
    }
}
