package dev.toban.notify.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** notify-service with the Slack sandbox on, as bin/toban up runs it: its Slack API URL and token are the sandbox's. */
public class SandboxProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "toban.slack.bot-token", "xoxb-sandbox",
                "toban.slack.sandbox.signing-secret", FakeSlackApp.SECRET,
                "quarkus.mailer.mock", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SandboxTestResources.class));
    }
}
