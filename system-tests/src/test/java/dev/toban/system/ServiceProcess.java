package dev.toban.system;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One packaged Toban service running as its own JVM, as in production: started from
 * {@code target/quarkus-app}, on its own port, against the {@code _it} database and the
 * {@code toban_it} RabbitMQ vhost. It can be stopped, killed with SIGKILL and restarted.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** JVM options of the services: those of bin/toban up ({@code bin/jvm.options}) unless a run passes others. */
    private static final List<String> JVM_OPTIONS = List.of(System.getProperty("toban.it.jvm-options",
            String.join(" ", productionJvmOptions())).trim().split("\\s+"));
    /**
     * {@code jvm} (the default) runs {@code target/quarkus-app}; {@code native} runs the native executable
     * {@code target/*-runner} that {@code bin/toban native} builds, with {@link #NATIVE_OPTIONS}.
     */
    static final String FLAVOR = System.getProperty("toban.it.flavor", "jvm");
    /** A native image sizes its heap from the host's memory unless told: the same cap as bin/toban up's JVMs. */
    private static final List<String> NATIVE_OPTIONS = List.of(
            System.getProperty("toban.it.native-options", "-Xmx512m").trim().split("\\s+"));
    /** Every JVM started here; a shutdown hook kills what a failed test left running. */
    private static final java.util.Set<Process> LAUNCHED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LAUNCHED.forEach(Process::destroyForcibly)));
    }

    private final String module;
    private final String name;
    private final int port;
    /** Health and metrics: Quarkus's management interface, on its own port. */
    private final int managementPort;
    private final Map<String, String> env;
    private String flavor = FLAVOR;
    private Process process;

    private ServiceProcess(String module, String name, int port, Map<String, String> env) {
        this.module = module;
        this.name = name;
        this.port = port;
        this.managementPort = freePort();
        this.env = env;
    }

    /** Starts {@code module} (for example {@code oncall-service}); {@code fresh} empties its database first. */
    public static ServiceProcess start(String module, String name, boolean fresh, Map<String, String> extraEnv) {
        ServiceProcess service = prepare(module, name, fresh, extraEnv);
        service.launch();
        service.awaitReady();
        return service;
    }

    /** Settles the port and settings without starting, so services can learn each other's URLs first. */
    public static ServiceProcess prepare(String module, String name, boolean fresh, Map<String, String> extraEnv) {
        return prepare(module, name, freePort(), fresh, extraEnv);
    }

    /**
     * The same on a given port. The pages need ports Keycloak's clients know (TobanSystem's 28081-28084, with the
     * realm's *-it clients), because the login redirect and the back-channel logout go there.
     */
    public static ServiceProcess prepare(String module, String name, int port, boolean fresh, Map<String, String> extraEnv) {
        String shortName = module.replace("-service", "");
        Map<String, String> env = new HashMap<>();
        env.put("DB_NAME", "toban_" + shortName + "_it");
        env.put("RABBITMQ_VHOST", "toban_it");
        // the other services' URLs default to bin/toban up's ports, where a developer's Toban may be running while
        // the tests run: a test that wants them sets them (TobanSystem does), any other call is refused at once
        TobanSystem.SERVICE_URL_SETTINGS.values().forEach(setting -> env.put(setting, "http://127.0.0.1:9"));
        if (fresh) {
            env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
            env.put("QUARKUS_FLYWAY_CLEAN_AT_START", "true");
        }
        env.putAll(extraEnv);
        if (!portIsFree(port)) {
            throw new IllegalStateException("Port " + port + " is in use: the system tests need it (is another test run "
                    + "going on?)");
        }
        return new ServiceProcess(module, name, port, env);
    }

    /** A second instance of the same service with the same settings, sharing its database and broker. */
    public ServiceProcess replica(String replicaName) {
        Map<String, String> copy = new HashMap<>(env);
        copy.remove("QUARKUS_FLYWAY_CLEAN_AT_START");
        return new ServiceProcess(module, replicaName, freePort(), copy).flavor(flavor);
    }

    /** Runs this service as {@code jvm} or {@code native} from the next launch on. */
    public ServiceProcess flavor(String flavor) {
        this.flavor = flavor;
        return this;
    }

    /** Adds or replaces a setting for the next launch. */
    public ServiceProcess with(String name, String value) {
        env.put(name, value);
        return this;
    }

    public static ServiceProcess start(String module, boolean fresh) {
        return start(module, module, fresh, Map.of());
    }

    /** The name its log is kept under (system-tests/target/it-logs/<name>.log). */
    public String name() {
        return name;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** Where /q/health and /q/metrics answer (not the main port). */
    public String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a crashed pod: no shutdown hooks, nothing flushed. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(20);
    }

    /** SIGTERM and wait for a graceful stop. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitForExit(30)) {
                process.destroyForcibly();
                waitForExit(10);
            }
        }
    }

    /** Starts again on the same port with the same settings, without emptying the database. */
    public void restart() {
        stop();
        env.remove("QUARKUS_FLYWAY_CLEAN_AT_START");
        launch();
        awaitReady();
    }

    /** Starts the service (JVM or native, see {@link #flavor}) and returns at once; see {@link #awaitReady()}. */
    public void launch() {
        Path root = repositoryRoot();
        List<String> command = "native".equals(flavor) ? nativeCommand(root) : jvmCommand(root);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + managementPort));
        if (!"native".equals(flavor)) {
            command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar")); // relative, as the AOT cache recorded it
        }
        Path logs = root.resolve("system-tests/target/it-logs");
        try {
            Files.createDirectories(logs);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(root.resolve(module).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(logs.toFile(), name + ".log")));
            builder.environment().putAll(env);
            process = builder.start();
            LAUNCHED.add(process);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + module, e);
        }
    }

    private List<String> jvmCommand(Path root) {
        Path app = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(app)) {
            throw new IllegalStateException(app + " is missing: package the services first (./mvnw verify does)");
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(JVM_OPTIONS);
        command.addAll(startupCache(root.resolve(module)));
        return command;
    }

    /** bin/jvm.options without its comments: the services' JVM options, as bin/toban up passes them. */
    static List<String> productionJvmOptions() {
        try {
            return Files.readAllLines(repositoryRoot().resolve("bin/jvm.options")).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .flatMap(line -> java.util.Arrays.stream(line.trim().split("\\s+"))).toList();
        } catch (IOException e) {
            throw new IllegalStateException("bin/jvm.options is missing", e);
        }
    }

    /** The AOT cache (or an AppCDS archive, if the build was told to make one) the package carries: a quicker start. */
    static List<String> startupCache(Path moduleDir) {
        if (Files.exists(moduleDir.resolve("target/quarkus-app/app.aot"))) {
            return List.of("-XX:AOTCache=target/quarkus-app/app.aot");
        }
        if (Files.exists(moduleDir.resolve("target/quarkus-app/app-cds.jsa"))) {
            return List.of("-XX:SharedArchiveFile=target/quarkus-app/app-cds.jsa");
        }
        return List.of();
    }

    private List<String> nativeCommand(Path root) {
        Path executable = nativeExecutable(root, module);
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(NATIVE_OPTIONS);
        return command;
    }

    /** {@code <module>/target/<artifact>-runner}, the native executable of {@code ./mvnw package -Pnative}. */
    static Path nativeExecutable(Path root, String module) {
        try (var files = Files.list(root.resolve(module).resolve("target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner") && Files.isExecutable(f))
                    .findFirst().orElseThrow(() -> new IllegalStateException("No native executable in " + module
                            + "/target: build it first (bin/toban native)"));
        } catch (IOException e) {
            throw new IllegalStateException("No " + module + "/target: build it first (bin/toban native)", e);
        }
    }

    /** Waits until the service answers ready, failing fast if it died. */
    public void awaitReady() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see system-tests/target/it-logs/" + name + ".log");
            }
            return ready();
        });
    }

    private boolean waitForExit(int seconds) {
        try {
            boolean exited = process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS);
            if (exited) {
                LAUNCHED.remove(process);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The exit status of the last process, once it has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Resident memory of the running process in MiB ({@code VmRSS} of /proc). */
    public long rssMebibytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the memory of " + name, e);
        }
        throw new IllegalStateException("No VmRSS for " + name);
    }

    /** This service's log (appended to by every launch). */
    public Path log() {
        return repositoryRoot().resolve("system-tests/target/it-logs").resolve(name + ".log");
    }

    /** Quarkus's own start-up time of the last launch, from its "started in 1.234s" line. */
    public double startedInSeconds() {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("started in (\\d+\\.\\d+)s").matcher(Files.readString(log()));
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            if (last == null) {
                throw new IllegalStateException(name + " never logged its start-up time");
            }
            return Double.parseDouble(last);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + log(), e);
        }
    }

    /** True while /q/health/ready answers 200. */
    public boolean ready() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Path repositoryRoot() {
        String configured = System.getProperty("toban.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "system-tests"))) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        return Files.isDirectory(dir.resolve("system-tests")) ? dir : dir.getParent();
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ports handed out by {@link #freePort()}: below Linux's ephemeral range (32768-60999). */
    static final int FIRST_PORT = 29000;
    static final int LAST_PORT = 32699;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT = new java.util.concurrent.atomic.AtomicInteger(
            java.util.concurrent.ThreadLocalRandom.current().nextInt(LAST_PORT - FIRST_PORT + 1));

    /**
     * A port nothing listens on, for a process that binds it later. Not an ephemeral one (port 0): between this
     * check and the service's bind, any outgoing connection of the machine may take an ephemeral port (a
     * service once failed to start so); ports below the ephemeral range are only taken by listeners. Each
     * call moves on, so two services of a run never get the same one.
     */
    static int freePort() {
        int size = LAST_PORT - FIRST_PORT + 1;
        for (int i = 0; i < size; i++) {
            int port = FIRST_PORT + Math.floorMod(NEXT_PORT.getAndIncrement(), size);
            if (portIsFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port in " + FIRST_PORT + "-" + LAST_PORT);
    }

    @Override
    public void close() {
        stop();
    }
}
