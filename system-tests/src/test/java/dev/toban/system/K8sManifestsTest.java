package dev.toban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Toban's Kubernetes deployment, proven valid without a cluster: the kustomize overlays and the Helm
 * chart are rendered, every object is validated against the JSON Schemas in {@code k8s/schemas}, and
 * the rules Toban relies on are checked (probes, resources, a non-root read-only container, pinned
 * images, selectors that select, Secrets by name only, one realm, quorum queues).
 */
class K8sManifestsTest {

    static final List<String> SERVICES = List.of("oncall-service", "incident-service", "notify-service", "postmortem-service");
    static final ObjectMapper JSON = new ObjectMapper();
    static final SchemaCatalog SCHEMAS = SchemaCatalog.inRepository();

    /** What differs between the dev and prod renderings. */
    record Sizing(int minServiceReplicas, int maxServiceReplicas, int rabbitReplicas, int postgresInstances) {
        static Sizing of(String overlay) {
            return "dev".equals(overlay) ? new Sizing(1, 1, 1, 1) : new Sizing(2, Integer.MAX_VALUE, 3, 3);
        }
    }

    // ------------------------------------------------------------------ generated files

    @Test
    void generatedFilesMatchTheirSources() {
        // the services' target/kubernetes come from this reactor build; the realm from keycloak/
        String out = Manifests.run(List.of("bash", Manifests.root().resolve("k8s/generate.sh").toString(), "--check"));
        assertFalse(out.contains("stale"), out);
    }

    // ------------------------------------------------------------------ kustomize

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-native"})
    void overlayObjectsMatchTheirSchemas(String overlay) {
        Manifests manifests = Manifests.kustomize(overlay);
        assertEquals(List.of(), schemaViolations(manifests));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-native"})
    void overlayKeepsTobansRules(String overlay) {
        Manifests manifests = Manifests.kustomize(overlay);
        assertEquals(List.of(), ruleViolations(manifests, Sizing.of(overlay)));
    }

    @Test
    void prodRunsEverythingTwiceOrMore() {
        Manifests prod = Manifests.kustomize("prod");
        for (String service : List.of("oncall-service", "postmortem-service")) {
            assertEquals(2, prod.one("Deployment", service).path("spec").path("replicas").asInt(), service);
        }
        for (String service : List.of("incident-service", "notify-service")) {
            assertFalse(prod.one("Deployment", service).path("spec").has("replicas"), service + " is scaled by its HPA");
            assertEquals(2, prod.one("HorizontalPodAutoscaler", service).path("spec").path("minReplicas").asInt());
        }
        assertEquals(3, prod.one("RabbitmqCluster", "toban-rabbitmq").path("spec").path("replicas").asInt());
        assertEquals(3, prod.one("Cluster", "toban-db").path("spec").path("instances").asInt());
        assertEquals(2, prod.one("Keycloak", "toban-keycloak").path("spec").path("instances").asInt());
    }

    // ------------------------------------------------------------------ Helm

    @Test
    void helmChartLintsClean() {
        LintResult lint = new Helm(chart()).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values-dev.yaml"})
    void helmChartRendersValidObjects(String values) {
        Manifests manifests = helm(values);
        assertEquals(List.of(), schemaViolations(manifests));
        assertEquals(List.of(), ruleViolations(manifests, values.contains("dev") ? Sizing.of("dev") : Sizing.of("prod")));
    }

    /** The chart is kept by hand: it must deploy what quarkus-kubernetes generated, as the prod overlay does. */
    @Test
    void helmChartDeploysWhatTheProdOverlayDeploys() {
        Manifests chart = helm("values.yaml");
        Manifests prod = Manifests.kustomize("prod");
        assertEquals(objectIds(prod), objectIds(chart), "the same objects");
        for (String service : SERVICES) {
            JsonNode fromChart = chart.one("Deployment", service);
            JsonNode fromOverlay = prod.one("Deployment", service);
            assertEquals(comparable(fromOverlay), comparable(fromChart), service);
            assertEquals(fromOverlay.path("spec").path("replicas"), fromChart.path("spec").path("replicas"), service);
            assertEquals(comparableService(prod.one("Service", service)), comparableService(chart.one("Service", service)));
        }
        assertEquals(prod.configMap("toban-config").path("data"), chart.configMap("toban-config").path("data"));
        assertEquals(prod.one("Cluster", "toban-db").path("spec"), chart.one("Cluster", "toban-db").path("spec"));
        assertEquals(prod.one("RabbitmqCluster", "toban-rabbitmq").path("spec"),
                chart.one("RabbitmqCluster", "toban-rabbitmq").path("spec"));
        assertEquals(prod.one("Keycloak", "toban-keycloak").path("spec"), chart.one("Keycloak", "toban-keycloak").path("spec"));
        assertEquals(prod.one("KeycloakRealmImport", "toban-realm").path("spec"),
                chart.one("KeycloakRealmImport", "toban-realm").path("spec"));
        assertEquals(prod.one("Ingress", "toban").path("spec"), chart.one("Ingress", "toban").path("spec"));
        for (JsonNode policy : prod.ofKind("NetworkPolicy")) {
            assertEquals(policy.path("spec"), chart.one("NetworkPolicy", Manifests.name(policy)).path("spec"), Manifests.id(policy));
        }
    }

    /** image.flavor=native (chart) and the prod-native overlay run the native images with the native resources. */
    @Test
    void theNativeFlavorRunsNativeImagesWithTheirOwnResources() {
        String yaml = new Helm(chart()).template().withName("toban").withNamespace("toban")
                .withValuesFile(chart().resolve("values.yaml")).set("image.flavor", "native").call();
        Manifests chart = Manifests.parse("chart with image.flavor=native", yaml);
        assertEquals(List.of(), schemaViolations(chart));
        assertEquals(List.of(), ruleViolations(chart, Sizing.of("prod")));
        Manifests overlay = Manifests.kustomize("prod-native");
        Manifests jvm = Manifests.kustomize("prod");
        for (String service : SERVICES) {
            JsonNode c = Manifests.container(chart.one("Deployment", service));
            assertTrue(c.path("image").asText().endsWith("-native"), c.path("image").asText());
            assertEquals("384Mi", c.path("resources").path("limits").path("memory").asText(), service);
            assertEquals(comparable(overlay.one("Deployment", service)), comparable(chart.one("Deployment", service)), service);
            assertNotEquals(Manifests.container(jvm.one("Deployment", service)).path("resources"), c.path("resources"),
                    service + ": the JVM's resources differ");
        }
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new Helm(chart()).template().withName("toban").set("image.flavor", "graal").call());
        assertTrue(refused.getMessage().contains("jvm or native"), refused.getMessage());
    }

    @Test
    void helmRefusesTheLatestTag() {
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new Helm(chart()).template().withName("toban").set("image.tag", "latest").call());
        assertTrue(refused.getMessage().contains("not latest"), refused.getMessage());
    }

