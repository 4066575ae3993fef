package dev.toban.notify.web;

import dev.toban.notify.template.TemplateRefusedException;
import dev.toban.plumbing.web.PageContext;

/** What the template pages say about a refused text, in the page language. */
final class TemplatePages {

    /** 運用当番のお知らせ: first in the list, and shown to everyone on the on-call board. */
    static final String NOTICE = "handoff.notice";

    private TemplatePages() {
    }

    /**
     * The problem in the page language. Qute's own explanation is English: a Japanese page names the kind of
     * mistake from Qute's error code instead; an English page adds Qute's words when the code is not one we describe.
     */
    static String message(PageContext ctx, TemplateRefusedException e) {
        String line = e.line() > 0 ? String.valueOf(e.line()) : "?";
        return switch (e.reason()) {
            case TemplateRefusedException.BLANK -> ctx.t("templates.error.blank");
            case TemplateRefusedException.TOO_LONG -> ctx.t("templates.error.tooLong");
            case TemplateRefusedException.EMPTY -> ctx.t("templates.error.empty");
            case TemplateRefusedException.RENDER -> e.expression() != null
                    ? ctx.t("templates.error.render").replace("{0}", line).replace("{1}", "{" + e.expression() + "}")
                    : ctx.t("templates.error.renderUnknown").replace("{0}", line);
            default -> {
                String summary = ctx.t("templates.error.syntax").replace("{0}", line);
                // Qute names parser errors PARSER_<ParserError>, e.g. PARSER_SECTION_END_DOES_NOT_MATCH_START
                String code = e.code() == null ? null : e.code().replaceFirst("^PARSER_", "");
                String codeKey = "templates.error.code." + code;
                String detail = ctx.t(codeKey);
                if (code != null && !detail.equals(codeKey)) {
                    yield summary + (ctx.ja() ? "" : " ") + detail;
                }
                yield ctx.ja() ? summary : summary + " (" + qute(e.message()) + ")";
            }
        };
    }

    /** Qute's explanation without our "line n: has a syntax error:" prefix. */
    private static String qute(String message) {
        int at = message.indexOf(": has a syntax error: ");
        return at < 0 ? message : message.substring(at + ": has a syntax error: ".length());
    }
}
