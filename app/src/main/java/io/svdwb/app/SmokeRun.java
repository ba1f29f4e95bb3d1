package io.svdwb.app;

import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.scene.Scene;

/**
 * {@code -Dsvdwb.smoke=true}: the workbench opens its model, waits for the first layout of the window showing it,
 * prints one line on stdout and quits with exit code 0 (1 if the model could not be opened, 2 if nothing was shown
 * within a minute). WorkbenchSmokeIT starts the real launcher this way to check that a start prints no warnings.
 */
final class SmokeRun {

    static final String PROPERTY = "svdwb.smoke";
    private static final long TIMEOUT_MILLIS = 60_000;
    private static final AtomicInteger EXIT_CODE = new AtomicInteger(0);

    private SmokeRun() {
    }

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** The exit code the launcher ends with once JavaFX has stopped. */
    static int exitCode() {
        return EXIT_CODE.get();
    }

    /** Watches {@code workbench} from its start; call on the FX thread before opening the model. */
    static void watch(Workbench workbench) {
        WorkbenchModel model = workbench.model();
        Scene scene = workbench.stage().getScene();
        model.openedModelProperty().addListener((observable, before, opened) -> {
            if (opened != null) {
                Runnable afterLayout = new Runnable() {
                    @Override
                    public void run() {
                        scene.removePostLayoutPulseListener(this);
                        System.out.printf("smoke: opened %s in a %.0f x %.0f window%n", opened.name(), scene.getWidth(), scene.getHeight());
                        Platform.exit();
                    }
                };
                scene.addPostLayoutPulseListener(afterLayout);
                Platform.requestNextPulse();
            }
        });
        model.lastErrorProperty().addListener((observable, before, error) -> {
            if (error != null) {
                quit(1, "smoke: the model did not open: " + error);
            }
        });
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TIMEOUT_MILLIS);
                System.err.println("smoke: no model shown after " + TIMEOUT_MILLIS / 1000 + " s");
                Runtime.getRuntime().halt(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "svdwb-smoke-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void quit(int code, String message) {
        EXIT_CODE.set(code);
        System.err.println(message);
        Platform.exit();
    }
}
