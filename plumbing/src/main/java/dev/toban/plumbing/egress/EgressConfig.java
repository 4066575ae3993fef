package dev.toban.plumbing.egress;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where Toban's outbound HTTP calls (webhooks, backlog exports, provider APIs) may go. By default
 * only public addresses: loopback, private, link-local, CGNAT, ULA, multicast and other
 * special-purpose addresses are refused ({@link EgressPolicy}).
 */
@ConfigMapping(prefix = "toban.egress")
public interface EgressConfig {

    /**
     * Destinations allowed although the rules refuse them, comma-separated (env {@code TOBAN_EGRESS_ALLOW}):
     * CIDR blocks ({@code 10.20.0.0/16}, {@code fd00:1::/48}), addresses with an optional port
     * ({@code 10.1.2.3}, {@code 127.0.0.1:8099}, {@code [::1]:8443}) and host names with an optional
     * port ({@code jira.corp.example}, {@code hooks.internal:8443}; the name as written in the URL, any
     * address it resolves to). Empty by default: nothing internal is reachable.
     */
    Optional<List<String>> allow();

    /** Time to open a connection (TLS handshake included in the call's timeout). */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Time for a whole call when the caller sets none. */
    @WithDefault("10s")
    Duration timeout();

    /** Most bytes of an answer that are read back when the caller sets no cap; the rest is dropped. */
    @WithDefault("65536")
    int maxResponseBytes();
}
