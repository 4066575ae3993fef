package dev.toban.plumbing.web;

import dev.toban.plumbing.problem.Problem;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Refuses request paths that different layers read differently: a {@code ;} (matrix parameters, which
 * the REST router strips but a path-prefix check does not; {@code POST /ui;x=1/...} once skipped the
 * CSRF check). No Toban path uses them, so every service answers 400 before routing.
 */
@ApplicationScoped
public class RequestHygiene {

    void install(@Observes StartupEvent start, Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    void check(RoutingContext routing) {
        String raw = routing.request().path();
        if (raw != null && raw.indexOf(';') >= 0) {
            routing.response().setStatusCode(400).putHeader("Content-Type", Problem.MEDIA.toString())
                    .end(Json.encode(Problem.of(400, "Invalid request", "path must not contain ';'",
                            List.of(new Problem.FieldError("path", "must not contain ';'")))));
            return;
        }
        routing.next();
    }
}
