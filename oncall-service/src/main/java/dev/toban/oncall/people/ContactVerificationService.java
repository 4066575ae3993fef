package dev.toban.oncall.people;

import dev.toban.contracts.oncall.OnCallContracts.MethodRef;
import dev.toban.contracts.oncall.OnCallContracts.TestRequested;
import dev.toban.contracts.oncall.OnCallContracts.VerificationRequested;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.oncall.common.References;
import dev.toban.oncall.common.Refs;
import dev.toban.oncall.config.OnCallConfig;
import dev.toban.oncall.handoff.HandoffTicker;
import dev.toban.oncall.model.ContactMethod;
import dev.toban.oncall.model.Person;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.oncall.people.PersonService.PersonView;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Proving a contact method is the person's: a 6-digit code sent through it (notify-service sends it, on
 * {@code toban.oncall.contact_method.verification_requested}) and typed back. Only a hash of the code is
 * kept, with its expiry and the wrong tries; codes and test pages are rate-limited per method. Also
 * "send me a test page" ({@code toban.oncall.contact_method.test_requested}) through a verified method.
 */
@ApplicationScoped
public class ContactVerificationService {

    public static final String VERIFICATION_REQUESTED = OnCallContracts.VERIFICATION_REQUESTED.name();
    public static final String TEST_REQUESTED = OnCallContracts.TEST_REQUESTED.name();
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final PersonRepository people;
    private final EntityManager em;
    private final Outbox outbox;
    private final OnCallSnapshots snapshots;
    private final HandoffTicker ticker;
    private final Caller caller;
    private final Clock clock;
    private final OnCallConfig.Verification config;
    private final SecureRandom random = new SecureRandom();

    public ContactVerificationService(PersonRepository people, EntityManager em, Outbox outbox, OnCallSnapshots snapshots,
                                      HandoffTicker ticker, Caller caller, Clock clock, OnCallConfig config) {
        this.people = people;
        this.em = em;
        this.outbox = outbox;
        this.snapshots = snapshots;
        this.ticker = ticker;
        this.caller = caller;
        this.clock = clock;
        this.config = config.verification();
    }




    /** The answer to a code request: where it goes and until when it is valid (never the code). */
    public record CodeSent(UUID contactMethodId, String type, String address, Instant expiresAt) {
    }

    public record TestSent(UUID contactMethodId, String type, String address, Instant requestedAt) {
    }

