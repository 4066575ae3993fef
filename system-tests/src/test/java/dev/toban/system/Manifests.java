package dev.toban.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A rendered set of Kubernetes objects (kustomize overlay or Helm chart) and lookups over them. */
final class Manifests {

    static final YAMLMapper YAML = new YAMLMapper();

    final String source;
    final List<ObjectNode> objects;

    private Manifests(String source, List<ObjectNode> objects) {
        this.source = source;
        this.objects = objects;
    }

    /** {@code kubectl kustomize k8s/overlays/<overlay>} with the machine's kubectl. */
    static Manifests kustomize(String overlay) {
        Path dir = root().resolve("k8s/overlays").resolve(overlay);
        return parse("overlay " + overlay, run(List.of("kubectl", "kustomize", dir.toString())));
    }

    static Manifests parse(String source, String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.isObject() && doc.has("kind")) {
                    objects.add((ObjectNode) doc);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse the objects of " + source, e);
        }
        return new Manifests(source, objects);
    }

    static Path root() {
        return ServiceProcess.repositoryRoot();
    }

    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + new String(err, StandardCharsets.UTF_8) + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + " (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<ObjectNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    ObjectNode one(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(source + " has no " + kind + " " + name));
    }

    /** The ConfigMap whose name is {@code name} or {@code name-<kustomize hash>}. */
    ObjectNode configMap(String name) {
        return ofKind("ConfigMap").stream()
                .filter(o -> name(o).equals(name) || name(o).matches(name + "-[a-z0-9]{10}"))
                .findFirst().orElseThrow(() -> new AssertionError(source + " has no ConfigMap " + name));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static String id(JsonNode object) {
        return object.path("kind").asText() + " " + name(object);
    }

    static Map<String, String> labels(JsonNode labelsNode) {
        Map<String, String> labels = new LinkedHashMap<>();
        labelsNode.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    static Map<String, String> podLabels(JsonNode deployment) {
        return labels(deployment.path("spec").path("template").path("metadata").path("labels"));
    }

    /** True if every matchLabels entry is among the labels (matchExpressions are not used by Toban). */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        Map<String, String> wanted = labels(selector.path("matchLabels"));
        return !selector.has("matchExpressions")
                && wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** The Deployments whose pods the selector picks. */
    List<ObjectNode> deploymentsSelectedBy(JsonNode selector) {
        return ofKind("Deployment").stream().filter(d -> selects(selector, podLabels(d))).toList();
    }

    static JsonNode container(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").path(0);
    }
}
