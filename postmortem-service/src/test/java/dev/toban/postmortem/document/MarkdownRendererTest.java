package dev.toban.postmortem.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.contracts.Actor;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.postmortem.lifecycle.Views;
import dev.toban.postmortem.model.ActionItemStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {

    static MarkdownRenderer.Input input(String language, boolean complete) {
        List<Views.TimelineEntry> timeline = List.of(
                new Views.TimelineEntry("1", Instant.parse("2026-11-25T01:12:00Z"), "triggered", new Actor("system", null, null),
                        "Incident opened | from Prometheus"),
                new Views.TimelineEntry("2", Instant.parse("2026-11-25T01:20:00Z"), "acknowledged",
                        new Actor("sato", null, "Hanako Sato"), "Acknowledged\nby the IC"));
        Views.ActionItemView item = new Views.ActionItemView(UUID.randomUUID(), UUID.randomUUID(), "Add a 5xx alert", null,
                PersonRef.of(UUID.randomUUID(), "Ichiro Suzuki", "suzuki", "suzuki@toban.example"),
                new TeamRef(UUID.randomUUID(), "Server", "#team-server", "Asia/Tokyo"), LocalDate.of(2026, 12, 10),
                ActionItemStatus.OPEN, "https://github.com/acme/api/issues/7", null, Instant.now(), Instant.now(), 0);
        return new MarkdownRenderer.Input(language, "API 5xx rate above 5%", 42, "SEV2", "held", "Server",
                "http://localhost:8082/incidents/x", ZoneId.of("Asia/Tokyo"), "What happened", null, timeline, complete,
                new Views.Downtime(200L, 3900L, 45L, null), "Retry storm", "Fast page", null, "Low traffic",
                List.of(item));
    }

    @Test
    void englishDocumentHasEverySection() {
        String md = MarkdownRenderer.render(input("en", true));
        assertTrue(md.startsWith("# Postmortem: API 5xx rate above 5%\n"), md);
        for (String heading : List.of("## Summary", "## Impact", "## Timeline", "## Downtime", "## Contributing factors",
                "## What went well", "## What went poorly", "## Where we got lucky", "## Action items")) {
            assertTrue(md.contains("\n" + heading + "\n"), heading);
        }
        assertTrue(md.contains("| 2026-11-25 10:12 | Incident opened \\| from Prometheus | system |"), md);
        assertTrue(md.contains("| 2026-11-25 10:20 | Acknowledged by the IC | Hanako Sato |"), md);
        assertTrue(md.contains("| Time to detect (problem start → incident opened) | 3 min 20 s |"), md);
        assertTrue(md.contains("| Time to assign (incident opened → IC acknowledged) | 1 h 05 min |"), md);
        assertTrue(md.contains("| Time to mitigate (IC acknowledged → provisional recovery) | 45 s |"), md);
        assertTrue(md.contains("| **Total downtime** | **unknown** |"), md);
        assertTrue(md.contains("## Impact\n\n_To be written._"), md);
        assertTrue(md.contains("| ☐ | Add a 5xx alert | Ichiro Suzuki | Server | 2026-12-10 | open | [https://github.com/acme/api/issues/7]"), md);
        assertTrue(!md.contains("not available yet"));
    }

    @Test
    void japaneseHeadingsAndThePendingTimelineNote() {
        String md = MarkdownRenderer.render(input("ja", false));
        assertTrue(md.startsWith("# 障害撲滅委員会: API 5xx rate above 5%\n"), md);
        for (String heading : List.of("## 概要", "## 影響", "## タイムライン", "## ダウンタイム", "## 寄与要因",
                "## うまくいったこと", "## うまくいかなかったこと", "## 幸運だったこと", "## アクションアイテム")) {
            assertTrue(md.contains("\n" + heading + "\n"), heading);
        }
        assertTrue(md.contains("incident-service からの詳細なタイムラインはまだ取得できていません"), md);
        assertTrue(md.contains("## 影響\n\n_（未記入）_"), md);
    }

    @Test
    void durations() {
        var en = java.util.Map.of("unknown", "unknown");
        assertEquals("unknown", MarkdownRenderer.duration(null, en));
        assertEquals("0 s", MarkdownRenderer.duration(0L, en));
        assertEquals("2 min", MarkdownRenderer.duration(120L, en));
        assertEquals("2 h 00 min", MarkdownRenderer.duration(7200L, en));
    }
}
