package dev.toban.oncall.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The suite with sign-in matching on (off in the other suites, so their demo people stay as the demo
 * created them): the directory sync and sign-in tests run in it, against the real Keycloak.
 */
public class LoginProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("toban.oncall.directory.sign-in", "true");
    }
}
