package dev.toban.notify.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.UUID;

/** oncall-service's {@code GET /api/people/{id}}: how to reach a person, and when. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PersonDetails(UUID id, String name, String username, String email, String slackUserId, String timeZone,
                            String locale, List<ContactMethod> contactMethods, List<NotificationRule> notificationRules) {

    /**
     * {@code type} is slack (address: Slack user id), email, webhook (address: URL), sms or voice (address:
     * E.164 number) or push (address: ntfy topic URL). {@code approved}: whether an admin approved it; a
     * webhook is only ever called when true (missing counts as not). {@code verified}: whether the person
     * proved it reaches them (a code sent through it); sms, voice and push page only when true.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ContactMethod(UUID id, String type, String address, String label, Boolean approved, Boolean verified) {

        public ContactMethod(UUID id, String type, String address, String label, Boolean approved) {
            this(id, type, address, label, approved, null);
        }
    }

    /**
     * Use {@code contactMethodId} this many minutes after the page starts, for pages of {@code urgency}
     * ({@code high}, {@code low}, or {@code any}; missing counts as any).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NotificationRule(UUID id, UUID contactMethodId, Integer delayMinutes, String urgency) {

        public NotificationRule(UUID id, UUID contactMethodId, Integer delayMinutes) {
            this(id, contactMethodId, delayMinutes, null);
        }

        /** Whether the rule is for a page of {@code pageUrgency}. */
        public boolean appliesTo(String pageUrgency) {
            return urgency == null || "any".equals(urgency) || urgency.equals(pageUrgency);
        }
    }
}
