package dev.toban.notify.reminder;

import dev.toban.notify.config.RemindersConfig;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.template.Composer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Recurring reminders: how to report an incident with /sos, posted in the incident-report channel
 * on a configurable cron. Every replica runs the schedule; a unique row per occurrence lets exactly
 * one of them post it, also across restarts.
 */
@ApplicationScoped
public class SosHowtoReminder {

    private static final Logger LOG = Logger.getLogger(SosHowtoReminder.class);
    public static final String SOS_HOWTO = "sos-howto";

    private final RemindersConfig config;
    private final Scheduler scheduler;
    private final EntityManager em;
    private final DeliveryService deliveries;
    private final Composer composer;

    public SosHowtoReminder(RemindersConfig config, Scheduler scheduler, EntityManager em, DeliveryService deliveries,
                           Composer composer) {
        this.config = config;
        this.scheduler = scheduler;
        this.em = em;
        this.deliveries = deliveries;
        this.composer = composer;
    }

    void schedule(@Observes StartupEvent event) {
        RemindersConfig.SosHowto sos = config.sosHowto();
        if (!sos.enabled() || sos.cron().isBlank() || "off".equalsIgnoreCase(sos.cron())) {
            LOG.info("The /sos how-to reminder is off");
            return;
        }
        scheduler.newJob("reminder-" + SOS_HOWTO)
                .setCron(sos.cron())
                .setTimeZone(composer.zone(sos.timeZone()))
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> {
                    try {
                        fire(SOS_HOWTO, execution.getScheduledFireTime());
                    } catch (RuntimeException e) {
                        LOG.errorf("The /sos how-to reminder for %s failed: %s", execution.getScheduledFireTime(), e);
                    }
                })
                .schedule();
        LOG.infof("The /sos how-to reminder posts to %s on cron '%s' (%s)", sos.channel(), sos.cron(), sos.timeZone());
    }

    /**
     * Posts one occurrence of a reminder, unless another replica (or an earlier run) already did.
     * Returns the delivery id when this call posted it.
     */
    public Optional<java.util.UUID> fire(String reminder, Instant scheduledAt) {
        Instant occurrence = scheduledAt.truncatedTo(ChronoUnit.SECONDS);
        return QuarkusTransaction.requiringNew().call(() -> {
            int claimed = em.createNativeQuery("""
                            insert into reminder_occurrence (reminder, occurrence, fired_at) values (?1, ?2, now())
                            on conflict do nothing""")
                    .setParameter(1, reminder)
                    .setParameter(2, occurrence)
                    .executeUpdate();
            if (claimed == 0) {
                return Optional.<java.util.UUID>empty();
            }
            RemindersConfig.SosHowto sos = config.sosHowto();
            EventRef ref = new EventRef("reminder:" + reminder + ":" + occurrence, "toban.notify.reminder." + reminder,
                    occurrence, reminder);
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("channel", sos.channel());
            model.put("occurrence", occurrence.toString());
            String locale = sos.locale();
            Message message = composer.slack("reminder.sos_howto", locale,
                    composer.with(model, locale, composer.zone(sos.timeZone())));
            return deliveries.create(NewDelivery.slackPost(ref, "reminder", sos.channel(), "reminder.sos_howto",
                    locale, message)).map(d -> d.id);
        });
    }
}
