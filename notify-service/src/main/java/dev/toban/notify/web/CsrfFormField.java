package dev.toban.notify.web;

import dev.toban.plumbing.web.CsrfFilter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Lets plain HTML forms pass toban-plumbing's {@link CsrfFilter}. That filter runs before RESTEasy Reactive
 * reads a form body, so it never sees the {@code csrf} field, only the {@code X-CSRF-Token} header. Here the
 * body of a form POST to {@code /ui} is read first and its field copied into that header; the filter still
 * compares it with the cookie, and RESTEasy reuses the parsed form.
 *
 * <p>Remove once plumbing's filter reads the body itself ({@code @ServerRequestFilter(readBody = true)}).
 */
@ApplicationScoped
public class CsrfFormField {

    /** Far above any page form; bigger bodies get 413 before anything parses them. */
    static final long BODY_LIMIT = 256 * 1024;

    void route(@Observes Router router) {
        router.post("/ui/*").order(-200).handler(rc -> {
            String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                BodyHandler.create(false).setBodyLimit(BODY_LIMIT).handle(rc);
            } else {
                rc.next();
            }
        });
        router.post("/ui/*").order(-199).handler(rc -> {
            String field = rc.request().formAttributes().get(CsrfFilter.FIELD);
            if (field != null && rc.request().getHeader(CsrfFilter.HEADER) == null) {
                rc.request().headers().set(CsrfFilter.HEADER, field);
            }
            rc.next();
        });
    }
}
