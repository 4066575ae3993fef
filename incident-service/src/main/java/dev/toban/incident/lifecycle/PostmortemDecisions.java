package dev.toban.incident.lifecycle;

import dev.toban.contracts.Actor;
import dev.toban.contracts.postmortem.PostmortemContracts.Decided;
import dev.toban.contracts.postmortem.PostmortemEventData;
import dev.toban.contracts.postmortem.PostmortemSnapshot;
import dev.toban.incident.model.Sql;
import dev.toban.plumbing.inbox.PoisonEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What postmortem-service decided about an incident's postmortem (hold or skip), from its {@code toban.postmortem.*}
 * events: kept on the incident (the IC console's "decide on a postmortem" duty ticks) and written into the
 * timeline. Each event carries the whole PostmortemSnapshot; an older snapshot ({@code version}) never overwrites a
 * newer one. Bookkeeping of another service: written past the incident entity, so the incident's own
 * {@code version} does not move without an incident event.
 */
@ApplicationScoped
public class PostmortemDecisions {

    public static final String DECIDED = "toban.postmortem.decided";
    public static final String CANCELLED = "toban.postmortem.cancelled";
    public static final String REOPENED = "toban.postmortem.reopened";

    private final Sql sql;
    private final IncidentTimeline timeline;

    public PostmortemDecisions(Sql sql, IncidentTimeline timeline) {
        this.sql = sql;
        this.timeline = timeline;
    }


    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(String type, PostmortemEventData event) {
        PostmortemSnapshot p = event.postmortem();
        if (p == null || p.id() == null || p.incidentId() == null) {
            throw new PoisonEventException(type + " lacks postmortem, its id or incidentId");
        }
        List<Sql.Row> rows = sql.query("select postmortem_decision, postmortem_version from incident where id = ? for update",
                p.incidentId());
        if (rows.isEmpty()) {
            return; // an incident this service does not have (another environment's, or reset)
        }
        String before = rows.get(0).string(0);
        Object known = rows.get(0).values()[1];
        long version = p.version();
        if (known != null && ((Number) known).longValue() > version) {
            return; // an older announcement arriving late
        }
        String decision = "hold".equals(p.decision()) || "skip".equals(p.decision()) ? p.decision() : null;
        Instant decidedAt = decision == null ? null : p.decidedAt() != null ? p.decidedAt() : Instant.now();
        sql.update("""
                update incident set postmortem_id = ?, postmortem_state = ?, postmortem_decision = ?,
                    postmortem_decided_at = ?, postmortem_version = ? where id = ?""",
                p.id(), truncate(p.state()), decision, decidedAt, version, p.incidentId());
        Actor actor = event.actor() == null ? Actor.SYSTEM : event.actor();
        if (DECIDED.equals(type) && decision != null) {
            String given = event instanceof Decided decided ? decided.reason() : null;
            String reason = given == null || given.isBlank() ? null : given.strip();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("postmortemId", p.id());
            data.put("decision", decision);
            data.put("reason", reason);
            timeline.add(p.incidentId(), "postmortem_decided", actor, actor.display() + " decided to "
                    + ("hold".equals(decision) ? "hold a postmortem" : "skip the postmortem")
                    + (reason == null ? "" : ": " + reason), data);
        } else if (before != null && decision == null && !Objects.equals(before, decision)) {
            // a cancelled meeting, or a skip undone by the incident's reopening: the decision is open again
            timeline.add(p.incidentId(), "postmortem_undecided", actor,
                    "The postmortem decision is open again (" + type.substring(type.lastIndexOf('.') + 1) + ")",
                    Map.of("postmortemId", p.id(), "previous", before));
        }
    }

    private static String truncate(String state) {
        return state == null || state.length() <= 30 ? state : state.substring(0, 30);
    }
}
