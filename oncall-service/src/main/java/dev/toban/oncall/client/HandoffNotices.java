package dev.toban.oncall.client;

import dev.toban.oncall.client.HandoffNoticeApi.Rendered;
import dev.toban.oncall.config.OnCallConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handoff notice per language, cached briefly so the on-call board (reloaded by everyone, refreshed
 * live) asks notify-service at most once per {@code toban.oncall.handoff-notice.cache} and language. A
 * failed answer is remembered for a shorter time, so a slow notify-service does not slow every board.
 */
@ApplicationScoped
public class HandoffNotices {

    private record Entry(Optional<Rendered> notice, Instant until) {
    }

    private final HandoffNoticeClient client;
    private final OnCallConfig config;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public HandoffNotices(HandoffNoticeClient client, OnCallConfig config, Clock clock) {
        this.client = client;
        this.config = config;
        this.clock = clock;
    }

    /** The notice in {@code locale} (ja or en); empty when notify-service cannot give it right now. */
    public Optional<Rendered> get(String locale) {
        String lang = "ja".equals(locale) ? "ja" : "en";
        Instant now = Instant.now(clock);
        Entry entry = cache.get(lang);
        if (entry != null && now.isBefore(entry.until())) {
            return entry.notice();
        }
        Optional<Rendered> notice = client.handoffNotice(lang);
        cache.put(lang, new Entry(notice, now.plus(notice.isPresent() ? config.handoffNotice().cache()
                : config.handoffNotice().failureCache())));
        return notice;
    }

    /** Forgets the cached notices (tests). */
    public void clear() {
        cache.clear();
    }
}
