package dev.toban.notify.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.UUID;

/** oncall-service's {@code GET /api/people/{id}}: how to reach a person, and when. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PersonDetails(UUID id, String name, String username, String email, String slackUserId, String timeZone,
                            String locale, List<ContactMethod> contactMethods, List<NotificationRule> notificationRules) {

    /**
     * {@code type} is slack (address: Slack user id), email or webhook (address: URL). {@code approved}:
     * whether an admin approved it; a webhook is only ever called when true (missing counts as not).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ContactMethod(UUID id, String type, String address, String label, Boolean approved) {
    }

    /** Use {@code contactMethodId} this many minutes after the page starts. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NotificationRule(UUID id, UUID contactMethodId, Integer delayMinutes) {
    }
}
