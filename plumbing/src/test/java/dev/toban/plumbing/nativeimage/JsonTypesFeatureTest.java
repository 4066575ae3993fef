package dev.toban.plumbing.nativeimage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.plumbing.events.CloudEvent;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The feature finds Toban's classes in class-path directories and jars, and only those it registers. */
class JsonTypesFeatureTest {

    @Test
    void findsTobansClassesInDirectoriesAndJars() throws URISyntaxException {
        Path classes = Path.of(CloudEvent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path contracts = Path.of(dev.toban.contracts.Actor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jackson = Path.of(com.fasterxml.jackson.databind.ObjectMapper.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        List<String> names = JsonTypesFeature.classNames(List.of(classes, contracts, jackson));
        assertTrue(names.contains("dev.toban.plumbing.events.CloudEvent"), "a record of this module");
        assertTrue(names.contains("dev.toban.contracts.Actor"), "a record of the contracts (a directory or a jar)");
        assertFalse(names.stream().anyMatch(n -> n.startsWith("com.fasterxml")), "nothing of other libraries");
        assertFalse(names.stream().anyMatch(n -> n.endsWith("module-info") || n.endsWith("package-info")));
    }
}
