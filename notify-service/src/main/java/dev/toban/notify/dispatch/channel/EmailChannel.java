package dev.toban.notify.dispatch.channel;

import dev.toban.notify.dispatch.NewDelivery;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Email over SMTP through the Quarkus Mailer: every message has a text and an HTML part. The
 * Message-ID is set from the delivery id, so the log names the exact mail.
 */
@ApplicationScoped
public class EmailChannel implements NotificationChannel {

    private final Mailer mailer;
    private final String domain;

    public EmailChannel(Mailer mailer,
                        @ConfigProperty(name = "quarkus.mailer.from", defaultValue = "toban@localhost") String from) {
        this.mailer = mailer;
        int at = from.lastIndexOf('@');
        this.domain = at >= 0 ? from.substring(at + 1).replace(">", "").strip() : "toban.local";
    }

    @Override
    public String name() {
        return NewDelivery.EMAIL;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public SendResult send(Outgoing o) {
        String messageId = "<" + o.deliveryId() + "@" + domain + ">";
        try {
            Mail mail = Mail.withText(o.target(), o.message().subject(), o.message().text())
                    .setHtml(o.message().html())
                    .addHeader("Message-ID", messageId)
                    .addHeader("X-Toban-Delivery", o.deliveryId().toString())
                    .addHeader("X-Toban-Event", o.eventType());
            mailer.send(mail);
            return SendResult.sent(messageId, null, null);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getClass().getSimpleName() + ": " + root.getMessage();
            // 5xx SMTP replies reject the address or the message for good; everything else is transient
            if (String.valueOf(root.getMessage()).matches("(?s).*\\b5[0-9][0-9][ -].*")) {
                return SendResult.failed("SMTP refused: " + message);
            }
            return SendResult.retry("SMTP: " + message);
        }
    }
}
