package dev.toban.notify.dispatch;

import dev.toban.contracts.EventType;
import dev.toban.contracts.notify.NotifyContracts;
import dev.toban.notify.model.Delivery;
import dev.toban.plumbing.egress.EgressRefusedException;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Data of {@code toban.notify.delivery.sent} and {@code toban.notify.delivery.failed}: how one delivery of
 * an incident ended, for the incident's timeline ("Sato: Slack DM delivered 10:53:02"). {@code detail} is
 * Toban's own short text (a Slack error code at most), never a secret, an address or what a remote answered.
 *
 * @param person  the person the message was for (a page, a DM, an email), or null (a channel post, a webhook)
 * @param channel slack, email or webhook
 * @param purpose page, thread, postmortem, webhook (as the delivery log says)
 * @param outcome delivered, failed or refused (by the egress policy)
 * @param at      when it was sent, or when it was given up
 */
public record DeliveryOutcome(String deliveryId, String incidentId, PersonRef person, String channel, String purpose,
                              String outcome, Instant at, String detail) {

    public static final String SENT = NotifyContracts.DELIVERY_SENT.name();
    public static final String FAILED = NotifyContracts.DELIVERY_FAILED.name();
    public static final String DELIVERED = "delivered";
    public static final String FAILED_OUTCOME = "failed";
    public static final String REFUSED = "refused";

    private static final Pattern AFTER = Pattern.compile("^(.*) \\(after (\\d+) attempts\\)$", Pattern.DOTALL);
    private static final Pattern SLACK_CODE = Pattern.compile("^Slack: ([a-z_]{1,60})$");
    private static final Pattern SLACK_HTTP = Pattern.compile("^Slack HTTP (\\d{3}).*", Pattern.DOTALL);

    /** How {@code d} ended: sent, or dead with its last error. */
    static DeliveryOutcome of(Delivery d, PersonRef person) {
        boolean sent = Delivery.SENT.equals(d.state);
        String error = d.lastError == null ? "" : d.lastError;
        boolean refused = !sent && error.startsWith(EgressRefusedException.SUMMARY);
        return new DeliveryOutcome(d.id.toString(), d.incidentId.toString(), person, d.channel, d.purpose,
                sent ? DELIVERED : refused ? REFUSED : FAILED_OUTCOME,
                sent && d.sentAt != null ? d.sentAt : d.updatedAt != null ? d.updatedAt : Instant.now(),
                sent ? null : detail(d.channel, error));
    }

    /** The event type for this outcome. */
    EventType<NotifyContracts.DeliveryOutcome> type() {
        return DELIVERED.equals(outcome) ? NotifyContracts.DELIVERY_SENT : NotifyContracts.DELIVERY_FAILED;
    }

    /** The event's data, as the contract has it. */
    NotifyContracts.DeliveryOutcome data() {
        return new NotifyContracts.DeliveryOutcome(PersonRef.uuidOrNull(deliveryId), PersonRef.uuidOrNull(incidentId),
                PersonRef.contract(person), channel, purpose, outcome, at, detail);
    }

    /**
     * A failure in words anyone reading the incident may see. A webhook's answer is for admins only (issue 15),
     * so it is just "failed"; Slack's error codes and HTTP statuses are Slack's public vocabulary.
     */
    static String detail(String channel, String error) {
        Matcher after = AFTER.matcher(error);
        String attempts = null;
        if (after.matches()) {
            error = after.group(1);
            attempts = after.group(2);
        }
        String what;
        if (error.startsWith(EgressRefusedException.SUMMARY)) {
            what = EgressRefusedException.SUMMARY;
        } else if (error.startsWith("the thread parent message")) {
            what = "the thread parent message was not posted";
        } else if (error.equals("the incident thread has no parent message to reply to")) {
            what = error;
        } else if (NewDelivery.SLACK.equals(channel)) {
            Matcher code = SLACK_CODE.matcher(error);
            Matcher http = SLACK_HTTP.matcher(error);
            what = code.matches() ? "Slack: " + code.group(1) : http.matches() ? "Slack HTTP " + http.group(1)
                    : error.startsWith("Slack unreachable") ? "Slack unreachable" : "failed";
        } else if (NewDelivery.EMAIL.equals(channel)) {
            what = error.startsWith("SMTP refused") ? "the mail server refused the message" : "failed";
        } else {
            what = "failed";
        }
        return attempts == null ? what : what + " after " + attempts + " attempts";
    }
}
