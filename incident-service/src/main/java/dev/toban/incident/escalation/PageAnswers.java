package dev.toban.incident.escalation;

import dev.toban.contracts.Actor;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.incident.IncidentState;
import dev.toban.contracts.notify.NotifyContracts.PageResponded;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.lifecycle.IncidentTransitions;
import dev.toban.incident.model.Incident;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.incident.rest.RetryLaterException;
import dev.toban.plumbing.inbox.PoisonEventException;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A paged person's answer from any channel (SMS reply, voice keypress, push action, the email's signed link),
 * as notify-service reports it ({@code toban.notify.page.responded}): acknowledge acknowledges the incident as
 * that person, escalate pages the next level now as that person ("escalate now" of the console). notify-service
 * sends one event per page and answer; an answer the incident has moved past (acknowledged already, resolved)
 * changes nothing and is no error.
 */
@ApplicationScoped
public class PageAnswers {

    public static final String ACKNOWLEDGE = "acknowledge";
    public static final String ESCALATE = "escalate";
    /** A channel name as notify-service spells them; anything else is not from notify-service. */
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_-]{0,19}");
    private static final Logger LOG = Logger.getLogger(PageAnswers.class);


    private final IncidentRepository incidents;
    private final IncidentTransitions transitions;
    private final EscalationService escalation;
    private final PeopleDirectoryService people;

    public PageAnswers(IncidentRepository incidents, IncidentTransitions transitions, EscalationService escalation,
                       PeopleDirectoryService people) {
        this.incidents = incidents;
        this.transitions = transitions;
        this.escalation = escalation;
        this.people = people;
    }

    /**
     * Applies an answer inside the consumer's inbox transaction. Data this service cannot act on (no incident,
     * no person, an unknown action or channel) is a {@link PoisonEventException}: dead-lettered, never retried.
     */
    public void apply(PageResponded r) {
        if (r.incidentId() == null) {
            throw new PoisonEventException("page.responded lacks incidentId");
        }
        if (r.person() == null || r.person().id() == null) {
            throw new PoisonEventException("page.responded lacks the person");
        }
        if (r.channel() == null || !CHANNEL.matcher(r.channel()).matches()) {
            throw new PoisonEventException("page.responded lacks a channel name");
        }
        Actor actor = Actor.of(known(r.person()));
        switch (r.action() == null ? "" : r.action()) {
            case ACKNOWLEDGE -> acknowledge(r, actor);
            case ESCALATE -> escalate(r, actor);
            default -> throw new PoisonEventException("page.responded has an unknown action: " + r.action());
        }
    }

    private void acknowledge(PageResponded r, Actor actor) {
        Incident incident = incidents.lock(r.incidentId()).orElse(null);
        if (incident == null) {
            LOG.warnf("Acknowledgement of unknown incident %s ignored", r.incidentId());
            return;
        }
        if (incident.state != IncidentState.TRIGGERED) {
            // someone was faster (or the incident moved on): the person's answer is moot
            LOG.debugf("Acknowledgement of incident %s via %s ignored: it is %s", r.incidentId(), r.channel(),
                    incident.state.wire());
            return;
        }
        transitions.acknowledge(incident, actor, r.channel());
    }

    private void escalate(PageResponded r, Actor actor) {
        try {
            escalation.pageNow(r.incidentId(), true, actor, r.channel());
        } catch (RetryLaterException e) {
            throw e; // oncall-service cannot say whom to page now: the inbox tries again
        } catch (ProblemException e) {
            // resolved meanwhile, the last level, nobody on call, no policy: as the console would refuse it
            LOG.infof("Escalation of incident %s via %s by %s not done: %s", r.incidentId(), r.channel(),
                    actor.display(), e.getMessage());
        }
    }

    /** The directory's version of the person (their current name), else what the event carried. */
    private PersonRef known(PersonRef carried) {
        PersonRef ref = people.ref(carried.id());
        return ref == null || ref.name() == null ? carried : ref;
    }
}
