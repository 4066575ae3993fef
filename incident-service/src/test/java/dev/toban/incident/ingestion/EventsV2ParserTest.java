package dev.toban.incident.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsV2ParserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "0123456789abcdef0123456789abcdef";

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static List<String> errors(String text) throws Exception {
        return assertThrows(EventsApiException.class, () -> EventsV2Parser.parseAlert(json(text))).body().errors();
    }

    @Test
    void parsesPagerDutysDocumentedTrigger() throws Exception {
        EventsV2Parser.AlertEvent event = EventsV2Parser.parseAlert(json("""
                {"payload":{"summary":"Example alert on host1.example.com","timestamp":"2015-07-17T08:42:58.315+0000",
                  "source":"monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003",
                  "severity":"info","component":"postgres","group":"prod-datapipe","class":"deploy",
                  "custom_details":{"ping time":"1500ms","load avg":0.75}},
                 "routing_key":"%s","dedup_key":"samplekeyhere",
                 "images":[{"src":"https://www.pagerduty.com/logo.png","href":"https://example.com/","alt":"Example text"}],
                 "links":[{"href":"https://example.com/","text":"Link text"}],
                 "event_action":"trigger","client":"Sample Monitoring Service","client_url":"https://monitoring.example.com"}
                """.formatted(KEY)));
        assertEquals("trigger", event.action());
        assertEquals("samplekeyhere", event.dedupKey());
        assertEquals(Instant.parse("2015-07-17T08:42:58.315Z"), event.payload().timestamp());
        assertEquals("deploy", event.payload().alertClass());
        assertEquals(0.75, event.payload().customDetails().path("load avg").asDouble());
        assertEquals("Sample Monitoring Service", event.client());
    }

    @Test
    void alertmanagersPagerDutyReceiverIsAccepted() throws Exception {
        // what Alertmanager's pagerduty_configs (Events API v2) sends, including its empty fields
        EventsV2Parser.AlertEvent firing = EventsV2Parser.parseAlert(json("""
                {"routing_key":"%s","event_action":"trigger",
                 "dedup_key":"9f0a5a4d1c2f7e3b6a8d0c1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c",
                 "payload":{"summary":"[FIRING:2] ApiDown (api)","source":"Alertmanager","severity":"critical",
                  "timestamp":"2026-11-25T10:03:00.123456789Z","component":"","group":"","class":"",
                  "custom_details":{"firing":"Labels: ...","num_firing":"2","num_resolved":"0","resolved":""}},
                 "images":[],"links":[{"href":"http://alertmanager:9093/#/alerts?receiver=toban","text":"Alertmanager"}],
                 "client":"Alertmanager","client_url":"http://alertmanager:9093/#/alerts?receiver=toban"}
                """.formatted(KEY)));
        assertEquals("critical", firing.payload().severity());
        EventsV2Parser.AlertEvent resolved = EventsV2Parser.parseAlert(json("""
                {"routing_key":"%s","event_action":"resolve","dedup_key":"9f0a5a4d",
                 "payload":{"summary":"[RESOLVED] ApiDown","source":"Alertmanager","severity":"critical"}}
                """.formatted(KEY)));
        assertEquals("resolve", resolved.action());
    }

    @Test
    void acknowledgeAndResolveNeedOnlyKeyActionAndDedupKey() throws Exception {
        EventsV2Parser.AlertEvent event = EventsV2Parser.parseAlert(json(
                "{\"routing_key\":\"%s\",\"dedup_key\":\"d\",\"event_action\":\"resolve\"}".formatted(KEY)));
        assertEquals("resolve", event.action());
        assertNull(event.payload());
    }

    @Test
    void everyMistakeIsNamedAtOnce() throws Exception {
        assertEquals(List.of("'routing_key' is missing or blank", "'event_action' is missing or blank"), errors("{}"));
        assertEquals(List.of("'routing_key' must be a string", "'event_action' is invalid (expected one of trigger, "
                + "acknowledge, resolve)"), errors("{\"routing_key\":5,\"event_action\":\"TRIGGER\"}"));
        assertEquals(List.of("'payload' must be an object"),
                errors("{\"routing_key\":\"%s\",\"event_action\":\"trigger\",\"payload\":\"x\"}".formatted(KEY)));
        assertEquals(List.of("'images[0].src' is missing or blank", "'images[0].alt' must be a string"), errors("""
                {"routing_key":"%s","event_action":"trigger","payload":{"summary":"s","source":"s","severity":"info"},
                 "images":[{"alt":3}]}""".formatted(KEY)));
        assertEquals(List.of("Event object must be a JSON object"), errors("\"just a string\""));
    }

    @Test
    void timestampsInTheUsualIsoShapes() {
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), EventsV2Parser.parseTimestamp("2026-11-25T10:00:00Z"));
        assertEquals(Instant.parse("2026-11-25T01:00:00Z"), EventsV2Parser.parseTimestamp("2026-11-25T10:00:00+09:00"));
        assertEquals(Instant.parse("2026-11-25T01:00:00Z"), EventsV2Parser.parseTimestamp("2026-11-25T10:00:00+0900"));
        assertEquals(Instant.parse("2026-11-25T10:00:00.123456789Z"),
                EventsV2Parser.parseTimestamp("2026-11-25T10:00:00.123456789Z"));
        assertNull(EventsV2Parser.parseTimestamp("2026-11-25 10:00"));
        assertNull(EventsV2Parser.parseTimestamp("2026-11-25T10:00:00"), "an offset is required");
    }
}
