package io.svdwb.engine;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the repository's {@code resources/} folder (the embedded demo model and evaluation texts) so
 * that commands run on a fresh checkout with nothing named: from the system property
 * {@code svdwb.resources}, else upward from the working directory, else upward from this jar.
 */
public final class EmbeddedResources {

    public static final String DEMO_MODEL = "models/stories260K";
    public static final String WIKITEXT2_TEST = "data/wikitext-2/wiki.test.raw";
    public static final String WIKITEXT2_TRAIN = "data/wikitext-2/wiki.train.head.tokens";

    private EmbeddedResources() {
    }

    public static Optional<Path> folder() {
        String explicit = System.getProperty("svdwb.resources");
        if (explicit != null) {
            return Optional.of(Path.of(explicit));
        }
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(EmbeddedResources.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code source (e.g. a custom class loader): the working directory is the only start
        }
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
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
}
