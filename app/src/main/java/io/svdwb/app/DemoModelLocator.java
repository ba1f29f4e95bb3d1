package io.svdwb.app;

import io.svdwb.engine.EmbeddedResources;
import java.nio.file.Path;
import java.util.Optional;

/** The demo model the workbench opens when no folder is named: the engine's embedded one, or the property's. */
public final class DemoModelLocator {

    /** Overrides the search: the folder to open as the demo model. */
    public static final String PROPERTY = "svdwb.demoModel";
    public static final Path DEMO_MODEL = Path.of("resources").resolve(EmbeddedResources.DEMO_MODEL);

    private DemoModelLocator() {
    }

    public static Optional<Path> find() {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            // An explicit choice is returned even if it is wrong, so that opening it reports what is wrong.
            return Optional.of(Path.of(override));
        }
        return EmbeddedResources.folder().map(folder -> folder.resolve(EmbeddedResources.DEMO_MODEL));
    }
}
