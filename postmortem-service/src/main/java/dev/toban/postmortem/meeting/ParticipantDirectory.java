package dev.toban.postmortem.meeting;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.postmortem.model.Participant;
import dev.toban.postmortem.model.ParticipantRepository;
import dev.toban.postmortem.model.ParticipantSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Adds the incident's people and the team's members to a postmortem's participants, without duplicates. */
@ApplicationScoped
public class ParticipantDirectory {

    private final ParticipantRepository participants;

    public ParticipantDirectory(ParticipantRepository participants) {
        this.participants = participants;
    }

    /** The incident's people: commander, liaison, responders. */
    public static List<Candidate> fromIncident(IncidentSnapshot incident) {
        List<Candidate> people = new ArrayList<>();
        if (incident.commander() != null) {
            people.add(new Candidate(incident.commander(), ParticipantSource.COMMANDER));
        }
        if (incident.liaison() != null) {
            people.add(new Candidate(incident.liaison(), ParticipantSource.LIAISON));
        }
        incident.respondersOrEmpty().forEach(r -> people.add(new Candidate(r, ParticipantSource.RESPONDER)));
        return people;
    }

    public record Candidate(PersonRef person, ParticipantSource source) {
    }

    /**
     * Adds each candidate not yet known to the postmortem (by oncall person id or email). People the
     * organiser removed stay removed. Returns the ones added.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Participant> addMissing(UUID postmortemId, List<Candidate> candidates, Instant now) {
        List<Participant> known = new ArrayList<>(participants.allOf(postmortemId));
        List<Participant> added = new ArrayList<>();
        for (Candidate candidate : candidates) {
            PersonRef person = candidate.person();
            if (person == null || (person.id() == null && blank(person.email()))) {
                continue;
            }
            Optional<Participant> existing = find(known, person.id(), person.email());
            if (existing.isPresent()) {
                Participant p = existing.get();
                // fill in what the earlier source lacked (an email from oncall-service, a name)
                if (p.email == null && !blank(person.email()) && find(known, null, person.email()).isEmpty()) {
                    p.email = person.email().strip();
                }
                if (p.personId == null && person.id() != null && find(known, person.id(), null).isEmpty()) {
                    p.personId = person.id();
                }
                if (p.username == null) {
                    p.username = person.username();
                }
                if (p.name == null) {
                    p.name = person.name();
                }
                continue;
            }
            Participant p = new Participant();
            p.id = UUID.randomUUID();
            p.postmortemId = postmortemId;
            p.personId = person.id();
            p.username = person.username();
            p.name = person.name();
            p.email = blank(person.email()) ? null : person.email().strip();
            p.source = candidate.source();
            p.createdAt = now;
            participants.persist(p);
            known.add(p);
            added.add(p);
        }
        participants.flush();
        return added;
    }

    public static Optional<Participant> find(List<Participant> known, UUID personId, String email) {
        String lowered = email == null ? null : email.strip().toLowerCase(Locale.ROOT);
        return known.stream()
                .filter(p -> (personId != null && Objects.equals(personId, p.personId))
                        || (lowered != null && p.email != null && lowered.equals(p.email.toLowerCase(Locale.ROOT))))
                .findFirst();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
