package dev.toban.postmortem.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.UUID;

/** A team as oncall-service knows it (docs/events.md, TeamRef). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TeamRef(UUID id, String name, String slackChannel, String timeZone) {
}
