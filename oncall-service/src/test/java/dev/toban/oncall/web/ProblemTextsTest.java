package dev.toban.oncall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.web.PageContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The service's problem messages in the page's language, without English on a Japanese page or ids anywhere. */
class ProblemTextsTest {

    static PageContext page(String lang) {
        Map<String, String> texts = new HashMap<>(load("web/texts_" + lang + ".properties"));
        texts.putAll(load("web/oncall_" + lang + ".properties"));
        return new PageContext(lang, "u", "u", true, true, true, "", "settings", "t", 5, null, texts);
    }

    @Test
    void everyKeyHasAJapaneseAndAnEnglishText() {
        Map<String, String> ja = load("web/oncall_ja.properties");
        Map<String, String> en = load("web/oncall_en.properties");
        ja.putAll(load("web/texts_ja.properties"));
        en.putAll(load("web/texts_en.properties"));
        for (String key : ProblemTexts.keys()) {
            assertTrue(ja.containsKey(key), "ja lacks " + key);
            assertTrue(en.containsKey(key), "en lacks " + key);
        }
        assertEquals(ja.keySet(), en.keySet(), "the same keys in both languages");
    }

    @Test
    void knownMessagesAreTranslatedWithTheirNamesAndUnknownOnesBecomeAGeneralSentence() {
        PageContext ja = page("ja");
        assertEquals("ユーザー名「kimura」はすでに使われています。",
                ProblemTexts.message(ja, "a person with username 'kimura' already exists"));
        assertEquals("3 以下にしてください (異なるメンバーの数)。",
                ProblemTexts.message(ja, "must not exceed the number of distinct participants (3)"));
        String refused = ProblemTexts.message(ja, "cannot archive: person 'Hanako Sato' is a member of team 'Server'; "
                + "person 'Hanako Sato' is a target of escalation policy 'Server default' level 1; and 2 more; "
                + "remove these references first");
        assertEquals("アーカイブできません：Hanako Sato はチーム「Server」のメンバーです、Hanako Sato はエスカレーション"
                + "ポリシー「Server default」の段階 1 の呼び出し先です、ほか 2 件。先にこれらの参照を外してください。", refused);
        assertEquals(ja.t("error.general"), ProblemTexts.message(ja, "something nobody translated"));
        assertEquals("同じ人の別のオーバーライド (2026-12-01 00:00 UTC〜2026-12-02 00:00 UTC) と重なっています。",
                ProblemTexts.message(ja, "overlaps override 0b7d1f7e-1111-4222-8333-444455556666 "
                        + "(2026-12-01T00:00:00Z to 2026-12-02T00:00:00Z): that person already has an override then"));

        PageContext en = page("en");
        assertEquals("must not be blank", ProblemTexts.message(en, "must not be blank"));
        String overlap = ProblemTexts.message(en, "overlaps override 0b7d1f7e-1111-4222-8333-444455556666 "
                + "(2026-12-01T00:00:00Z to 2026-12-02T00:00:00Z): that person already has an override then");
        assertEquals("Overlaps another override (2026-12-01 00:00 UTC to 2026-12-02 00:00 UTC) of the same person.", overlap);
        assertFalse(ProblemTexts.message(en, "Person 0b7d1f7e-1111-4222-8333-444455556666 does not exist")
                .matches(".*[0-9a-f]{8}-[0-9a-f]{4}.*"));
        assertFalse(ProblemTexts.message(en, "whatever 0b7d1f7e-1111-4222-8333-444455556666 said")
                .matches(".*[0-9a-f]{8}-[0-9a-f]{4}.*"));
    }

    static Map<String, String> load(String resource) {
        Map<String, String> values = new HashMap<>();
        try (InputStream in = ProblemTextsTest.class.getClassLoader().getResourceAsStream(resource)) {
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            p.forEach((k, v) -> values.put(k.toString(), v.toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }
}
