package dev.toban.notify.client;

import dev.toban.notify.config.NotifyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How to reach each person, as {@link OnCallClient#person} last answered, kept for
 * {@code toban.notify.pages.contacts-cache-ttl} and forgotten as soon as a {@code toban.oncall.person.*} event
 * says someone changed (every replica hears those). A storm pages the same few people hundreds of times: one GET each instead of one per
 * page (that GET was most of oncall-service's CPU per incident). A failed lookup is not cached.
 */
@ApplicationScoped
public class PersonContactsCache {

    private record Entry(PersonDetails details, long expiresAtNanos) {
    }

    private final OnCallClient oncall;
    private final long ttlNanos;
    private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();

    public PersonContactsCache(OnCallClient oncall, NotifyConfig config) {
        this.oncall = oncall;
        this.ttlNanos = config.pages().contactsCacheTtl().toNanos();
    }

    /** The person's details; null when oncall-service cannot say (as {@link OnCallClient#person}). Never in a transaction. */
    public PersonDetails person(UUID id) {
        long now = System.nanoTime();
        Entry e = entries.get(id);
        if (e != null && now - e.expiresAtNanos() < 0) {
            return e.details();
        }
        PersonDetails details = oncall.person(id);
        if (details != null && ttlNanos > 0) {
            entries.put(id, new Entry(details, now + ttlNanos));
        }
        return details;
    }

    /** Someone changed: ask again for everyone. */
    public void forgetAll() {
        entries.clear();
    }

    /** Whether an answer for this person is kept (diagnostics and tests). */
    public boolean remembers(UUID id) {
        Entry e = entries.get(id);
        return e != null && System.nanoTime() - e.expiresAtNanos() < 0;
    }
}
