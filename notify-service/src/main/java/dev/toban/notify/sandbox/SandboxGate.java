package dev.toban.notify.sandbox;

import dev.toban.plumbing.problem.Problem;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Answers 404 on every sandbox path (its Web API, its response_urls and the {@code /ui/slack} page) when
 * the sandbox is off, before authentication or any resource: with a real Slack, or in {@code prod}
 * unless enabled, the sandbox is not there at all.
 */
@ApplicationScoped
public class SandboxGate {

    private final SlackSandbox sandbox;

    public SandboxGate(SlackSandbox sandbox) {
        this.sandbox = sandbox;
    }

    void install(@Observes StartupEvent start, Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(this::check);
    }

    void check(RoutingContext routing) {
        if (!sandbox.enabled() && isSandbox(routing.normalizedPath())) {
            routing.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA.toString())
                    .end(Json.encode(Problem.of(404, "Not Found", "The Slack sandbox is off", List.of())));
            return;
        }
        routing.next();
    }

    static boolean isSandbox(String path) {
        if (path == null) {
            return false;
        }
        String p = path.toLowerCase(java.util.Locale.ROOT);
        return p.equals("/sandbox") || p.startsWith("/sandbox/") || p.equals("/ui/slack") || p.startsWith("/ui/slack/");
    }
}
