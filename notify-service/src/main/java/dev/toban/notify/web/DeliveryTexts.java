package dev.toban.notify.web;

import dev.toban.plumbing.egress.EgressRefusedException;
import dev.toban.plumbing.web.PageContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Toban's own texts in the delivery log (why a delivery was cancelled, skipped or failed) in the page
 * language. What a provider answered (a Slack error code, an SMTP reply) is shown as it came.
 */
final class DeliveryTexts {

    private static final Pattern INCIDENT_MOVED = Pattern.compile("the incident is (\\w+) \\(toban\\.incident\\.\\w+\\)");
    private static final Pattern PARENT_NOT_POSTED = Pattern.compile("the thread parent message \\(delivery [0-9a-f-]{36}\\) was not posted");
    private static final Pattern PARENT_SHOWS = Pattern.compile("the parent already shows version \\d+");
    private static final Pattern AFTER_ATTEMPTS = Pattern.compile("^(.*) \\(after (\\d+) attempts\\)$", Pattern.DOTALL);

    private DeliveryTexts() {
    }

    static String error(PageContext ctx, String error) {
        if (error == null || error.isBlank()) {
            return null;
        }
        Matcher after = AFTER_ATTEMPTS.matcher(error);
        if (after.matches()) {
            return error(ctx, after.group(1)) + " " + ctx.t("deliveries.error.afterAttempts").replace("{0}", after.group(2));
        }
        if (error.equals("failed")) {
            return ctx.t("deliveries.error.failed");
        }
        if (error.equals(EgressRefusedException.SUMMARY)) {
            return ctx.t("deliveries.error.refused");
        }
        if (error.startsWith(EgressRefusedException.SUMMARY + ": ")) {
            return ctx.t("deliveries.error.refused") + ": " + error.substring(EgressRefusedException.SUMMARY.length() + 2);
        }
        Matcher moved = INCIDENT_MOVED.matcher(error);
        if (moved.matches()) {
            return ctx.t("deliveries.error.incidentMoved").replace("{0}", ctx.t("deliveries.incidentState." + moved.group(1)));
        }
        if (PARENT_NOT_POSTED.matcher(error).matches()) {
            return ctx.t("deliveries.error.parentNotPosted");
        }
        if (PARENT_SHOWS.matcher(error).matches()) {
            return ctx.t("deliveries.error.parentCurrent");
        }
        return switch (error) {
            case "the thread parent was skipped" -> ctx.t("deliveries.error.parentSkipped");
            case "the thread parent was cancelled" -> ctx.t("deliveries.error.parentCancelled");
            case "the incident thread has no parent message to reply to" -> ctx.t("deliveries.error.noParent");
            case "the instance sending it stopped; outcome unknown" -> ctx.t("deliveries.error.stale");
            case "email is not configured", "webhook is not configured" -> ctx.t("deliveries.error.notConfigured");
            default -> error.startsWith("Slack is off:") ? ctx.t("deliveries.error.slackOff")
                    : error.startsWith("rate limited: ") ? ctx.t("deliveries.error.rateLimited")
                    : error.matches("(sms|voice) has no provider configured.*") || error.startsWith("push is off")
                    ? ctx.t("deliveries.error.notConfigured") : error;
        };
    }
}
