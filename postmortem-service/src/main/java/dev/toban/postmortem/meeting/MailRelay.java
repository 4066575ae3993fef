package dev.toban.postmortem.meeting;

import dev.toban.postmortem.config.PostmortemConfig;
import dev.toban.postmortem.model.OutgoingMail;
import dev.toban.postmortem.model.OutgoingMailRepository;
import dev.toban.plumbing.jobs.JobSpec;
import dev.toban.plumbing.jobs.Jobs;
import dev.toban.plumbing.jobs.Next;
import dev.toban.plumbing.jobs.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends queued invitation emails over SMTP. Rows are locked with {@code FOR UPDATE SKIP LOCKED},
 * so replicas never send the same row at once; a crash after the SMTP answer and before the commit
 * sends that email again (calendar clients apply it once: same UID and SEQUENCE). Failures are
 * retried with exponential backoff up to {@code toban.postmortem.invitations.max-attempts}.
 */
@ApplicationScoped
public class MailRelay {

    private static final Logger LOG = Logger.getLogger(MailRelay.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(30);

    private final OutgoingMailRepository mails;
    private final Mailer mailer;
    private final PostmortemConfig.Invitations config;
    private final Counter sent;
    private final Counter failed;
    private final Worker worker;

    public MailRelay(OutgoingMailRepository mails, Mailer mailer, PostmortemConfig config, MeterRegistry meters,
                     Jobs jobs) {
        this.mails = mails;
        this.mailer = mailer;
        this.config = config.invitations();
        this.sent = meters.counter("toban.postmortem.mail.sent");
        this.failed = meters.counter("toban.postmortem.mail.failures");
        // sleeps until the next retry is due, a commit that queued mail, or the idle cap (mail-every)
        this.worker = jobs.define(JobSpec.pass("mail-relay", this::pass)
                .idleCap(DurationConverter.parseDuration(config.jobs().mailEvery())));
    }

    void start(@Observes StartupEvent event) {
        worker.start();
    }

    /** Sends the queued mails soon after the current transaction commits. */
    public void wakeAfterCommit() {
        worker.wakeAfterCommit();
    }

    private Next pass() {
        drain();
        return Next.at(QuarkusTransaction.requiringNew().call(() -> mails.nextAttempt(config.maxAttempts())));
    }

    /** Sends everything due; returns how many emails went out. */
    public int drain() {
        int total = 0;
        while (true) {
            int[] result = QuarkusTransaction.requiringNew().call(this::sendBatch);
            total += result[0];
            if (result[0] == 0 || result[1] < config.batchSize()) {
                return total;
            }
        }
    }

    /** [sent, looked at] */
    int[] sendBatch() {
        Instant now = Instant.now();
        List<OutgoingMail> due = mails.lockDue(now, config.maxAttempts(), config.batchSize());
        int ok = 0;
        for (OutgoingMail mail : due) {
            mail.attempts++;
            try {
                mailer.send(toMail(mail));
                mail.sentAt = Instant.now();
                mail.lastError = null;
                sent.increment();
                ok++;
            } catch (RuntimeException e) {
                failed.increment();
                mail.lastError = abbreviate(e.toString());
                mail.nextAttemptAt = now.plus(backoff(mail.attempts));
                if (mail.attempts >= config.maxAttempts()) {
                    LOG.errorf("Giving up on %s invitation %s to %s after %d attempts: %s", mail.method, mail.id,
                            mail.recipient, mail.attempts, e.toString());
                } else {
                    LOG.warnf("Sending %s invitation %s to %s failed (attempt %d): %s", mail.method, mail.id,
                            mail.recipient, mail.attempts, e.toString());
                }
            }
        }
        return new int[] {ok, due.size()};
    }

    static Duration backoff(int attempts) {
        Duration delay = Duration.ofSeconds(15L << Math.min(attempts - 1, 10));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    static Mail toMail(OutgoingMail mail) {
        String contentType = "text/calendar; charset=UTF-8; method=" + mail.method;
        return Mail.withText(mail.recipient, mail.subject, mail.textBody)
                .setHtml(mail.htmlBody)
                .addAttachment("invite.ics", mail.ics.getBytes(StandardCharsets.UTF_8), contentType)
                .addHeader("X-Toban-Postmortem", mail.postmortemId.toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
