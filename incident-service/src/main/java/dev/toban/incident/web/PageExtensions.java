package dev.toban.incident.web;

import dev.toban.contracts.incident.IncidentState;
import dev.toban.plumbing.web.PageContext;
import io.quarkus.qute.TemplateExtension;

/** Texts of the incident model in the page's language, e.g. {@code {incident.state.label(ctx)}}. */
@TemplateExtension
public class PageExtensions {

    private PageExtensions() {
    }

    static String label(IncidentState state, PageContext ctx) {
        return ctx.t("state." + state.wire());
    }

    static String wire(IncidentState state) {
        return state.wire();
    }

    static String label(Console.Duty duty, PageContext ctx) {
        return ctx.t("console.duty." + duty.key());
    }

    static String hint(Console.Duty duty, PageContext ctx) {
        return ctx.t("console.duty." + duty.key() + ".hint");
    }

    /** A state filter's label: a state, or "open" / "all". */
    static String stateLabel(String state, PageContext ctx) {
        return ctx.t("state." + state);
    }
}
