package io.svdwb.app;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the demo model shipped in the repository ({@code resources/models/stories260K}), whether the
 * workbench runs from the repository root, from a module folder, or as {@code app/target/svd-workbench.jar}.
 */
public final class DemoModelLocator {

    /** Overrides the search: the folder to open as the demo model. */
    public static final String PROPERTY = "svdwb.demoModel";
    public static final Path DEMO_MODEL = Path.of("resources", "models", "stories260K");

    private DemoModelLocator() {
    }

    /** The demo model: the system property if set, else the first match upward from the working folder or the jar. */
    public static Optional<Path> find() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        codeLocation().ifPresent(starts::add);
        return find(System.getProperty(PROPERTY), starts);
    }

    static Optional<Path> find(String override, List<Path> starts) {
        if (override != null && !override.isBlank()) {
            // An explicit choice is returned even if it is wrong, so that opening it reports what is wrong.
            return Optional.of(Path.of(override));
        }
        for (Path start : starts) {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(DEMO_MODEL);
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The folder holding this class's jar (app/target for app/target/svd-workbench.jar), or its classes folder. */
    private static Optional<Path> codeLocation() {
        try {
            var source = DemoModelLocator.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path location = Path.of(source.getLocation().toURI());
            return Optional.of(Files.isRegularFile(location) ? location.getParent() : location);
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
