package io.svdwb.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the embedded demo model and texts (the repository's resources/ folder). */
public final class TestData {

    private TestData() {
    }

    public static Path repoRoot() {
        String root = System.getProperty("svdwb.root");
        Path p = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path dir = p; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("resources/models/stories260K"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (resources/models/stories260K) from " + p);
    }

    public static Path demoModel() {
        return repoRoot().resolve("resources/models/stories260K");
    }

    public static Path wikiTestRaw() {
        return repoRoot().resolve("resources/data/wikitext-2/wiki.test.raw");
    }

    /** The embedded first megabyte of WikiText-2 train: the default calibration text. */
    public static Path wikiTrainHead() {
        return repoRoot().resolve("resources/data/wikitext-2/wiki.train.head.tokens");
    }

    public static Path tinyStories() {
        return repoRoot().resolve("resources/data/tinystories/TinyStories-valid.head.txt");
    }

    /** The project's shared folder beside the checkout, where the independent references came from. */
    public static Path shared() {
        return repoRoot().resolve("../shared").normalize();
    }
}
