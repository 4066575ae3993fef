package dev.toban.contracts.incident;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** notify-service's parent message of the incident thread; {@code permalink} when Slack gave one. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record SlackThread(String channel, String ts, String permalink) {
}
