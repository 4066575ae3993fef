package dev.toban.plumbing.security;

import dev.toban.plumbing.problem.Problem;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request whose sign-in check does not finish in time gets a clear 503 instead of hanging.
 *
 * <p>quarkus-oidc waits without a read timeout for a Keycloak that accepts connections but never
 * answers (frozen, overloaded), when it must fetch keys lazily (a replica started while Keycloak was
 * away, or a new signing key). A timer armed before authentication answers 503 "Sign-in service
 * unavailable" if the request has not passed the security checks by then; a request that passes
 * them after that answer is dropped, so a client told 503 never also gets its write applied.
 */
@ApplicationScoped
public class SignInTimeout {

    private static final Logger LOG = Logger.getLogger(SignInTimeout.class);
    private static final String STATE = "toban.sign-in-state";
    private static final int PENDING = 0;
    private static final int PASSED = 1;
    private static final int TIMED_OUT = 2;

    /** How long authentication may take before the request is answered 503. */
    @ConfigMapping(prefix = "toban.security")
    public interface Config {
        /** Longer than quarkus.oidc.connection-timeout (10 s), so OIDC's own errors win when it has one. */
        @WithDefault("15s")
        Duration signInTimeout();
    }

    private final Config config;
    private final Vertx vertx;

    public SignInTimeout(Config config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void install(@Observes StartupEvent start, Router router) {
        // the first handler of all, so it runs before the HTTP authentication handler
        router.route().order(Integer.MIN_VALUE).handler(this::arm);
    }

    void arm(RoutingContext routing) {
        // only requests that sign in (a bearer token, or the pages' session): ingestion and health stay timer-free
        String path = routing.normalizedPath();
        if (routing.request().getHeader("Authorization") == null && !path.equals("/ui") && !path.startsWith("/ui/")) {
            routing.next();
            return;
        }
        AtomicInteger state = new AtomicInteger(PENDING);
        routing.put(STATE, state);
        long timer = vertx.setTimer(config.signInTimeout().toMillis(), id -> {
            if (state.compareAndSet(PENDING, TIMED_OUT) && !routing.response().ended()
                    && !routing.response().headWritten()) {
                LOG.warnf("Sign-in check of %s %s took longer than %s: answered 503", routing.request().method(),
                        routing.normalizedPath(), config.signInTimeout());
                routing.response().setStatusCode(503).putHeader("Content-Type", Problem.MEDIA.toString())
                        .putHeader("Retry-After", "10")
                        .end(Json.encode(Problem.of(503, "Sign-in service unavailable",
                                "Keycloak did not answer in time to check your sign-in; retry shortly", List.of())));
            }
        });
        routing.addEndHandler(done -> vertx.cancelTimer(timer));
        routing.next();
    }

    /**
     * Past the security checks (authentication is lazy: it runs in the REST layer, before the
     * post-matching filters), so disarm; or drop a request already answered 503.
     */
    @ServerRequestFilter(priority = 1)
    public Response reached(RoutingContext routing) {
        AtomicInteger state = routing.get(STATE);
        if (state == null || state.compareAndSet(PENDING, PASSED) || state.get() == PASSED) {
            return null;
        }
        return Response.status(503).build();
    }
}
