package dev.toban.notify.web;

import dev.toban.plumbing.web.PageContext;
import io.quarkus.qute.TemplateExtension;

/** Texts whose key ends in a value, e.g. {@code {ctx.tx('deliveries.state.', d.state)}}. */
@TemplateExtension
public class PageExtensions {

    private PageExtensions() {
    }

    static String tx(PageContext ctx, String prefix, String value) {
        return ctx.t(prefix + value);
    }
}
