package dev.toban.incident.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.incident.IncidentSource;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.contracts.incident.Severity;
import dev.toban.incident.directory.TeamDirectoryService;
import dev.toban.incident.model.Person;
import dev.toban.plumbing.web.PageContext;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The modals keep Slack's Block Kit limits and never turn outside text into markup. */
class SlackViewsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final SlackViews views = new SlackViews(JSON);

    static SlackTexts texts(String lang) throws Exception {
        Map<String, String> texts = new HashMap<>();
        for (String file : List.of("web/texts_" + lang + ".properties", "web/incident_" + lang + ".properties")) {
            try (InputStream in = SlackViewsTest.class.getClassLoader().getResourceAsStream(file)) {
                Properties p = new Properties();
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                p.forEach((k, v) -> texts.put(k.toString(), v.toString()));
            }
        }
        return new SlackTexts(new PageContext(lang, null, null, false, false, false, null, null, null, 5, null, texts),
                "Asia/Tokyo");
    }

    static IncidentSnapshot incident(String title, String impact, String warRoom) {
        return new IncidentSnapshot(UUID.randomUUID(), 42, title, Severity.SEV2, IncidentState.ACKNOWLEDGED, impact,
                IncidentSource.EVENTS_V2, null, null, List.of(), null, null, List.of(), warRoom, null,
                "http://localhost:8082/ui/incidents/x", null, Instant.now(), null, null, null, null, null, 1);
    }

    /** Every plain_text in a view, with the limit Slack sets for where it is. */
    static void checkLimits(JsonNode view) {
        assertTrue(view.at("/title/text").asText().length() <= 24, "title: " + view.at("/title"));
        assertTrue(view.at("/submit/text").asText("").length() <= 24 && view.at("/close/text").asText().length() <= 24);
        assertTrue(view.path("blocks").size() <= 100);
        assertTrue(view.path("callback_id").asText("").length() <= 255 && view.path("private_metadata").asText("").length() <= 3000);
        for (JsonNode block : view.path("blocks")) {
            JsonNode options = block.at("/element/options");
            assertTrue(options.size() <= 100, "options: " + options.size());
            for (JsonNode option : options) {
                assertTrue(option.at("/text/text").asText().length() <= 75, option.toString());
                assertTrue(option.path("value").asText().length() <= 150, option.toString());
            }
            JsonNode initial = block.at("/element/initial_option");
            if (!initial.isMissingNode()) {
                assertTrue(options.toString().contains(initial.toString()), "the initial option is one of the options");
            }
            assertTrue(block.at("/label/text").asText("").length() <= 2000);
            assertTrue(block.at("/element/max_length").asInt(0) <= 3000);
            assertTrue(block.at("/element/initial_value").asText("").length() <= 3000);
        }
    }

    @Test
    void everyModalKeepsSlacksLimitsWithLongNamesAndManyChoices() throws Exception {
        for (String lang : List.of("ja", "en")) {
            SlackTexts t = texts(lang);
            String long200 = "長".repeat(200);
            IncidentSnapshot i = incident(long200, "x".repeat(4000), "https://meet.example/r");
            List<Person> people = new ArrayList<>();
            List<TeamDirectoryService.TeamView> teams = new ArrayList<>();
            for (int n = 0; n < 150; n++) {
                Person p = new Person();
                p.id = UUID.randomUUID();
                p.name = "Person " + n + " " + "名".repeat(100);
                people.add(p);
                teams.add(new TeamDirectoryService.TeamView(UUID.randomUUID(), "Team " + n + "😀".repeat(60), null, null,
                        List.of(), null, null));
            }
            for (JsonNode view : List.of(views.statusUpdate(t, i, Duration.ofMinutes(60)), views.assignTeam(t, i, teams),
                    views.handoverIc(t, i, people), views.warRoom(t, i), views.pmSkip(t, i),
                    views.declare(t, List.of()), views.notice(t, "x".repeat(50), "y".repeat(5000)))) {
                checkLimits(view);
            }
            assertEquals("60", views.statusUpdate(t, i, Duration.ofMinutes(60)).at("/blocks/3/element/initial_option/value").asText());
            assertTrue(views.statusUpdate(t, i, Duration.ZERO).at("/blocks/3/element/initial_option").isMissingNode());
        }
    }

    @Test
    void outsideTextInMarkupIsEscapedAndTheContractsIdsAreThere() throws Exception {
        SlackTexts t = texts("en");
        IncidentSnapshot i = incident("<!channel> DB down & <https://evil.example|click>", null, null);
        JsonNode view = views.statusUpdate(t, i, null);
        String context = view.at("/blocks/0/elements/0/text").asText();
        assertEquals("Incident #42 &lt;!channel&gt; DB down &amp; &lt;https://evil.example|click&gt;", context);
        assertEquals("toban.status_update", view.path("callback_id").asText());
        assertEquals(i.id().toString(), view.path("private_metadata").asText());
        assertEquals(List.of("message", "impact", "next_update"), List.of(view.at("/blocks/1/block_id").asText(),
                view.at("/blocks/2/block_id").asText(), view.at("/blocks/3/block_id").asText()));
        assertEquals("value", view.at("/blocks/1/element/action_id").asText());
        assertEquals(List.of("15", "30", "60", "120"), view.at("/blocks/3/element/options").findValuesAsText("value"));
        assertEquals("url", views.warRoom(t, i).at("/blocks/1/block_id").asText());
        assertEquals("", views.declare(t, List.of()).path("private_metadata").asText());
    }
}
