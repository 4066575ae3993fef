package dev.toban.notify.reminder;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.toban.notify.config.RemindersConfig;
import dev.toban.notify.dispatch.DeliveryService;
import dev.toban.notify.dispatch.EventRef;
import dev.toban.notify.dispatch.Message;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.template.Composer;
import dev.toban.plumbing.jobs.Periodic;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Recurring reminders: how to report an incident with /sos, posted in the incident-report channel
 * on a configurable cron, run by plumbing's {@link Periodic} worker. Every replica runs the schedule; a unique
 * row per occurrence lets exactly one of them post it, also across restarts.
 */
@ApplicationScoped
public class SosHowtoReminder {

    private static final Logger LOG = Logger.getLogger(SosHowtoReminder.class);
    public static final String SOS_HOWTO = "sos-howto";

    private final RemindersConfig config;
    private final EntityManager em;
    private final DeliveryService deliveries;
    private final Composer composer;

    public SosHowtoReminder(RemindersConfig config, EntityManager em, DeliveryService deliveries, Composer composer) {
        this.config = config;
        this.em = em;
        this.deliveries = deliveries;
        this.composer = composer;
    }

    void schedule(@Observes StartupEvent event, Periodic periodic) {
        RemindersConfig.SosHowto sos = config.sosHowto();
        String cron = sos.cron().strip();
        // "disabled" too: the Quarkus scheduler, which ran this before, read both as off
        if (!sos.enabled() || cron.isEmpty() || "off".equalsIgnoreCase(cron) || "disabled".equalsIgnoreCase(cron)) {
            LOG.info("The /sos how-to reminder is off");
            return;
        }
        periodic.schedule("reminder-" + SOS_HOWTO, nextAfter(cron, ZoneId.of(composer.zone(sos.timeZone()))), at -> {
            try {
                fire(SOS_HOWTO, at);
            } catch (RuntimeException e) {
                LOG.errorf("The /sos how-to reminder for %s failed: %s", at, e);
            }
        });
        LOG.infof("The /sos how-to reminder posts to %s on cron '%s' (%s)", sos.channel(), sos.cron(), sos.timeZone());
    }

    /**
     * The next time of a Quartz cron (seconds first, {@code ?} allowed; what quarkus-scheduler accepted) in
     * {@code zone} strictly after an instant; null when there is none. Throws on a malformed cron.
     */
    static Function<Instant, Instant> nextAfter(String cron, ZoneId zone) {
        ExecutionTime times = ExecutionTime.forCron(
                new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ)).parse(cron));
        return after -> times.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant).orElse(null);
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
