package dev.toban.notify.paging;

import dev.toban.notify.client.PersonDetails;
import dev.toban.notify.dispatch.NewDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a person's notification rules into page steps: each rule is one message on one contact
 * method after its delay. Without rules (oncall-service down, or none configured) the fallback is
 * a Slack DM now and an email later, from the PersonRef in the event. A webhook contact method is
 * used only once an admin approved it: a person's own URL is a request Toban makes on their behalf.
 * The waking methods (sms, voice, push) are used only once verified, and only for high-urgency pages:
 * a low-urgency page uses the person's other rules even when a waking rule says "any".
 */
public final class PagePlanner {

    /**
     * One page step.
     *
     * @param channel slack, email, webhook, sms, voice or push
     * @param address Slack user id, email address, webhook URL, E.164 number or ntfy topic URL
     * @param step    stable name of the step, unique per person and page (rule id or fallback name)
     */
    public record Step(String channel, String address, Duration delay, String step) {
    }

    /** The person as the event carries them. */
    public record Ref(UUID id, String name, String email, String slackUserId) {
    }

    public static final String HIGH = "high";
    public static final String LOW = "low";

    private PagePlanner() {
    }

    /**
     * @param slackOn whether Slack is configured; without it the fallback email goes at once
     */
    public static List<Step> plan(Ref ref, PersonDetails details, Duration fallbackEmailDelay, boolean slackOn) {
        return plan(ref, details, fallbackEmailDelay, slackOn, HIGH);
    }

    /**
     * @param urgency {@link #HIGH} or {@link #LOW}: only the person's rules for that urgency (or any) are used;
     *                without one, the fallback
     */
    public static List<Step> plan(Ref ref, PersonDetails details, Duration fallbackEmailDelay, boolean slackOn,
                                  String urgency) {
        List<Step> steps = new ArrayList<>();
        if (details != null && details.notificationRules() != null && details.contactMethods() != null) {
            Map<UUID, PersonDetails.ContactMethod> methods = details.contactMethods().stream()
                    .filter(m -> m.id() != null)
                    .collect(Collectors.toMap(PersonDetails.ContactMethod::id, Function.identity(), (a, b) -> a));
            for (PersonDetails.NotificationRule rule : details.notificationRules()) {
                if (!rule.appliesTo(urgency)) {
                    continue;
                }
                PersonDetails.ContactMethod method = methods.get(rule.contactMethodId());
                if (method == null || method.address() == null || method.address().isBlank()) {
                    continue;
                }
                if ("webhook".equals(method.type()) && !Boolean.TRUE.equals(method.approved())) {
                    continue; // not approved (or oncall-service did not say): never called
                }
                String channel = switch (method.type() == null ? "" : method.type()) {
                    case "slack" -> NewDelivery.SLACK;
                    case "email" -> NewDelivery.EMAIL;
                    case "webhook" -> NewDelivery.WEBHOOK;
                    case "sms" -> NewDelivery.SMS;
                    case "voice" -> NewDelivery.VOICE;
                    case "push" -> NewDelivery.PUSH;
                    default -> null;
                };
                if (channel == null) {
                    continue;
                }
                boolean waking = NewDelivery.WAKING.contains(channel);
                if (waking ? !Boolean.TRUE.equals(method.verified()) : Boolean.FALSE.equals(method.verified())) {
                    continue; // a waking method unproven (or oncall-service did not say), or any method known not to work
                }
                if (waking && !HIGH.equals(urgency)) {
                    continue; // low urgency never wakes anyone
                }
                int minutes = rule.delayMinutes() == null ? 0 : Math.max(0, rule.delayMinutes());
                String id = rule.id() != null ? rule.id().toString() : method.id() + "+" + minutes;
                steps.add(new Step(channel, method.address().strip(), Duration.ofMinutes(minutes), "rule:" + id));
            }
        }
        if (steps.isEmpty()) {
            String slack = details != null && notBlank(details.slackUserId()) ? details.slackUserId() : ref.slackUserId();
            String email = details != null && notBlank(details.email()) ? details.email() : ref.email();
            if (notBlank(slack)) {
                steps.add(new Step(NewDelivery.SLACK, slack, Duration.ZERO, "fallback:slack"));
            }
            if (notBlank(email)) {
                steps.add(new Step(NewDelivery.EMAIL, email, notBlank(slack) && slackOn ? fallbackEmailDelay : Duration.ZERO,
                        "fallback:email"));
            }
        }
        steps.sort(Comparator.comparing(Step::delay));
        return steps;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
