package dev.toban.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.postmortem.PostmortemSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/events.md and the contracts say the same: every type the catalogue's tables list has a contract and every
 * contract is listed; every JSON example (each marked {@code <!-- contract: X -->}) binds to X's record, and every
 * field it shows is one of the record's, with the same value once read (so a renamed field or another format of an
 * instant fails here).
 */
class EventsDocTest {

    /** Configured like Quarkus' ObjectMapper: instants as ISO text, unknown fields ignored. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule()).addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Shapes the examples document besides event data. */
    static final Map<String, Class<?>> SHAPES = Map.of(
            "PersonRef", PersonRef.class,
            "TeamRef", TeamRef.class,
            "Actor", Actor.class,
            "IncidentSnapshot", IncidentSnapshot.class,
            "PostmortemSnapshot", PostmortemSnapshot.class);

    static final Pattern BLOCK = Pattern.compile("(?:<!-- contract: ([^ ]+) -->\\n)?```json\\n(.*?)\\n```", Pattern.DOTALL);
    static final Pattern TABLE_ROW = Pattern.compile("^\\| (`toban\\.[^|]*)\\|", Pattern.MULTILINE);
    static final Pattern CODE = Pattern.compile("`([^`]+)`");

    static String doc() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/events.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("docs/events.md not found above " + System.getProperty("user.dir"));
        }
        return Files.readString(dir.resolve("docs/events.md"));
    }

    @Test
    void everyDocumentedTypeHasAContractAndEveryContractIsDocumented() throws IOException {
        Set<String> documented = documentedTypes(doc());
        Set<String> contracts = new TreeSet<>();
        EventCatalog.ALL.forEach(t -> contracts.add(t.name()));
        Set<String> undocumented = new TreeSet<>(contracts);
        undocumented.removeAll(documented);
        Set<String> noContract = new TreeSet<>(documented);
        noContract.removeAll(contracts);
        assertEquals(Set.of(), noContract, "documented in docs/events.md without a contract");
        assertEquals(Set.of(), undocumented, "contracts missing from docs/events.md's tables");
    }

    @Test
    void everyExampleBindsToItsContract() throws IOException {
        Matcher m = BLOCK.matcher(doc());
        List<String> problems = new ArrayList<>();
        int examples = 0;
        while (m.find()) {
            examples++;
            String name = m.group(1);
            String json = m.group(2);
            if (name == null) {
                problems.add("a JSON example has no <!-- contract: ... --> marker: " + json.lines().findFirst().orElse(""));
                continue;
            }
            try {
                JsonNode example = MAPPER.readTree(json);
                if (name.equals("envelope")) {
                    checkEnvelope(example, problems);
                } else if (SHAPES.containsKey(name)) {
                    check(name, example, SHAPES.get(name), problems);
                } else {
                    EventType<?> type = EventCatalog.find(name).orElse(null);
                    if (type == null) {
                        problems.add(name + ": no such contract");
                    } else {
                        check(name, example, type.dataType(), problems);
                    }
                }
            } catch (IOException e) {
                problems.add(name + ": not JSON: " + e.getMessage());
            }
        }
        assertTrue(examples >= 15, "found only " + examples + " examples");
        assertEquals(List.of(), problems);
    }

    @Test
    void dataschemaNamesTypeAndVersion() {
        EventType<?> triggered = EventCatalog.find("toban.incident.triggered").orElseThrow();
        assertEquals("urn:toban:event:toban.incident.triggered:v1", triggered.dataschema());
        assertFalse(EventCatalog.find("toban.notify.page").isPresent(), "a webhook body is no outbox event");
    }

    private static void checkEnvelope(JsonNode envelope, List<String> problems) {
        for (String attribute : List.of("specversion", "id", "source", "type", "time", "datacontenttype")) {
            if (!envelope.hasNonNull(attribute)) {
                problems.add("envelope example lacks " + attribute);
            }
        }
        JsonNode data = envelope.path("data");
        String type = envelope.path("type").asText();
        if (data.isObject() && !data.isEmpty()) {
            EventType<?> contract = EventCatalog.find(type).orElse(null);
            if (contract == null) {
                problems.add("envelope example of unknown type " + type);
            } else {
                check("envelope " + type, data, contract.dataType(), problems);
            }
        }
    }

    /** Binds {@code example} to {@code type} and checks each field it shows survives as the record has it. */
    static void check(String name, JsonNode example, Class<?> type, List<String> problems) {
        try {
            Object record = MAPPER.treeToValue(example, type);
            JsonNode back = MAPPER.valueToTree(record);
            subset(name, "", example, back, problems);
        } catch (Exception e) {
            problems.add(name + ": does not bind to " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Every field of {@code shown} is in {@code actual} with the same value; {@code "..."} marks an elision. */
    static void subset(String name, String path, JsonNode shown, JsonNode actual, List<String> problems) {
        if (shown.isObject()) {
            if (!actual.isObject()) {
                problems.add(name + path + ": an object in the example, " + actual + " in the record");
                return;
            }
            for (Map.Entry<String, JsonNode> f : shown.properties()) {
                if (f.getKey().equals("...")) {
                    continue;
                }
                if (!actual.has(f.getKey())) {
                    problems.add(name + path + "." + f.getKey() + ": not a field of the contract");
                } else {
                    subset(name, path + "." + f.getKey(), f.getValue(), actual.get(f.getKey()), problems);
                }
            }
        } else if (shown.isArray()) {
            if (!actual.isArray() || actual.size() != shown.size()) {
                problems.add(name + path + ": " + shown + " read as " + actual);
                return;
            }
            for (int i = 0; i < shown.size(); i++) {
                subset(name, path + "[" + i + "]", shown.get(i), actual.get(i), problems);
            }
        } else if (shown.isNumber() && actual.isNumber()) {
            if (shown.decimalValue().compareTo(actual.decimalValue()) != 0) {
                problems.add(name + path + ": " + shown + " read as " + actual);
            }
        } else if (!shown.equals(actual)) {
            problems.add(name + path + ": " + shown + " read as " + actual);
        }
    }

    /** The types named in the first column of the catalogue's tables ({@code `toban.x.y` / `.z`}). */
    static Set<String> documentedTypes(String doc) {
        Set<String> types = new TreeSet<>();
        Matcher row = TABLE_ROW.matcher(doc);
        while (row.find()) {
            String base = null;
            Matcher code = CODE.matcher(row.group(1));
            while (code.find()) {
                String token = code.group(1);
                if (token.startsWith("toban.")) {
                    base = token;
                    types.add(token);
                } else if (token.startsWith(".") && base != null) {
                    types.add(base.substring(0, base.lastIndexOf('.')) + token);
                }
            }
        }
        return types;
    }

}
