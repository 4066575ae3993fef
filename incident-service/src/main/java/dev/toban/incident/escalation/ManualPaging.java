package dev.toban.incident.escalation;

import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.incident.directory.ActorService;
import dev.toban.incident.lifecycle.IncidentSnapshots;
import dev.toban.incident.model.IncidentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Paging by hand from the console, the API or Slack. Not transactional: whom to page is asked of oncall-service
 * first, outside any transaction ({@link EscalationService#pageNow}), and the snapshot is read afterwards.
 */
@ApplicationScoped
public class ManualPaging {

    private final EscalationService escalation;
    private final IncidentRepository incidents;
    private final IncidentSnapshots snapshots;
    private final ActorService actors;

    public ManualPaging(EscalationService escalation, IncidentRepository incidents, IncidentSnapshots snapshots,
                        ActorService actors) {
        this.escalation = escalation;
        this.incidents = incidents;
        this.snapshots = snapshots;
        this.actors = actors;
    }

    /**
     * "Escalate now": pages the next level of the incident's escalation policy at once (an open incident; the
     * IC wants more hands, or the on-call does not answer).
     */
    public IncidentSnapshot escalateNow(UUID id) {
        escalation.pageNow(id, true, actors.current());
        return snapshots.of(incidents.findById(id));
    }

    /** "Re-page": pages the level last paged again, everyone on call there. */
    public IncidentSnapshot repage(UUID id) {
        escalation.pageNow(id, false, actors.current());
        return snapshots.of(incidents.findById(id));
    }
}