    /** Makes a new code for the method (voiding an earlier one) and asks notify-service to send it. */
    @Transactional
    public CodeSent requestCode(UUID personId, UUID methodId) {
        Person p = lockedPerson(personId, "verify a contact method");
        ContactMethod m = method(p, methodId);
        if (m.isWebhook()) {
            throw ProblemException.conflict(null, "a webhook is verified by an admin's approval, not by a code");
        }
        if (m.verified) {
            throw ProblemException.conflict(null, "this contact method is already verified");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        limit(methodId, "code", config.maxCodes(), config.codeWindow(), now, "verification codes");
        String code = "%06d".formatted(random.nextInt(1_000_000));
        Instant expiresAt = now.plus(config.codeTtl());
        em.createNativeQuery("delete from contact_verification where contact_method_id = ?1")
                .setParameter(1, methodId).executeUpdate();
        em.createNativeQuery("insert into contact_verification (contact_method_id, person_id, address, code_hash, "
                        + "expires_at, attempts, created_at) values (?1, ?2, ?3, ?4, ?5, 0, ?6)")
                .setParameter(1, methodId).setParameter(2, p.id).setParameter(3, m.address)
                .setParameter(4, hash(methodId, code)).setParameter(5, expiresAt).setParameter(6, now).executeUpdate();
        outbox.publish(OnCallContracts.VERIFICATION_REQUESTED, p.id.toString(),
                new VerificationRequested(Refs.person(p), methodRef(m), code, expiresAt));
        return new CodeSent(m.id, m.type, m.address, expiresAt);
    }

    /**
     * Checks a typed code: right and in time, the method is verified ({@code toban.oncall.person.updated});
     * wrong, expired or used up, a 400 naming {@code code}. A wrong try is counted even though the answer is
     * an error (so the transaction does not roll back on the refusal); the last allowed one voids the code.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public PersonView verify(UUID personId, UUID methodId, String code) {
        Person p = lockedPerson(personId, "verify a contact method");
        int index = index(p, methodId);
        ContactMethod m = p.contactMethods.get(index);
        if (m.verified) {
            return PersonView.of(p);
        }
        String typed = code == null ? "" : code.strip();
        if (!typed.matches("\\d{6}")) {
            throw ProblemException.invalid("code", "must be the 6-digit code Toban sent");
        }
        List<?> rows = em.createNativeQuery("select address, code_hash, expires_at, attempts from contact_verification "
                + "where contact_method_id = ?1 and person_id = ?2 for update").setParameter(1, methodId)
                .setParameter(2, p.id).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.invalid("code", "no code is waiting for this contact method; ask for a new code");
        }
        Object[] row = (Object[]) rows.get(0);
        Instant now = clock.instant();
        if (!m.address.equals(row[0])) {
            void_(methodId);
            throw ProblemException.invalid("code", "the code was sent to an earlier address; ask for a new code");
        }
        if (!now.isBefore(toInstant(row[2]))) {
            void_(methodId);
            throw ProblemException.invalid("code", "has expired; ask for a new code");
        }
        if (!MessageDigest.isEqual(((String) row[1]).getBytes(StandardCharsets.US_ASCII),
                hash(methodId, typed).getBytes(StandardCharsets.US_ASCII))) {
            int attempts = ((Number) row[3]).intValue() + 1;
            if (attempts >= config.maxAttempts()) {
                void_(methodId);
                throw ProblemException.invalid("code", "is wrong, and that was the last try; ask for a new code");
            }
            em.createNativeQuery("update contact_verification set attempts = ?1 where contact_method_id = ?2")
                    .setParameter(1, attempts).setParameter(2, methodId).executeUpdate();
            throw ProblemException.invalid("code", "is wrong; " + (config.maxAttempts() - attempts)
                    + " tries left");
        }
        void_(methodId);
        ContactMethod verified = m.copy();
        verified.verified = true;
        verified.verifiedAt = now;
        p.contactMethods.set(index, verified);
        p.updatedAt = now;
        people.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.PERSON_UPDATED, p.id.toString(), PersonService.eventData(p));
        ticker.wakeAfterCommit(); // the reachability flag may clear now
        return PersonView.of(p);
    }

    /** "Send me a test page" through a verified method. */
    @Transactional
    public TestSent test(UUID personId, UUID methodId) {
        Person p = lockedPerson(personId, "send a test page");
        ContactMethod m = method(p, methodId);
        if (!m.verified) {
            throw ProblemException.conflict(null, m.isWebhook()
                    ? "this webhook waits for an admin's approval; a test page goes only to a verified method"
                    : "this contact method is not verified yet; verify it with a code first");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        limit(methodId, "test", config.maxTests(), config.testWindow(), now, "test pages");
        outbox.publish(OnCallContracts.TEST_REQUESTED, p.id.toString(), new TestRequested(Refs.person(p), methodRef(m),
                caller.username()));
        return new TestSent(m.id, m.type, m.address, now);
    }

    private void limit(UUID methodId, String kind, int max, java.time.Duration window, Instant now, String what) {
        // what no window counts any more goes first (the table stays as small as the traffic of the last window)
        em.createNativeQuery("delete from contact_method_request where kind = ?1 and requested_at <= ?2")
                .setParameter(1, kind).setParameter(2, now.minus(window)).executeUpdate();
        List<?> recent = em.createNativeQuery("select requested_at from contact_method_request where contact_method_id = ?1 "
                        + "and kind = ?2 and requested_at > ?3 order by requested_at")
                .setParameter(1, methodId).setParameter(2, kind).setParameter(3, now.minus(window)).getResultList();
        if (recent.size() >= max) {
            Instant again = toInstant(recent.get(0)).plus(window);
            throw new ProblemException(429, "Too many requests", "at most " + max + " " + what
                    + " per contact method in " + human(window) + "; try again after " + HHMM.format(again), List.of());
        }
        em.createNativeQuery("insert into contact_method_request (contact_method_id, kind, requested_at) values (?1, ?2, ?3)")
                .setParameter(1, methodId).setParameter(2, kind).setParameter(3, now).executeUpdate();
    }

    private Person lockedPerson(UUID personId, String action) {
        caller.requireSelfOrAdmin(personId, action);
        Person p = people.findByIdOptional(personId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Person", personId));
        if (p.archived()) {
            throw References.archived("person '" + p.name + "'");
        }
        return p;
    }

    private static ContactMethod method(Person p, UUID methodId) {
        return p.contactMethods.get(index(p, methodId));
    }

    private static int index(Person p, UUID methodId) {
        for (int i = 0; i < p.contactMethods.size(); i++) {
            if (p.contactMethods.get(i).id.equals(methodId)) {
                return i;
            }
        }
        throw ProblemException.notFound("Contact method", methodId);
    }

    private void void_(UUID methodId) {
        em.createNativeQuery("delete from contact_verification where contact_method_id = ?1")
                .setParameter(1, methodId).executeUpdate();
    }

    /** The code bound to its method, so a hash says nothing about another method's code. */
    static String hash(UUID methodId, String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((methodId + ":" + code).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String human(java.time.Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
    }

    /** The method as the events carry it. */
    static MethodRef methodRef(ContactMethod c) {
        return new MethodRef(c.id, c.type, c.address, c.label);
    }
}
