package dev.toban.postmortem.reminder;

import dev.toban.contracts.Actor;
import dev.toban.contracts.postmortem.PostmortemContracts.ActionItemOverdue;
import dev.toban.contracts.postmortem.PostmortemContracts.DecisionOverdue;
import dev.toban.plumbing.jobs.Periodic;
import dev.toban.postmortem.actionitem.ActionItemService;
import dev.toban.postmortem.config.PostmortemConfig;
import dev.toban.postmortem.lifecycle.PostmortemEvents;
import dev.toban.postmortem.model.ActionItem;
import dev.toban.postmortem.model.ActionItemRepository;
import dev.toban.postmortem.model.Postmortem;
import dev.toban.postmortem.model.PostmortemRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reminders: a missed decision deadline (toban.postmortem.decision_overdue, once per deadline) and
 * overdue action items (toban.postmortem.action_item.overdue, once per item per day in the team's
 * time zone). "Once" holds across replicas and restarts: the reminder row's primary key is inserted
 * in the same transaction as the event, with {@code on conflict do nothing}; a concurrent replica
 * waits on that key and then inserts nothing.
 */
@ApplicationScoped
public class OverdueReminders {

    private static final Logger LOG = Logger.getLogger(OverdueReminders.class);
    static final String DECISION_OVERDUE = "decision_overdue";
    static final String ACTION_ITEM_OVERDUE = "action_item_overdue";

    private final EntityManager em;
    private final PostmortemRepository postmortems;
    private final ActionItemRepository items;
    private final PostmortemEvents events;

    public OverdueReminders(EntityManager em, PostmortemRepository postmortems, ActionItemRepository items,
                           PostmortemEvents events) {
        this.em = em;
        this.postmortems = postmortems;
        this.items = items;
        this.events = events;
    }

    public record Sent(int decisionsOverdue, int actionItemsOverdue) {
    }

    void start(@Observes StartupEvent event, Periodic periodic, PostmortemConfig config) {
        Periodic.interval(config.jobs().remindersEvery()).ifPresent(every ->
                periodic.every("overdue-reminders", every, Duration.ofSeconds(15), this::scheduled));
    }

    void scheduled() {
        try {
            run(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("Reminder job failed: %s", e.toString());
        }
    }

    /** Sends every reminder due at {@code now}. */
    public Sent run(Instant now) {
        int decisions = QuarkusTransaction.requiringNew().call(() -> decisionsOverdue(now));
        int actionItems = QuarkusTransaction.requiringNew().call(() -> actionItemsOverdue(now));
        if (decisions + actionItems > 0) {
            LOG.infof("Sent %d decision and %d action-item reminders", decisions, actionItems);
        }
        return new Sent(decisions, actionItems);
    }

    @SuppressWarnings("unchecked")
    int decisionsOverdue(Instant now) {
        List<UUID> due = em.createNativeQuery("""
                        insert into reminder_sent (kind, subject_id, period, sent_at)
                        select :kind, p.id, to_char(p.decision_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), :now
                        from postmortem p
                        where p.state = 'pending_decision' and not p.incident_reopened
                          and p.decision_due_at <= cast(:now as timestamptz)
                        on conflict do nothing
                        returning subject_id""")
                .setParameter("kind", DECISION_OVERDUE)
                .setParameter("now", now)
                .getResultList();
        for (UUID id : due) {
            Postmortem p = postmortems.findById(id);
            events.publish(PostmortemEvents.DECISION_OVERDUE, p, Actor.SYSTEM,
                    (s, a) -> new DecisionOverdue(s, a, p.decisionDueAt));
        }
        return due.size();
    }

    @SuppressWarnings("unchecked")
    int actionItemsOverdue(Instant now) {
        List<UUID> due = em.createNativeQuery("""
                        insert into reminder_sent (kind, subject_id, period, sent_at)
                        select :kind, a.id, to_char(cast(cast(:now as timestamptz) at time zone a.team_time_zone as date), 'YYYY-MM-DD'), :now
                        from action_item a
                        where a.status in ('open', 'in_progress')
                          and a.due_date < cast(cast(:now as timestamptz) at time zone a.team_time_zone as date)
                        on conflict do nothing
                        returning subject_id""")
                .setParameter("kind", ACTION_ITEM_OVERDUE)
                .setParameter("now", now)
                .getResultList();
        for (UUID id : due) {
            ActionItem item = items.findById(id);
            Postmortem p = postmortems.findById(item.postmortemId);
            LocalDate today = now.atZone(ZoneId.of(item.teamTimeZone)).toLocalDate();
            events.publish(PostmortemEvents.ACTION_ITEM_OVERDUE, p, Actor.SYSTEM,
                    (s, a) -> new ActionItemOverdue(s, a, PostmortemEvents.actionItem(ActionItemService.ref(item)),
                            ChronoUnit.DAYS.between(item.dueDate, today)));
        }
        return due.size();
    }
}
