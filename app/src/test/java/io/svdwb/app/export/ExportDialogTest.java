package io.svdwb.app.export;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.CompressionSetting;
import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.app.support.DemoEngine;
import io.svdwb.app.support.NoFileDialogs;
import io.svdwb.app.tasks.BackgroundTasks;
import io.svdwb.app.tasks.EngineTask;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.model.ProjectionKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.EnumSet;
import javafx.concurrent.Worker;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.input.KeyCode;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** The export dialog closes with its Close button and with Esc; closing it cancels a running export and leaves no files. */
@ExtendWith(ApplicationExtension.class)
class ExportDialogTest {

    private final BackgroundTasks tasks = new BackgroundTasks();
    private final EngineContexts contexts = new EngineContexts();
    private ExportView view;
    private Stage dialog;

    @Start
    void start(Stage owner) {
        // The whole WikiText-2 test split: the export's perplexity check takes minutes, so Esc lands while it runs.
        EngineSetup demo = DemoEngine.setup();
        EngineSetup slow = new EngineSetup(demo.modelDir(), demo.calibration(), new EvaluationProtocol(demo.evaluation().text(), 256, 0, 0, null));
        BitSet layers = new BitSet();
        layers.set(0, 5);
        CompressionSetting choice = new CompressionSetting(MethodId.SVD_LLM, 0.4, new Selection(layers, EnumSet.allOf(ProjectionKind.class)),
                MethodId.SVD_LLM.defaults());
        owner.setScene(new Scene(new StackPane(), 300, 200));
        owner.show();
        view = new ExportView(slow, choice, tasks, contexts, new NoFileDialogs());
        dialog = ExportDialog.show(owner, view);
    }

    @Stop
    void stop() {
        tasks.close();
        contexts.close();
    }

    @Test
    void theCloseButtonClosesTheDialog(FxRobot robot) throws Exception {
        assertThat(onFx(dialog::isShowing)).isTrue();
        robot.clickOn("#closeExport");
        waitUntil(() -> !dialog.isShowing());
    }

    @Test
    void escapeClosesTheDialogAndCancelsTheRunningExportWithoutLeavingFiles(FxRobot robot, @TempDir Path out) throws Exception {
        Path folder = out.resolve("cancelled");
        robot.clickOn("#exportFolder").write(folder.toString());
        robot.clickOn("#startExport");
        waitUntil(() -> "perplexity".equals(label("#exportPhase"))
                && ((ProgressBar) view.node().lookup("#exportProgress")).getProgress() > 0);
        EngineTask<?> export = onFx(() -> tasks.tasks().get(0));

        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);

        waitUntil(() -> !dialog.isShowing());
        waitUntil(() -> export.getState() == Worker.State.CANCELLED || export.getState() == Worker.State.FAILED);
        waitUntil(() -> ("Export cancelled; " + folder + " was left as it was").equals(label("#exportError")));
        // Neither the target nor the engine's hidden temporary folder beside it.
        try (var files = Files.list(out)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    private String label(String id) throws Exception {
        return onFx(() -> ((Label) view.node().lookup(id)).getText());
    }
}
