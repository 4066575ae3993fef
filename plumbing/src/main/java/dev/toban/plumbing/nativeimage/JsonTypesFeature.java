package dev.toban.plumbing.nativeimage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.graalvm.nativeimage.hosted.Feature;
import org.graalvm.nativeimage.hosted.RuntimeReflection;
import org.jboss.logging.Logger;

/**
 * Registers for reflection what Toban serialises with an {@code ObjectMapper} (or Gson) directly, which Quarkus
 * cannot see: a native image would write such a record as {@code {}} and fail to read it back, silently. Quarkus
 * registers REST bodies and entities itself; this adds
 * <ul>
 * <li>every record, enum and Jackson-annotated class under {@code dev.toban} (event payloads, snapshots, cached
 * answers, delivery messages, enums written by their {@code @JsonValue}...), so a new one needs no list kept by hand;
 * </li>
 * <li>Slack's model and Web API response classes, which slack-api-client reads and writes with Gson, when
 * slack-api-client is on the class path.</li>
 * </ul>
 * Enabled by plumbing's {@code META-INF/native-image/dev.toban/toban-plumbing/native-image.properties}; unused on
 * the JVM.
 */
public final class JsonTypesFeature implements Feature {

    private static final Logger LOG = Logger.getLogger(JsonTypesFeature.class);

    private static final String TOBAN = "dev/toban/";
    private static final List<String> SLACK = List.of("com/slack/api/model/", "com/slack/api/methods/response/");

    @Override
    public String getDescription() {
        return "Registers Toban's records, enums and Jackson-annotated classes and Slack's Gson types for reflection";
    }

    @Override
    public void beforeAnalysis(BeforeAnalysisAccess access) {
        int toban = 0;
        int slack = 0;
        for (String name : classNames(access.getApplicationClassPath())) {
            Class<?> type;
            try {
                type = access.findClassByName(name);
            } catch (LinkageError e) {
                continue; // an optional dependency is absent: nothing of it reaches the image anyway
            }
            if (type == null) {
                continue;
            }
            if (name.startsWith("dev.toban.")) {
                if (type.isRecord() || type.isEnum() || usesJackson(type)) {
                    RuntimeReflection.register(type);
                    RuntimeReflection.register(type.getDeclaredConstructors());
                    RuntimeReflection.register(type.getDeclaredMethods());
                    RuntimeReflection.register(type.getDeclaredFields());
                    if (type.isRecord()) {
                        RuntimeReflection.registerAllRecordComponents(type);
                    }
                    toban++;
                }
            } else if (!name.startsWith("dev.toban.") && !type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
                RuntimeReflection.register(type);
                if (!type.isEnum() && hasNullaryConstructor(type)) {
                    RuntimeReflection.registerForReflectiveInstantiation(type);
                }
                RuntimeReflection.register(type.getDeclaredConstructors());
                RuntimeReflection.register(true, type.getDeclaredFields());
                slack++;
            }
        }
        LOG.infof("Registered %d of Toban's records, enums and Jackson-annotated classes and %d Slack types for reflection",
                toban, slack);
    }

    /** Jackson annotations on the class or its members: @JsonValue, @JsonCreator, @JsonProperty... */
    private static boolean usesJackson(Class<?> type) {
        try {
            List<java.lang.reflect.AnnotatedElement> elements = new ArrayList<>(List.of(type));
            elements.addAll(List.of(type.getDeclaredMethods()));
            elements.addAll(List.of(type.getDeclaredFields()));
            elements.addAll(List.of(type.getDeclaredConstructors()));
            for (var element : elements) {
                for (var annotation : element.getDeclaredAnnotations()) {
                    if (annotation.annotationType().getName().startsWith("com.fasterxml.jackson.annotation.")) {
                        return true;
                    }
                }
            }
            return false;
        } catch (LinkageError e) {
            return false;
        }
    }

    private static boolean hasNullaryConstructor(Class<?> type) {
        for (var constructor : type.getDeclaredConstructors()) {
            if (constructor.getParameterCount() == 0) {
                return true;
            }
        }
        return false;
    }

    /** Class names under Toban's and Slack's packages on the image's class path. */
    static List<String> classNames(List<Path> classPath) {
        List<String> names = new ArrayList<>();
        for (Path entry : classPath) {
            try {
                if (Files.isDirectory(entry)) {
                    try (Stream<Path> files = Files.walk(entry)) {
                        files.filter(f -> f.toString().endsWith(".class"))
                                .map(f -> entry.relativize(f).toString().replace('\\', '/'))
                                .forEach(path -> add(path, names));
                    }
                } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
                    try (ZipFile jar = new ZipFile(entry.toFile())) {
                        Enumeration<? extends ZipEntry> entries = jar.entries();
                        while (entries.hasMoreElements()) {
                            add(entries.nextElement().getName(), names);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + entry, e);
            }
        }
        return names;
    }

    private static void add(String path, List<String> names) {
        if (!path.endsWith(".class") || path.endsWith("module-info.class") || path.endsWith("package-info.class")) {
            return;
        }
        if (path.startsWith(TOBAN) || SLACK.stream().anyMatch(path::startsWith)) {
            names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
        }
    }
}