    // ------------------------------------------------------------------ the validation itself

    /** Guards against a validator that passes everything: a misspelt field and a wrong type must fail. */
    @Test
    void schemasRejectMisspeltFieldsAndWrongTypes() throws IOException {
        ObjectNode deployment = Manifests.kustomize("dev").one("Deployment", "oncall-service").deepCopy();
        assertEquals(List.of(), SCHEMAS.violations(deployment));
        ObjectNode container = (ObjectNode) Manifests.container(deployment);
        container.set("readinesProbe", container.get("readinessProbe"));
        ((ObjectNode) container.path("ports").path(0)).put("containerPort", "eighty");
        List<String> violations = SCHEMAS.violations(deployment);
        assertTrue(violations.stream().anyMatch(v -> v.contains("readinesProbe")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("containerPort")), violations.toString());

        ObjectNode cluster = Manifests.kustomize("dev").one("Cluster", "toban-db").deepCopy();
        ((ObjectNode) cluster.path("spec")).put("instances", "three");
        assertFalse(SCHEMAS.violations(cluster).isEmpty(), "CloudNativePG's schema is applied");
    }

    /** The same for the operators' kinds, whose schemas come from their CRDs in k8s/schemas/crds. */
    @Test
    void operatorSchemasRejectMisspeltFieldsAndWrongTypes() {
        Manifests dev = Manifests.kustomize("dev");

        ObjectNode rabbit = dev.one("RabbitmqCluster", "toban-rabbitmq").deepCopy();
        assertEquals(List.of(), SCHEMAS.violations(rabbit));
        ObjectNode rabbitSpec = (ObjectNode) rabbit.path("spec");
        rabbitSpec.put("replicas", "three");
        ((ObjectNode) rabbitSpec.path("persistence")).set("storageClass", rabbitSpec.path("persistence").path("storage"));
        assertViolations(rabbit, "replicas", "storageClass");

        ObjectNode keycloak = dev.one("Keycloak", "toban-keycloak").deepCopy();
        assertEquals(List.of(), SCHEMAS.violations(keycloak));
        ObjectNode keycloakSpec = (ObjectNode) keycloak.path("spec");
        keycloakSpec.put("instances", "two");
        ((ObjectNode) keycloakSpec.path("hostname")).put("backchannelDynamc", true);
        assertViolations(keycloak, "instances", "backchannelDynamc");

        ObjectNode realmImport = dev.one("KeycloakRealmImport", "toban-realm").deepCopy();
        assertEquals(List.of(), SCHEMAS.violations(realmImport));
        ObjectNode realm = (ObjectNode) realmImport.path("spec").path("realm");
        realm.put("enabled", "yes");
        ((ObjectNode) realm.path("clients").path(0)).put("redirectUri", "/*");
        assertViolations(realmImport, "enabled", "redirectUri");
    }

