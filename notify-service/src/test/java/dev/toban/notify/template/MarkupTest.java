package dev.toban.notify.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MarkupTest {

    static final String MRKDWN = ":rotating_light: *#42 API &lt;5xx&gt; &amp; more*\n"
            + "IC: <@U024BE7LH>, runbook: <https://runbooks.example/a?x=1&amp;y=2|Open the runbook> in <#C123|incidents>\n"
            + "_soon_ `code`";

    @Test
    void plainTextDropsSlackMarkupAndKeepsTheUrls() {
        assertEquals("🚨 #42 API <5xx> & more\n"
                        + "IC: @U024BE7LH, runbook: Open the runbook (https://runbooks.example/a?x=1&y=2) in #incidents\n"
                        + "soon code",
                Markup.toPlain(MRKDWN));
    }

    @Test
    void htmlEscapesTextAndTurnsLinksIntoAnchors() {
        assertEquals("🚨 <strong>#42 API &lt;5xx&gt; &amp; more</strong><br>\n"
                        + "IC: @U024BE7LH, runbook: <a href=\"https://runbooks.example/a?x=1&amp;y=2\">Open the runbook</a>"
                        + " in #incidents<br>\n"
                        + "<em>soon</em> <code>code</code>",
                Markup.toHtml(MRKDWN));
        assertEquals("javascript:alert(1)", Markup.toHtml("<javascript:alert(1)>"), "only http(s) and mailto links become anchors");
        assertEquals("&lt;b&gt;hi&lt;/b&gt;", Markup.toHtml("&lt;b&gt;hi&lt;/b&gt;"));
    }

    @Test
    void theSubjectIsTheFirstLineInPlainText() {
        assertEquals("#42 API <5xx> & more", Markup.firstLine(MRKDWN, 150));
        assertEquals("abcd…", Markup.firstLine("\n\nabcdefgh", 5));
    }

    @Test
    void slackEscapingCoversTheThreeReservedCharacters() {
        assertEquals("a &lt;b&gt; &amp; c", Markup.escapeSlack("a <b> & c"));
    }
}
