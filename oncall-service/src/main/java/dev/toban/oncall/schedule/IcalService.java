package dev.toban.oncall.schedule;

import dev.toban.contracts.PersonRef;
import dev.toban.oncall.config.OnCallConfig;
import dev.toban.oncall.model.IcalToken;
import dev.toban.oncall.model.IcalTokenRepository;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.oncall.model.ScheduleOverrideRepository;
import dev.toban.oncall.model.ScheduleRepository;
import dev.toban.oncall.rotation.Rotation.Override;
import dev.toban.oncall.rotation.Rotation.Shift;
import dev.toban.oncall.rotation.Rotation.Source;
import dev.toban.oncall.rotation.Rotation;
import dev.toban.oncall.rotation.ShiftRenderer;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.snapshot.OnCallSnapshot.ScheduleEntry;
import dev.toban.oncall.snapshot.OnCallSnapshot;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.RandomTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * RFC 5545 feeds of shifts per schedule and per person, behind revocable secret tokens (only their
 * SHA-256 is stored). Each event's UID is derived from schedule, person and start, so it stays the
 * same across fetches and calendar apps update events instead of duplicating them.
 */
@ApplicationScoped
public class IcalService {

    public static final String SCHEDULE = "schedule";
    public static final String PERSON = "person";

    private final IcalTokenRepository tokens;
    private final ScheduleRepository schedules;
    private final PersonRepository people;
    private final ScheduleOverrideRepository overrides;
    private final OnCallSnapshots snapshots;
    private final Caller caller;
    private final EntityManager em;
    private final OnCallConfig config;
    private final Clock clock;

    public IcalService(IcalTokenRepository tokens, ScheduleRepository schedules, PersonRepository people,
                       ScheduleOverrideRepository overrides, OnCallSnapshots snapshots, Caller caller, EntityManager em,
                       OnCallConfig config, Clock clock) {
        this.tokens = tokens;
        this.schedules = schedules;
        this.people = people;
        this.overrides = overrides;
        this.snapshots = snapshots;
        this.caller = caller;
        this.em = em;
        this.config = config;
        this.clock = clock;
    }

    /** Shown once: the secret and the URL to subscribe to. */
    public record IssuedToken(UUID id, String token, String url, Instant createdAt) {
    }

    /** A new token for the caller's subscription to a feed; replaces the caller's previous one for it. */
    @Transactional
    public IssuedToken issue(String subjectType, UUID subjectId) {
        requireSubject(subjectType, subjectId);
        if (PERSON.equals(subjectType)) {
            caller.requireSelfOrAdmin(subjectId, "subscribe to another person's calendar");
        }
        String owner = caller.username();
        Instant now = clock.instant();
        em.createNativeQuery("update ical_token set revoked_at = ?1 where subject_type = ?2 and subject_id = ?3 "
                        + "and lower(owner_username) = lower(?4) and revoked_at is null")
                .setParameter(1, now).setParameter(2, subjectType).setParameter(3, subjectId).setParameter(4, owner)
                .executeUpdate();
        String token = "tbn_" + RandomTokens.urlSafe(24);
        IcalToken t = new IcalToken();
        t.id = UUID.randomUUID();
        t.subjectType = subjectType;
        t.subjectId = subjectId;
        t.ownerUsername = owner;
        t.tokenHash = hash(token);
        t.createdAt = now;
        tokens.persist(t);
        String path = PERSON.equals(subjectType) ? "/ical/people/" : "/ical/schedules/";
        return new IssuedToken(t.id, token, config.publicUrl() + path + subjectId + ".ics?token=" + token, now);
    }

    /** Revokes the caller's token for a feed; an admin with {@code all} revokes everyone's. Returns how many. */
    @Transactional
    public int revoke(String subjectType, UUID subjectId, boolean all) {
        requireSubject(subjectType, subjectId);
        if (all && !caller.isAdmin()) {
            throw ProblemException.forbidden("only an admin may revoke other people's calendar links");
        }
        if (PERSON.equals(subjectType) && !all) {
            caller.requireSelfOrAdmin(subjectId, "revoke another person's calendar link");
        }
        String sql = "update ical_token set revoked_at = ?1 where subject_type = ?2 and subject_id = ?3 "
                + "and revoked_at is null" + (all ? "" : " and lower(owner_username) = lower(?4)");
        var query = em.createNativeQuery(sql).setParameter(1, clock.instant()).setParameter(2, subjectType)
                .setParameter(3, subjectId);
        if (!all) {
            query.setParameter(4, caller.username());
        }
        return query.executeUpdate();
    }

