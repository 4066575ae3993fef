package dev.toban.incident.escalation;

import dev.toban.contracts.Actor;
import dev.toban.contracts.PersonRef;
import dev.toban.contracts.notify.NotifyContracts.DeliveryOutcome;
import dev.toban.incident.commander.CommanderAssignment;
import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.incident.lifecycle.IncidentTimeline;
import dev.toban.incident.model.IncidentRepository;
import dev.toban.plumbing.input.Text;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * notify-service's report of each delivery tied to an incident ({@code toban.notify.delivery.sent|failed}),
 * written into the incident's timeline at the time it happened: "Sato: Slack DM delivered 10:53:02". A post
 * to the thread (or a webhook) that went out is no line of its own: a thread of twenty updates would bury
 * the timeline; every failure is one.
 */
@ApplicationScoped
public class DeliveryOutcomes {

    private static final Logger LOG = Logger.getLogger(DeliveryOutcomes.class);
    static final Actor NOTIFY = new Actor("service:notify-service", null, null);
    static final int DETAIL_MAX = 300;

    private final IncidentRepository incidents;
    private final PeopleDirectoryService people;
    private final IncidentTimeline timeline;

    public DeliveryOutcomes(IncidentRepository incidents, PeopleDirectoryService people, IncidentTimeline timeline) {
        this.incidents = incidents;
        this.people = people;
        this.timeline = timeline;
    }


    @Transactional(Transactional.TxType.MANDATORY)
    public void record(DeliveryOutcome d, Instant eventTime) {
        if (d.person() == null && "delivered".equals(d.outcome())) {
            // a thread post or a webhook that went out: the thread shows it; only pages and failures are lines
            return;
        }
        if (!incidents.exists(d.incidentId())) { // (not loaded: only its timeline is written)
            LOG.debugf("Delivery %s of unknown incident %s not recorded", d.deliveryId(), d.incidentId());
            return;
        }
        PersonRef person = d.person() == null || d.person().id() == null ? d.person() : known(d.person());
        Instant at = d.at() != null ? d.at() : eventTime != null ? eventTime : Instant.now();
        String detail = d.detail() == null ? null : truncate(Text.clean(d.detail().strip()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("deliveryId", d.deliveryId());
        data.put("person", person);
        data.put("channel", d.channel());
        data.put("purpose", d.purpose());
        data.put("outcome", d.outcome());
        data.put("at", at);
        data.put("detail", detail);
        String who = person == null ? "" : CommanderAssignment.name(person) + ": ";
        timeline.add(d.incidentId(), at, "delivery", NOTIFY, who + d.channel() + (d.purpose() == null ? "" : " " + d.purpose())
                + " " + d.outcome() + " at " + at + (detail == null ? "" : ": " + detail), data);
    }

    /** The directory's version of the person (their current name), else what the event carried. */
    private PersonRef known(PersonRef carried) {
        PersonRef ref = people.ref(carried.id());
        return ref == null || ref.name() == null ? carried : ref;
    }

    private static String truncate(String value) {
        return value.length() <= DETAIL_MAX ? value : value.substring(0, DETAIL_MAX) + "…";
    }
}
