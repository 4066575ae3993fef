package dev.toban.incident.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every text of the pages exists in Japanese and English, and every problem the pages translate has its text. */
class PageTextsTest {

    static Properties load(String lang) throws Exception {
        Properties texts = new Properties();
        try (var in = PageTextsTest.class.getClassLoader().getResourceAsStream("web/incident_" + lang + ".properties")) {
            texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return texts;
    }

    @Test
    void japaneseAndEnglishHaveTheSameKeys() throws Exception {
        Properties en = load("en");
        Properties ja = load("ja");
        assertEquals(new TreeSet<>(en.stringPropertyNames()), new TreeSet<>(ja.stringPropertyNames()));
        for (String key : ProblemTexts.keys()) {
            assertTrue(en.containsKey(key) && ja.containsKey(key), key);
        }
        for (String key : ja.stringPropertyNames()) {
            if (key.startsWith("error.") || key.startsWith("timeline.role.") || key.startsWith("timeline.escalat")) {
                assertTrue(ja.getProperty(key).codePoints().anyMatch(c -> c > 0x3000), key + " is Japanese: " + ja.getProperty(key));
            }
        }
    }
}
