package io.svdwb.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: opens the model folder given on the command line, or the embedded demo model. */
public final class WorkbenchApp extends Application {

    private Workbench workbench;

    @Override
    public void start(Stage stage) {
        workbench = Workbench.show(stage, FolderChooser.directoryChooser());
        if (SmokeRun.requested()) {
            SmokeRun.watch(workbench);
        }
        List<String> args = getParameters().getUnnamed();
        Optional<Path> folder = args.isEmpty() ? DemoModelLocator.find() : Optional.of(Path.of(args.get(0)));
        folder.ifPresentOrElse(workbench::open,
                () -> workbench.model().setStatus("Demo model " + DemoModelLocator.DEMO_MODEL
                        + " not found; open a model folder with File > Open model folder…"));
    }

    @Override
    public void stop() {
        if (workbench != null) {
            workbench.close();
        }
    }
}