    static void assertViolations(ObjectNode object, String... fields) {
        List<String> violations = SCHEMAS.violations(object);
        for (String field : fields) {
            assertTrue(violations.stream().anyMatch(v -> v.contains(field)), field + " not reported: " + violations);
        }
    }

    // ------------------------------------------------------------------ rules

    static List<String> schemaViolations(Manifests manifests) {
        return manifests.objects.stream().flatMap(o -> SCHEMAS.violations(o).stream()).toList();
    }

    static List<String> ruleViolations(Manifests m, Sizing sizing) {
        List<String> v = new ArrayList<>();
        deployments(m, sizing, v);
        services(m, v);
        availability(m, sizing, v);
        networkPolicies(m, v);
        secretsByNameOnly(m, v);
        publicUrls(m, v);
        backingServices(m, sizing, v);
        realm(m, v);
        return v;
    }

    static void deployments(Manifests m, Sizing sizing, List<String> v) {
        Set<String> names = m.ofKind("Deployment").stream().map(Manifests::name).collect(Collectors.toSet());
        if (!names.equals(Set.copyOf(SERVICES))) {
            v.add("Deployments " + names + " are not the four services");
        }
        for (JsonNode d : m.ofKind("Deployment")) {
            String id = Manifests.id(d);
            JsonNode pod = d.path("spec").path("template").path("spec");
            JsonNode c = Manifests.container(d);
            // pages and APIs on "http"; health and metrics on "management" (Quarkus's management interface)
            Map<String, Integer> ports = new HashMap<>();
            c.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
            if (!ports.containsKey("http") || !ports.containsKey("management")) {
                v.add(id + ": the container must name its ports http and management, not " + ports.keySet());
            }
            int management = ports.getOrDefault("management", -1);
            Map<String, String> probes = Map.of("livenessProbe", "/q/health/live", "readinessProbe", "/q/health/ready",
                    "startupProbe", "/q/health/started");
            probes.forEach((probe, path) -> {
                JsonNode get = c.path(probe).path("httpGet");
                if (!path.equals(get.path("path").asText()) || get.path("port").asInt() != management) {
                    v.add(id + ": " + probe + " is not GET " + path + " on the management port " + management);
                }
            });
            String scraped = d.path("spec").path("template").path("metadata").path("annotations").path("prometheus.io/port").asText();
            if (!String.valueOf(management).equals(scraped)) {
                v.add(id + ": Prometheus must scrape the management port " + management + ", not " + scraped);
            }
            for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (c.path("resources").path(kind).path(resource).asText().isEmpty()) {
                        v.add(id + ": no resources." + kind + "." + resource);
                    }
                }
            }
            JsonNode podSecurity = pod.path("securityContext");
            if (!podSecurity.path("runAsNonRoot").asBoolean() || podSecurity.path("runAsUser").asInt(0) == 0) {
                v.add(id + ": pod must run as a non-root user");
            }
            JsonNode security = c.path("securityContext");
            if (!security.path("readOnlyRootFilesystem").asBoolean() || !security.has("allowPrivilegeEscalation")
                    || security.path("allowPrivilegeEscalation").asBoolean()
                    || !security.path("capabilities").path("drop").toString().contains("ALL")) {
                v.add(id + ": container must have a read-only root filesystem, no privilege escalation, no capabilities");
            }
            if (pod.path("automountServiceAccountToken").asBoolean(true)) {
                v.add(id + ": the service account token must not be mounted");
            }
            boolean tmp = StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
                    .anyMatch(mount -> "/tmp".equals(mount.path("mountPath").asText()))
                    && StreamSupport.stream(pod.path("volumes").spliterator(), false).anyMatch(vol -> vol.has("emptyDir"));
            if (!tmp) {
                v.add(id + ": /tmp must be a writable emptyDir (the root filesystem is read-only)");
            }
            String image = c.path("image").asText();
            Matcher tag = Pattern.compile("^ghcr\\.io/toban/" + Pattern.quote(Manifests.name(d)) + ":([\\w.-]+)$").matcher(image);
            if (!tag.matches() || "latest".equals(tag.group(1))) {
                v.add(id + ": image " + image + " must be ghcr.io/toban/<service>:<version>, not latest");
            }
            if (!"true".equals(d.path("spec").path("template").path("metadata").path("annotations").path("prometheus.io/scrape").asText())) {
                v.add(id + ": pods must carry the Prometheus scrape annotations");
            }
            boolean autoscaled = m.ofKind("HorizontalPodAutoscaler").stream()
                    .anyMatch(h -> Manifests.name(d).equals(h.path("spec").path("scaleTargetRef").path("name").asText()));
            if (autoscaled == d.path("spec").has("replicas")) {
                v.add(id + (autoscaled ? ": scaled by an HPA, so it must not set replicas" : ": must set replicas"));
            }
            int replicas = d.path("spec").path("replicas").asInt();
            if (!autoscaled && (replicas < sizing.minServiceReplicas() || replicas > sizing.maxServiceReplicas())) {
                v.add(id + ": " + replicas + " replicas, expected " + sizing);
            }
            if (!"0".equals(d.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asText())) {
                v.add(id + ": rolling updates must keep every replica serving (maxUnavailable 0)");
            }
        }
    }

    static void services(Manifests m, List<String> v) {
        for (JsonNode s : m.ofKind("Service")) {
            Map<String, String> selector = Manifests.labels(s.path("spec").path("selector"));
            List<ObjectNode> targets = m.ofKind("Deployment").stream()
                    .filter(d -> Manifests.podLabels(d).entrySet().containsAll(selector.entrySet())).toList();
            if (targets.size() != 1) {
                v.add(Manifests.id(s) + ": selects " + targets.size() + " Deployments");
                continue;
            }
            JsonNode ports = Manifests.container(targets.get(0)).path("ports");
            for (JsonNode port : s.path("spec").path("ports")) {
                JsonNode target = port.path("targetPort");
                boolean found = StreamSupport.stream(ports.spliterator(), false).anyMatch(p -> target.isInt()
                        ? p.path("containerPort").asInt() == target.asInt() : p.path("name").asText().equals(target.asText()));
                if (!found) {
                    v.add(Manifests.id(s) + ": targetPort " + target + " is not a container port of " + Manifests.id(targets.get(0)));
                }
            }
        }
        for (JsonNode ingress : m.ofKind("Ingress")) {
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                for (JsonNode path : rule.path("http").path("paths")) {
                    String backend = path.path("backend").path("service").path("name").asText();
                    boolean keycloak = m.ofKind("Keycloak").stream().anyMatch(k -> backend.equals(Manifests.name(k) + "-service"));
                    if (m.find("Service", backend).isEmpty() && !keycloak) {
                        v.add(Manifests.id(ingress) + ": host " + rule.path("host").asText() + " goes to unknown Service " + backend);
                    }
                }
            }
        }
    }

    static void availability(Manifests m, Sizing sizing, List<String> v) {
        for (String service : SERVICES) {
            List<ObjectNode> budgets = m.ofKind("PodDisruptionBudget").stream()
                    .filter(p -> m.deploymentsSelectedBy(p.path("spec").path("selector")).stream()
                            .anyMatch(d -> service.equals(Manifests.name(d)))).toList();
            if (budgets.size() != 1) {
                v.add(service + ": " + budgets.size() + " PodDisruptionBudgets, expected one");
            }
        }
        for (JsonNode pdb : m.ofKind("PodDisruptionBudget")) {
            if (m.deploymentsSelectedBy(pdb.path("spec").path("selector")).size() != 1) {
                v.add(Manifests.id(pdb) + ": must select exactly one Deployment");
            }
        }
        Set<String> scaled = new TreeSet<>();
        for (JsonNode hpa : m.ofKind("HorizontalPodAutoscaler")) {
            JsonNode spec = hpa.path("spec");
            String target = spec.path("scaleTargetRef").path("name").asText();
            if (m.find("Deployment", target).isEmpty() || !"Deployment".equals(spec.path("scaleTargetRef").path("kind").asText())) {
                v.add(Manifests.id(hpa) + ": scales unknown Deployment " + target);
            }
            scaled.add(target);
            int min = spec.path("minReplicas").asInt();
            int max = spec.path("maxReplicas").asInt();
            if (min < sizing.minServiceReplicas() || min > max || (sizing.maxServiceReplicas() == 1 && max != 1)) {
                v.add(Manifests.id(hpa) + ": min " + min + " max " + max + " do not fit " + sizing);
            }
        }
        if (!scaled.equals(new TreeSet<>(List.of("incident-service", "notify-service")))) {
            v.add("autoscaled Deployments are " + scaled + ", expected incident-service and notify-service");
        }
    }

    static void networkPolicies(Manifests m, List<String> v) {
        // pods the operators create, by the labels they put on them
        List<Map<String, String>> backingPods = new ArrayList<>();
        m.ofKind("Cluster").forEach(c -> backingPods.add(Map.of("cnpg.io/cluster", Manifests.name(c))));
        m.ofKind("RabbitmqCluster").forEach(r -> backingPods.add(Map.of("app.kubernetes.io/name", Manifests.name(r))));
        m.ofKind("Keycloak").forEach(k -> backingPods.add(Map.of("app.kubernetes.io/instance", Manifests.name(k))));
        Set<String> selectedSomewhere = new HashSet<>();
        for (JsonNode policy : m.ofKind("NetworkPolicy")) {
            String id = Manifests.id(policy);
            List<ObjectNode> selected = m.deploymentsSelectedBy(policy.path("spec").path("podSelector"));
            if (selected.isEmpty()) {
                v.add(id + ": selects no pod");
            }
            selected.forEach(d -> selectedSomewhere.add(Manifests.name(d)));
            for (String direction : List.of("ingress", "egress")) {
                for (JsonNode rule : policy.path("spec").path(direction)) {
                    for (JsonNode peer : rule.path(direction.equals("ingress") ? "from" : "to")) {
                        if (peer.has("podSelector") && !peer.has("namespaceSelector")) {
                            JsonNode selector = peer.path("podSelector");
                            boolean matches = !m.deploymentsSelectedBy(selector).isEmpty()
                                    || backingPods.stream().anyMatch(labels -> Manifests.selects(selector, labels));
                            if (!matches) {
                                v.add(id + ": " + direction + " peer " + selector + " selects no pod of this deployment");
                            }
                        }
                    }
                    boolean fromMonitoring = direction.equals("ingress") && StreamSupport.stream(rule.path("from").spliterator(), false)
                            .anyMatch(peer -> peer.path("namespaceSelector").toString().contains("monitoring"));
                    boolean toManagement = StreamSupport.stream(rule.path("ports").spliterator(), false)
                            .anyMatch(port -> "management".equals(port.path("port").asText()));
                    if (fromMonitoring != toManagement && direction.equals("ingress")) {
                        v.add(id + ": only the monitoring namespace may reach the management port, and only that port");
                    }
                    for (JsonNode port : rule.path("ports")) {
                        if (port.path("port").isTextual() && selected.stream().noneMatch(d -> StreamSupport.stream(
                                Manifests.container(d).path("ports").spliterator(), false)
                                .anyMatch(p -> p.path("name").asText().equals(port.path("port").asText())))) {
                            v.add(id + ": named port " + port.path("port").asText() + " is not on the selected pods");
                        }
                    }
                }
            }
        }
        if (!selectedSomewhere.containsAll(SERVICES)) {
            v.add("NetworkPolicies leave services unrestricted: " + selectedSomewhere);
        }
        boolean defaultDeny = m.ofKind("NetworkPolicy").stream().anyMatch(p -> p.path("spec").path("policyTypes").size() == 2
                && !p.path("spec").has("ingress") && !p.path("spec").has("egress")
                && m.deploymentsSelectedBy(p.path("spec").path("podSelector")).size() == SERVICES.size());
        if (!defaultDeny) {
            v.add("no default-deny NetworkPolicy over the four services");
        }
    }

    /** Every Secret is referenced by name; none carries a secret value; each is created in docs/deploy.md. */
    static void secretsByNameOnly(Manifests m, List<String> v) {
        Set<String> referenced = new TreeSet<>();
        for (JsonNode d : m.ofKind("Deployment")) {
            JsonNode c = Manifests.container(d);
            c.path("env").forEach(e -> {
                if (e.path("valueFrom").has("secretKeyRef")) {
                    referenced.add(e.path("valueFrom").path("secretKeyRef").path("name").asText());
                }
                if (e.has("value") && e.path("name").asText().matches(".*(PASSWORD|SECRET|TOKEN|KEY).*")) {
                    v.add(Manifests.id(d) + ": " + e.path("name").asText() + " has a value in the manifest");
                }
            });
            c.path("envFrom").forEach(e -> {
                if (e.has("secretRef")) {
                    referenced.add(e.path("secretRef").path("name").asText());
                }
            });
        }
        m.ofKind("Cluster").forEach(c -> c.path("spec").path("managed").path("roles")
                .forEach(r -> referenced.add(r.path("passwordSecret").path("name").asText())));
        m.ofKind("Keycloak").forEach(k -> {
            referenced.add(k.path("spec").path("db").path("usernameSecret").path("name").asText());
            referenced.add(k.path("spec").path("db").path("passwordSecret").path("name").asText());
            referenced.add(k.path("spec").path("bootstrapAdmin").path("user").path("secret").asText());
        });
        m.ofKind("KeycloakRealmImport").forEach(r -> r.path("spec").path("placeholders")
                .forEach(p -> referenced.add(p.path("secret").path("name").asText())));
        m.ofKind("Ingress").forEach(i -> i.path("spec").path("tls").forEach(t -> referenced.add(t.path("secretName").asText())));

        Set<String> rendered = m.ofKind("Secret").stream().map(Manifests::name).collect(Collectors.toSet());
        Set<String> byOperators = m.ofKind("RabbitmqCluster").stream().map(r -> Manifests.name(r) + "-default-user")
                .collect(Collectors.toSet());
        String deployDoc = read(Manifests.root().resolve("docs/deploy.md"));
        for (String name : referenced) {
            boolean documented = Pattern.compile("kubectl (-n \\S+ )?create secret \\S+ " + Pattern.quote(name) + "\\b")
                    .matcher(deployDoc).find();
            if (!rendered.contains(name) && !byOperators.contains(name) && !documented) {
                v.add("Secret " + name + " is referenced but neither rendered, made by an operator, nor created in docs/deploy.md");
            }
        }
        for (JsonNode secret : m.ofKind("Secret")) {
            JsonNode data = secret.has("stringData") ? secret.path("stringData") : secret.path("data");
            data.properties().forEach(e -> {
                String value = secret.has("stringData") ? e.getValue().asText()
                        : new String(java.util.Base64.getDecoder().decode(e.getValue().asText()));
                if (!value.matches("https?://[\\w.-]+(:\\d+)?")) {
                    v.add(Manifests.id(secret) + ": " + e.getKey() + " is not a public URL; secret values never go in the repository");
                }
            });
        }
    }

    /** The same public URLs in the services' settings, the realm's redirect URIs, the Ingress and Keycloak. */
    static void publicUrls(Manifests m, List<String> v) {
        JsonNode config = m.configMap("toban-config").path("data");
        JsonNode realmUrls = m.one("Secret", "toban-realm-urls");
        Map<String, String> urls = new java.util.TreeMap<>();
        JsonNode data = realmUrls.has("stringData") ? realmUrls.path("stringData") : realmUrls.path("data");
        data.properties().forEach(e -> urls.put(e.getKey(), realmUrls.has("stringData") ? e.getValue().asText()
                : new String(java.util.Base64.getDecoder().decode(e.getValue().asText()))));
        Map<String, String> pairs = Map.of("TOBAN_ONCALL_PUBLIC_URL", "TOBAN_ONCALL_PUBLIC_URL",
                "TOBAN_INCIDENT_PUBLIC_URL", "TOBAN_INCIDENT_PUBLIC_URL", "TOBAN_NOTIFY_PUBLIC_URL", "TOBAN_NOTIFY_PUBLIC_URL",
                "TOBAN_POSTMORTEM_PUBLIC_URL", "TOBAN_POSTMORTEM_PUBLIC_URL");
        pairs.forEach((realmKey, configKey) -> {
            if (!config.path(configKey).asText().equals(urls.get(realmKey))) {
                v.add("toban-config " + configKey + "=" + config.path(configKey).asText() + " but the realm has "
                        + realmKey + "=" + urls.get(realmKey));
            }
        });
        Set<String> hosts = new TreeSet<>();
        m.ofKind("Ingress").forEach(i -> i.path("spec").path("rules").forEach(r -> hosts.add(r.path("host").asText())));
        urls.values().forEach(url -> {
            if (!hosts.contains(URI.create(url).getHost())) {
                v.add("public URL " + url + " has no Ingress rule");
            }
        });
        for (JsonNode keycloak : m.ofKind("Keycloak")) {
            String hostname = keycloak.path("spec").path("hostname").path("hostname").asText();
            String scheme = URI.create(urls.get("TOBAN_ONCALL_PUBLIC_URL")).getScheme();
            if (!hosts.contains(URI.create(hostname).getHost()) || !hostname.startsWith(scheme + "://")) {
                v.add(Manifests.id(keycloak) + ": hostname " + hostname + " is not an Ingress host with the services' scheme");
            }
        }
        for (JsonNode ingress : m.ofKind("Ingress")) {
            boolean tls = ingress.path("spec").has("tls");
            boolean https = urls.values().stream().allMatch(u -> u.startsWith("https://"));
            if (tls != https) {
                v.add(Manifests.id(ingress) + ": TLS " + tls + " but the public URLs are " + urls.values());
            }
        }
    }

    static void backingServices(Manifests m, Sizing sizing, List<String> v) {
        JsonNode config = m.configMap("toban-config").path("data");
        ObjectNode cluster = m.one("Cluster", "toban-db");
        if (!config.path("DB_HOST").asText().equals(Manifests.name(cluster) + "-rw")) {
            v.add("DB_HOST " + config.path("DB_HOST").asText() + " is not the Cluster's read-write Service");
        }
        if (cluster.path("spec").path("instances").asInt() != sizing.postgresInstances()) {
            v.add("Cluster toban-db: " + cluster.path("spec").path("instances") + " instances, expected " + sizing.postgresInstances());
        }
        if (!cluster.path("spec").path("imageName").asText().matches(".*:15\\.\\d+")) {
            v.add("Cluster toban-db: PostgreSQL must be a pinned 15.x (what the services are tested on)");
        }
        Map<String, String> roleSecrets = new java.util.HashMap<>();
        cluster.path("spec").path("managed").path("roles")
                .forEach(r -> roleSecrets.put(r.path("name").asText(), r.path("passwordSecret").path("name").asText()));
        for (String service : SERVICES) {
            String owner = "toban_" + service.replace("-service", "");
            boolean database = m.ofKind("Database").stream().anyMatch(d -> owner.equals(d.path("spec").path("name").asText())
                    && owner.equals(d.path("spec").path("owner").asText())
                    && Manifests.name(cluster).equals(d.path("spec").path("cluster").path("name").asText()));
            if (!database) {
                v.add(service + ": no Database " + owner + " owned by " + owner + " in toban-db");
            }
            String secret = StreamSupport.stream(Manifests.container(m.one("Deployment", service)).path("env").spliterator(), false)
                    .filter(e -> "TOBAN_DB_PASSWORD".equals(e.path("name").asText()))
                    .map(e -> e.path("valueFrom").path("secretKeyRef").path("name").asText()).findFirst().orElse("");
            if (!secret.equals(roleSecrets.get(owner))) {
                v.add(service + ": reads its password from " + secret + " but the role " + owner + " uses " + roleSecrets.get(owner));
            }
        }
        ObjectNode rabbit = m.one("RabbitmqCluster", "toban-rabbitmq");
        String rabbitConfig = rabbit.path("spec").path("rabbitmq").path("additionalConfig").asText();
        if (!rabbitConfig.contains("default_queue_type = quorum")
                || !rabbitConfig.contains("default_vhost = " + config.path("RABBITMQ_VHOST").asText())) {
            v.add("RabbitmqCluster: needs default_queue_type = quorum and default_vhost = RABBITMQ_VHOST");
        }
        if (!config.path("RABBITMQ_HOST").asText().equals(Manifests.name(rabbit))) {
            v.add("RABBITMQ_HOST is not the RabbitmqCluster's Service");
        }
        if (rabbit.path("spec").path("replicas").asInt() != sizing.rabbitReplicas()) {
            v.add("RabbitmqCluster: " + rabbit.path("spec").path("replicas") + " replicas, expected " + sizing.rabbitReplicas());
        }
        if (rabbit.path("spec").path("image").asText().endsWith(":latest") || !rabbit.path("spec").path("image").asText().contains(":")) {
            v.add("RabbitmqCluster: the image must be pinned");
        }
        ObjectNode keycloak = m.one("Keycloak", "toban-keycloak");
        JsonNode db = keycloak.path("spec").path("db");
        if (!db.path("host").asText().equals(config.path("DB_HOST").asText())
                || !roleSecrets.getOrDefault(db.path("database").asText(), "").equals(db.path("passwordSecret").path("name").asText())
                || m.ofKind("Database").stream().noneMatch(d -> db.path("database").asText().equals(d.path("spec").path("name").asText()))) {
            v.add("Keycloak: its database, owner and Secret must be in toban-db");
        }
        if (!config.path("KEYCLOAK_URL").asText().equals("http://" + Manifests.name(keycloak) + "-service:8080")
                || !keycloak.path("spec").path("hostname").path("backchannelDynamic").asBoolean()) {
            v.add("KEYCLOAK_URL must be the Keycloak Service inside the cluster, with backchannelDynamic hostnames");
        }
    }

    /**
     * The realm import carries keycloak/realm-toban.json as it is but for the system tests' clients (*-it, on
     * localhost) and toban-swagger's localhost redirect URIs, with a Secret for every placeholder.
     */
    static void realm(Manifests m, List<String> v) {
        ObjectNode realmImport = m.one("KeycloakRealmImport", "toban-realm");
        ObjectNode expected;
        String realmText = read(Manifests.root().resolve("keycloak/realm-toban.json"));
        try {
            expected = (ObjectNode) JSON.readTree(realmText);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ArrayNode clients = JSON.createArrayNode();
        expected.path("clients").forEach(c -> {
            if (c.path("clientId").asText().equals("toban-swagger")) {
                // Swagger UI's sign-in returns to the services' public URLs only, not to this machine's bench/test ports
                ArrayNode publicOnly = JSON.createArrayNode();
                c.path("redirectUris").forEach(u -> {
                    if (u.asText().startsWith("${")) {
                        publicOnly.add(u);
                    }
                });
                ((ObjectNode) c).set("redirectUris", publicOnly);
            }
            if (!c.path("clientId").asText().endsWith("-it")) {
                clients.add(c);
            }
        });
        expected.set("clients", clients);
        if (!expected.equals(realmImport.path("spec").path("realm"))) {
            v.add("KeycloakRealmImport: spec.realm differs from keycloak/realm-toban.json (without the *-it clients)");
        }
        realmImport.path("spec").path("realm").path("clients").forEach(c -> {
            if (c.toString().replaceAll("\\$\\{[^}]*}", "").contains("localhost")) {
                v.add("KeycloakRealmImport: client " + c.path("clientId").asText() + " names localhost outside a ${...:default}");
            }
        });
        if (m.find("Keycloak", realmImport.path("spec").path("keycloakCRName").asText()).isEmpty()) {
            v.add("KeycloakRealmImport: keycloakCRName names no Keycloak");
        }
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(realmText);
        while (placeholder.find()) {
            JsonNode secret = realmImport.path("spec").path("placeholders").path(placeholder.group(1)).path("secret");
            if (secret.path("name").asText().isEmpty() || secret.path("key").asText().isEmpty()) {
                v.add("KeycloakRealmImport: no Secret for ${" + placeholder.group(1) + "}");
            }
        }
    }

    // ------------------------------------------------------------------ quorum queues

    /**
     * Every queue a Toban consumer declares, and its dead-letter queue, is a quorum queue; except a replica's own
     * queue of changes to forget (quorum queues cannot be exclusive), which must then be one: exclusive, deleted
     * with its connection, named per instance, with nothing to dead-letter.
     */
    @Test
    void everyConsumerDeclaresQuorumQueues() throws IOException {
        List<String> v = new ArrayList<>();
        int channels = 0;
        for (String service : SERVICES) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(Manifests.root().resolve(service + "/src/main/resources/application.properties"))) {
                properties.load(in);
            }
            for (String key : properties.stringPropertyNames()) {
                Matcher channel = Pattern.compile("mp\\.messaging\\.incoming\\.([\\w-]+)\\.connector").matcher(key);
                if (channel.matches() && "smallrye-rabbitmq".equals(properties.getProperty(key))) {
                    channels++;
                    String prefix = "mp.messaging.incoming." + channel.group(1) + ".";
                    if ("true".equals(properties.getProperty(prefix + "queue.exclusive"))) {
                        if (!"true".equals(properties.getProperty(prefix + "queue.auto-delete"))
                                || !"false".equals(properties.getProperty(prefix + "queue.durable"))
                                || !String.valueOf(properties.getProperty(prefix + "queue.name")).endsWith(".${quarkus.uuid}")
                                || "true".equals(properties.getProperty(prefix + "auto-bind-dlq"))) {
                            v.add(service + " " + channel.group(1) + ": an exclusive queue must be per instance "
                                    + "(name ending .${quarkus.uuid}), auto-delete, not durable, without dead letters");
                        }
                        continue;
                    }
                    if (!"quorum".equals(properties.getProperty(prefix + "queue.x-queue-type"))
                            || !"quorum".equals(properties.getProperty(prefix + "dead-letter-queue-type"))) {
                        v.add(service + " " + channel.group(1) + ": queue and dead-letter queue must be quorum queues");
                    }
                }
            }
        }
        assertTrue(channels >= 6, "found only " + channels + " RabbitMQ channels");
        assertEquals(List.of(), v);
    }

    // ------------------------------------------------------------------ helpers

    static Path chart() {
        return Manifests.root().resolve("k8s/helm/toban");
    }

    static Manifests helm(String values) {
        String yaml = new Helm(chart()).template().withName("toban").withNamespace("toban")
                .withValuesFile(chart().resolve(values)).call();
        return Manifests.parse("chart with " + values, yaml);
    }

    static Set<String> objectIds(Manifests m) {
        return m.objects.stream().filter(o -> !"Namespace".equals(o.path("kind").asText()))
                .map(o -> Manifests.id(o).replaceAll("^ConfigMap toban-config-[a-z0-9]{10}$", "ConfigMap toban-config"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** What a Deployment runs, without what only says who rendered it (labels, checksums, hash suffixes). */
    static JsonNode comparable(JsonNode deployment) {
        ObjectNode pod = deployment.path("spec").path("template").path("spec").deepCopy();
        ObjectNode c = (ObjectNode) pod.path("containers").path(0);
        c.set("env", sorted((ArrayNode) c.path("env"), e -> e.path("name").asText()));
        // quarkus-kubernetes writes the http and management ports in no fixed order
        c.set("ports", sorted((ArrayNode) c.path("ports"), p -> p.path("name").asText()));
        ArrayNode envFrom = sorted((ArrayNode) c.path("envFrom"), e -> e.toString());
        envFrom.forEach(e -> {
            if (e.has("configMapRef")) {
                ((ObjectNode) e.path("configMapRef")).put("name",
                        e.path("configMapRef").path("name").asText().replaceAll("-[a-z0-9]{10}$", ""));
            }
        });
        c.set("envFrom", envFrom);
        ObjectNode out = JSON.createObjectNode();
        out.set("pod", pod);
        out.set("selector", deployment.path("spec").path("selector"));
        out.put("maxSurge", deployment.path("spec").path("strategy").path("rollingUpdate").path("maxSurge").asText());
        out.put("maxUnavailable", deployment.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asText());
        ObjectNode annotations = deployment.path("spec").path("template").path("metadata").path("annotations").deepCopy();
        annotations.remove(List.of("checksum/config", "app.quarkus.io/quarkus-version"));
        out.set("podAnnotations", annotations);
        return out;
    }

    static JsonNode comparableService(JsonNode service) {
        ObjectNode out = JSON.createObjectNode();
        out.set("spec", service.path("spec"));
        ObjectNode annotations = service.path("metadata").path("annotations").deepCopy();
        annotations.remove("app.quarkus.io/quarkus-version");
        out.set("annotations", annotations);
        return out;
    }

    static ArrayNode sorted(ArrayNode array, java.util.function.Function<JsonNode, String> key) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        items.sort(Comparator.comparing(key));
        ArrayNode out = JSON.createArrayNode();
        items.forEach(out::add);
        return out;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(file + " is missing", e);
        }
    }
}
