package io.svdwb.app;

import javafx.application.Application;

/**
 * Entry point for {@code java -jar svd-workbench.jar [model folder]}. It must not extend
 * {@link Application}: with JavaFX on the classpath (not as modules) the JDK refuses to start an
 * Application subclass directly ("JavaFX runtime components are missing").
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        try {
            Application.launch(WorkbenchApp.class, args);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("SVD Workbench could not start: " + e);
            System.err.println("It needs a JDK 21 or newer and a display (or Xvfb); run ./run.sh to build and start it.");
            System.exit(1);
        }
    }
}
