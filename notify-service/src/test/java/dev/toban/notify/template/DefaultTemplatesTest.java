package dev.toban.notify.template;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toban.plumbing.problem.ProblemException;
import org.junit.jupiter.api.Test;

/** Every shipped template renders with its sample data, in both locales and for Slack and email. */
class DefaultTemplatesTest {

    final TemplateService templates = new TemplateService(null, new ObjectMapper(),
            Links.of("https://oncall.toban.test", "https://incidents.toban.test/", "https://postmortems.toban.test"));

    @Test
    void everyDefaultRendersInBothLocalesForSlackAndEmail() {
        for (TemplateCatalog.Entry entry : TemplateCatalog.all()) {
            for (String locale : TemplateCatalog.LOCALES) {
                for (String channel : new String[] {"slack", "email"}) {
                    try {
                        TemplateService.Preview p = templates.preview(entry.key(), locale,
                                templates.defaultSource(entry.key(), locale), null, channel);
                        assertFalse(p.text().isBlank(), entry.key());
                        assertFalse(p.subject().isBlank(), entry.key());
                        assertFalse(p.text().contains("Toban: " + entry.key()), "no fallback text for " + entry.key());
                    } catch (ProblemException e) {
                        fail(entry.key() + " (" + locale + ", " + channel + "): " + e.getMessage());
                    }
                }
            }
        }
    }

    @Test
    void theHandoffNoticeStatesTheSevenDutiesInBothLanguages() {
        String ja = templates.preview("handoff.notice", "ja", templates.defaultSource("handoff.notice", "ja"), null, "slack").text();
        String en = templates.preview("handoff.notice", "en", templates.defaultSource("handoff.notice", "en"), null, "slack").text();
        for (int i = 1; i <= 7; i++) {
            assertTrue(ja.contains("\n" + i + ". "), "duty " + i + " in ja");
            assertTrue(en.contains("\n" + i + ". "), "duty " + i + " in en");
        }
        assertTrue(ja.contains("• <@U0G9QF9C6>（Server、2026-11-28 10:00 JST まで）"), ja);
        assertTrue(en.contains("• <@U0TANAKA1> (Mobile, until 2026-12-02 10:00 JST)"), en);
    }

    @Test
    void mentionsAreSlackMentionsOnSlackAndNamesInEmail() {
        String slack = templates.preview("page", "en", templates.defaultSource("page", "en"), null, "slack").text();
        String email = templates.preview("page", "en", templates.defaultSource("page", "en"), null, "email").plain();
        assertTrue(slack.contains("<@U024BE7LH>, you are paged"), slack);
        assertTrue(email.contains("Hanako Sato, you are paged"), email);
    }
}
