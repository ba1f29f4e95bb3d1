package io.svdwb.app;

import java.util.logging.Logger;
import javafx.application.Application;

/**
 * Entry point for {@code java -jar svd-workbench.jar [model folder]} and the launcher {@code target/svd-workbench}.
 * It must not extend {@link Application}: with JavaFX on the classpath (not as modules) the JDK refuses to start an
 * Application subclass directly ("JavaFX runtime components are missing").
 */
public final class Launcher {

    /**
     * JavaFX's own logger. Held here because java.util.logging keeps loggers only weakly, and a collected logger
     * would lose the filter.
     */
    private static final Logger JAVAFX_LOGGER = Logger.getLogger("javafx");
    /** What JavaFX 21 logs at start-up whenever it is loaded from the class path, as this jar does on purpose. */
    static final String CLASS_PATH_WARNING = "Unsupported JavaFX configuration";

    private Launcher() {
    }

    public static void main(String[] args) {
        quietStartUp();
        try {
            Application.launch(WorkbenchApp.class, args);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("SVD Workbench could not start: " + e);
            System.err.println("It needs a JDK 21 or newer and a display (or Xvfb); run ./run.sh to build and start it.");
            System.exit(1);
        }
        if (SmokeRun.requested()) {
            System.exit(SmokeRun.exitCode());
        }
    }

    /** Keeps a normal start free of warnings that say nothing to the user; call before JavaFX or AWT load. */
    static void quietStartUp() {
        JAVAFX_LOGGER.setFilter(record -> record.getMessage() == null || !record.getMessage().startsWith(CLASS_PATH_WARNING));
        // The charts draw with java.awt (colours, fonts, strokes) but no AWT window is ever opened. A headless AWT
        // does not connect to the X server beside GTK, which is what printed GDK warnings at start-up.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
