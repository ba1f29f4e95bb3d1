package io.svdwb.engine;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the repository's {@code resources/} folder (the embedded demo model and evaluation texts) so
 * that the CLI and the workbench run on a fresh checkout with nothing named, whether started from the
 * repository root, a module folder, or as a jar under {@code <module>/target/}: the system property
 * {@code svdwb.resources} if set, else the first match upward from the working folder, then from the jar.
 */
public final class EmbeddedResources {

    public static final String PROPERTY = "svdwb.resources";
    public static final String DEMO_MODEL = "models/stories260K";
    public static final String WIKITEXT2_TEST = "data/wikitext-2/wiki.test.raw";
    public static final String WIKITEXT2_TRAIN = "data/wikitext-2/wiki.train.head.tokens";

    private EmbeddedResources() {
    }

    public static Optional<Path> folder() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        codeLocation().ifPresent(starts::add);
        return find(System.getProperty(PROPERTY), starts);
    }

    /** The resources folder: {@code override} if given, else the first one upward from a start folder. */
    public static Optional<Path> find(String override, List<Path> starts) {
        if (override != null && !override.isBlank()) {
            // An explicit choice is returned even if wrong, so that using it reports what is wrong.
            return Optional.of(Path.of(override).toAbsolutePath().normalize());
        }
        for (Path start : starts) {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("resources");
                if (Files.isDirectory(candidate.resolve(DEMO_MODEL))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code relative} inside the resources folder, or an error that says how to name it instead. */
    public static Path require(String relative, String whatToPass) {
        return folder().map(f -> f.resolve(relative)).filter(Files::exists).orElseThrow(() ->
                new IllegalArgumentException("the embedded " + relative + " was not found (run from the repository, or pass " + whatToPass + ")"));
    }

    public static Path demoModel() {
        return require(DEMO_MODEL, "--model DIR");
    }

    /** The folder holding this class's jar (e.g. engine/target), or its classes folder. */
    private static Optional<Path> codeLocation() {
        try {
            var source = EmbeddedResources.class.getProtectionDomain().getCodeSource();
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
