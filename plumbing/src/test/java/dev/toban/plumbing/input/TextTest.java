package dev.toban.plumbing.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.toban.plumbing.json.StrictJson;
import dev.toban.plumbing.problem.ProblemException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTest {

    record Body(String name, List<String> tags, Instant at) {
    }

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(StrictJson.module());

    @Test
    void acceptsTextWithLineBreaksAndSurrogatePairs() {
        assertNull(Text.problem("障害対応\n2行目\tタブ 🚨", false));
        assertNull(Text.problem("Sato 🚨", true));
    }

    @Test
    void refusesControlCharactersAndLoneSurrogates() {
        assertNotNull(Text.problem("a\u0000b", false));
        assertNotNull(Text.problem("a\u001bb", false));
        assertNotNull(Text.problem("a\u0085b", false));
        assertNotNull(Text.problem("a\ud800b", false));
        assertNotNull(Text.problem("a\udc00", false));
        assertNotNull(Text.problem("trailing high \ud83d", false));
        assertNotNull(Text.problem("two\nlines", true));
        assertNotNull(Text.problem("cr\rlf", true));
    }

    @Test
    void cleanKeepsWhatCanBeStored() {
        assertEquals("ab\ttab\n", Text.clean("a\u0000b\ttab\n"));
        assertEquals("x\uFFFDy", Text.clean("x\ud800y"));
        assertEquals("🚨", Text.clean("🚨"));
    }

    @Test
    void jsonStringsWithControlCharactersAreRefusedNamingTheField() throws Exception {
        JsonMappingException e = assertThrows(JsonMappingException.class,
                () -> mapper.readValue("{\"name\":\"a\\u0000\"}", Body.class));
        assertEquals("name", e.getPath().get(0).getFieldName());
        e = assertThrows(JsonMappingException.class,
                () -> mapper.readValue("{\"tags\":[\"ok\",\"\\ud800\"]}", Body.class));
        assertEquals("tags", e.getPath().get(0).getFieldName());
        assertEquals("ok", mapper.readValue("{\"name\":\"ok\"}", Body.class).name());
    }

    @Test
    void instantsOutOfRangeAreRefused() throws Exception {
        assertThrows(JsonMappingException.class,
                () -> mapper.readValue("{\"at\":\"+999999999-12-31T23:59:59Z\"}", Body.class));
        assertEquals(Instant.parse("2026-12-06T00:00:00Z"),
                mapper.readValue("{\"at\":\"2026-12-06T00:00:00Z\"}", Body.class).at());
        ProblemException p = assertThrows(ProblemException.class,
                () -> Instants.parse("at", "+999999999-12-31T23:59:59Z"));
        assertEquals("at", p.errors().get(0).field());
        assertEquals(Instant.parse("2026-12-06T09:00:00Z"), Instants.parse("at", "2026-12-06T18:00:00+09:00"));
    }
}
