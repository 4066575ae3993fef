package dev.toban.contracts.incident;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/** A technical service of the catalog, with what a responder needs first: the runbook and the channel. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceRef(UUID id, String name, String runbookUrl, String slackChannel) {
}
