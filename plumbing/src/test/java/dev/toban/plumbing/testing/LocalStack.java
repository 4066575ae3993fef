package dev.toban.plumbing.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings of the local stack that {@code bin/toban} prepared: environment first, then the
 * generated {@code .toban/secrets.env} found by walking up from the working directory.
 */
public final class LocalStack {

    private static final Map<String, String> FILE = load();

    private LocalStack() {
    }

    public static String get(String name, String fallback) {
        String env = System.getenv(name);
        if (env != null && !env.isBlank()) {
            return env;
        }
        String prop = System.getProperty(name);
        if (prop != null && !prop.isBlank()) {
            return prop;
        }
        return FILE.getOrDefault(name, fallback);
    }

    public static String keycloakUrl() {
        return get("KEYCLOAK_URL", "http://localhost:8180");
    }

    public static String demoPassword() {
        String password = get("TOBAN_DEMO_PASSWORD", null);
        if (password == null) {
            throw new IllegalStateException("TOBAN_DEMO_PASSWORD is not set: run bin/toban stack (or bin/toban test) first");
        }
        return password;
    }

    private static Map<String, String> load() {
        Map<String, String> values = new HashMap<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(".toban/secrets.env");
            if (Files.isRegularFile(file)) {
                try {
                    for (String line : Files.readAllLines(file)) {
                        int eq = line.indexOf('=');
                        if (eq > 0 && !line.startsWith("#")) {
                            values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot read " + file, e);
                }
                break;
            }
        }
        return values;
    }
}