    /** The feed, or 404 for an unknown feed or a wrong or revoked token (the same answer, so nothing leaks). */
    public String feed(String subjectType, UUID subjectId, String token) {
        if (token == null || token.isBlank() || tokens.findLive(subjectType, subjectId, hash(token)).isEmpty()) {
            throw new ProblemException(404, "Not found", "No calendar feed at this address", List.of());
        }
        OnCallSnapshot snap = snapshots.current();
        Instant now = clock.instant();
        Instant from = now.minus(config.ical().past());
        Instant to = now.plus(config.ical().future());
        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//Toban//oncall-service//EN"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        List<ScheduleEntry> sources = new ArrayList<>();
        if (SCHEDULE.equals(subjectType)) {
            ScheduleEntry s = snap.schedulesById().get(subjectId);
            if (s == null) {
                throw new ProblemException(404, "Not found", "No calendar feed at this address", List.of());
            }
            calendar.add(new XProperty("X-WR-CALNAME", "Toban on-call: " + s.ref().name()));
            calendar.add(new XProperty("X-WR-TIMEZONE", s.ref().timeZone()));
            sources.add(s);
        } else {
            PersonRef p = snap.person(subjectId);
            if (p == null) {
                throw new ProblemException(404, "Not found", "No calendar feed at this address", List.of());
            }
            calendar.add(new XProperty("X-WR-CALNAME", "Toban on-call: " + p.name()));
            calendar.add(new XProperty("X-WR-TIMEZONE", p.timeZone()));
            List<UUID> withOverrides = overrideSchedulesOf(subjectId, from, to);
            for (ScheduleEntry s : snap.schedules()) {
                boolean participant = s.rotation().layers().stream().anyMatch(l -> l.participants().contains(subjectId));
                if (participant || withOverrides.contains(s.id())) {
                    sources.add(s);
                }
            }
        }
        Map<UUID, List<Override>> found = sources.isEmpty() ? Map.of()
                : overrides.windows(sources.stream().map(ScheduleEntry::id).toList(), from, to);
        for (ScheduleEntry s : sources) {
            List<Shift> shifts = ShiftRenderer.shifts(ShiftRenderer.render(s.rotation(),
                    found.getOrDefault(s.id(), List.of()), from, to));
            for (Shift shift : shifts) {
                if (PERSON.equals(subjectType) && !shift.personId().equals(subjectId)) {
                    continue;
                }
                calendar.add(event(snap, s, shift));
            }
        }
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, out);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the calendar", e);
        }
        return out.toString();
    }

    private VEvent event(OnCallSnapshot snap, ScheduleEntry s, Shift shift) {
        PersonRef person = snap.person(shift.personId());
        String who = person == null ? shift.personId().toString() : person.name();
        String team = snap.teams().containsKey(s.teamId()) ? snap.teams().get(s.teamId()).name() + " " : "";
        VEvent event = new VEvent(shift.start(), shift.end(), "On call: " + who + " (" + team + s.ref().role() + ")");
        event.add(new Uid(uid(s.id(), shift)));
        String provenance = shift.source() == Source.OVERRIDE ? "override " + shift.sourceId()
                : "layer " + s.rotation().layers().stream().filter(l -> l.id().equals(shift.sourceId()))
                        .map(Rotation.Layer::name).findFirst().orElse(String.valueOf(shift.sourceId()));
        event.add(new Description("Schedule " + s.ref().name() + " (" + s.ref().role() + "), " + provenance
                + ". 運用当番 / on-call duty."));
        return event;
    }

    /** Stable per shift: the same schedule, person and start always give the same UID. */
    static String uid(UUID scheduleId, Shift shift) {
        return "shift-" + scheduleId + "-" + shift.personId() + "-" + shift.start().getEpochSecond() + "@toban";
    }

    @SuppressWarnings("unchecked")
    private List<UUID> overrideSchedulesOf(UUID personId, Instant from, Instant to) {
        return em.createNativeQuery("select distinct schedule_id from schedule_override where person_id = ?1 "
                        + "and end_at > ?2 and start_at < ?3")
                .setParameter(1, personId).setParameter(2, from).setParameter(3, to).getResultList();
    }

    private void requireSubject(String subjectType, UUID subjectId) {
        boolean exists = SCHEDULE.equals(subjectType) ? schedules.findByIdOptional(subjectId).isPresent()
                : people.findByIdOptional(subjectId).isPresent();
        if (!exists) {
            throw ProblemException.notFound(SCHEDULE.equals(subjectType) ? "Schedule" : "Person", subjectId);
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
