package io.svdwb.app;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.runFx;
import static io.svdwb.app.support.Fx.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.compare.ComparisonRow;
import io.svdwb.app.compare.ModuleLoss;
import io.svdwb.app.session.Session;
import io.svdwb.app.session.SessionStore;
import io.svdwb.app.setup.CompressionChoice;
import io.svdwb.app.setup.CurrentSetup;
import io.svdwb.app.setup.Estimate;
import io.svdwb.app.support.DemoEngine;
import io.svdwb.app.view.ErrorDialog;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** The main window's File and Tools menus and status bar reaching the compare, export, session and recent-model tools. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchToolsTest {

    private static final Path DEMO = DemoEngine.MODEL.toAbsolutePath().normalize();

    private final AtomicReference<Path> nextFile = new AtomicReference<>();
    private Workbench workbench;

    @Start
    void start(Stage stage) {
        workbench = Workbench.show(stage, owner -> Optional.empty(), new FileDialogs() {
            @Override
            public Optional<Path> save(Window owner, String title, String extension, String suggestedName) {
                return Optional.ofNullable(nextFile.getAndSet(null));
            }

            @Override
            public Optional<Path> open(Window owner, String title, String extension) {
                return Optional.ofNullable(nextFile.getAndSet(null));
            }

            @Override
            public Optional<Path> folder(Window owner, String title) {
                return Optional.ofNullable(nextFile.getAndSet(null));
            }
        });
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @Test
    void openDemoModelOpensItAndRecordsItInRecentModels(FxRobot robot) throws Exception {
        assertThat(onFx(() -> robot.lookup("#tasksButton").queryAs(Button.class).getText())).isEqualTo("No tasks");
        assertThat(onFx(() -> robot.lookup("#memoryLabel").queryAs(Label.class).getText())).startsWith("Memory ");
        robot.clickOn("File").clickOn("Open demo model");
        waitUntilOpened();
        assertThat(onFx(() -> workbench.tools().recent().folders().get(0))).isEqualTo(DEMO);
        robot.clickOn("File").clickOn("Recent models");
        assertThat(robot.lookup(DEMO.toString()).tryQuery()).isPresent();
        robot.press(javafx.scene.input.KeyCode.ESCAPE).release(javafx.scene.input.KeyCode.ESCAPE);
        // The default compression of a newly opened model, which Export… starts from.
        CompressionChoice compression = onFx(() -> workbench.tools().current().compressionProperty().get());
        assertThat(compression.method()).isEqualTo(MethodId.SVD_LLM);
        assertThat(compression.ratio()).isEqualTo(0.4);
        assertThat(compression.selection().describe()).isEqualTo("layers 0-4; modules q,k,v,o,gate,up,down");
    }

    @Test
    void compareAndExportOpenFromTheMenus(FxRobot robot) throws Exception {
        runFx(() -> workbench.open(DEMO));
        waitUntilOpened();
        robot.clickOn("Tools").clickOn("Compare methods…");
        waitUntil(() -> robot.lookup("#compareView").tryQuery().isPresent());
        assertThat(onFx(() -> workbench.tools().compare().setupProperty().get().modelDir())).isEqualTo(DEMO);
        assertThat(onFx(() -> robot.lookup("#runSweep").queryAs(Button.class).isDisabled())).isFalse();

        runFx(() -> workbench.stage().toFront());
        robot.clickOn(workbench.stage().getScene().lookup("#menuBar")).clickOn("File").clickOn("Export…");
        waitUntil(() -> robot.lookup("#exportView").tryQuery().isPresent());
        assertThat(onFx(() -> robot.lookup("#exportWhat").queryAs(Label.class).getText()))
                .isEqualTo("svd-llm at ratio 0.40; layers 0-4; modules q,k,v,o,gate,up,down");
    }

    @Test
    void theToolsFollowTheMainViewAndARestoredSessionMovesTheMainView(FxRobot robot) throws Exception {
        runFx(() -> workbench.open(DEMO));
        waitUntilOpened();
        runFx(() -> {
            workbench.model().compression().methodProperty().set(MethodId.ASVD);
            workbench.model().compression().asvdAlphaProperty().set(0.7);
            workbench.model().compression().setRatio(0.3);
        });
        CompressionChoice followed = onFx(() -> workbench.tools().current().compressionProperty().get());
        assertThat(followed).isEqualTo(new CompressionChoice(MethodId.ASVD, 0.3,
                onFx(() -> Selection.all(workbench.model().getOpenedModel().config())),
                CompressionSettingsModel.INTERACTIVE.withAsvd(0.7, CompressionSettingsModel.INTERACTIVE.asvdRankSearch())));
        CompressionChoice session = new CompressionChoice(MethodId.RESSVD, 0.45, followed.selection(),
                MethodOptions.DEFAULTS.withResSvd(0.1, io.svdwb.engine.compress.kernels.ResidualSvd.ResidualMetric.WHITENED, 3, 0.9));
        runFx(() -> workbench.tools().current().compressionProperty().set(session));
        assertThat(onFx(() -> workbench.model().compression().getMethod())).isEqualTo(MethodId.RESSVD);
        assertThat(onFx(() -> workbench.model().compression().getRatio())).isEqualTo(0.45);
        assertThat(onFx(() -> workbench.model().compression().ressvdLayersProperty().get())).isEqualTo(3);
        assertThat(onFx(() -> workbench.tools().current().compressionProperty().get())).isEqualTo(session);
    }

    @Test
    void aSavedSessionReopensWithItsCompressionAndResults(FxRobot robot, @TempDir Path dir) throws Exception {
        runFx(() -> workbench.open(DEMO));
        waitUntilOpened();
        CompressionChoice chosen = onFx(() -> new CompressionChoice(MethodId.SVD, 0.25,
                Selection.parse("1-3", "q,v", "2.v", workbench.model().getOpenedModel().config()), MethodOptions.DEFAULTS.withAsvd(0.6, false)));
        List<ComparisonRow> rows = List.of(new ComparisonRow(null, 0, 0, -1, 107.5, 2040, 0, 0.9, List.of()),
                new ComparisonRow("svd", 0.25, 0.2501, 200_000, 900.5, 2040, 0.3, 0.8, List.of(new ModuleLoss(1, "q", 20, 0, 2560, 2.5))));
        runFx(() -> {
            workbench.tools().current().compressionProperty().set(chosen);
            workbench.tools().current().estimateProperty().set(new Estimate(950.0, 0.2501, 200_000, "test"));
            workbench.tools().compare().showRows(rows, "wiki.test.raw, ctx 256");
            workbench.tools().compare().ratiosTextProperty().set("0.25");
        });
        Path file = dir.resolve("demo.svdwb.json");
        nextFile.set(file);
        robot.clickOn("File").clickOn("Save session…");
        waitUntil(() -> Files.isRegularFile(file));
        Session saved = SessionStore.read(file);
        assertThat(saved.compression()).isEqualTo(chosen);
        assertThat(saved.sweepRows()).isEqualTo(rows);
        assertThat(onFx(() -> workbench.model().statusProperty().get())).isEqualTo("Saved session " + file);

        // Change everything, then open the session again.
        runFx(() -> {
            workbench.tools().current().compressionProperty().set(CurrentSetup.defaultCompression(workbench.model().getOpenedModel().config()));
            workbench.tools().current().estimateProperty().set(null);
            workbench.tools().compare().showRows(List.of(), "");
            workbench.tools().compare().ratiosTextProperty().set("0.5");
        });
        nextFile.set(file);
        robot.clickOn("File").clickOn("Open session…");
        waitUntil(() -> workbench.model().statusProperty().get().equals("Opened session " + file));
        assertThat(onFx(() -> workbench.tools().current().compressionProperty().get())).isEqualTo(chosen);
        // The main view (tree, estimate) takes the selection with its exclusion back too.
        assertThat(onFx(() -> workbench.model().compression().getSelection())).isEqualTo(chosen.selection());
        assertThat(onFx(() -> List.copyOf(workbench.tools().compare().rows()))).isEqualTo(rows);
        assertThat(onFx(() -> workbench.tools().compare().ratiosTextProperty().get())).isEqualTo("0.25");
        assertThat(onFx(() -> workbench.tools().current().estimateProperty().get())).isEqualTo(new Estimate(950.0, 0.2501, 200_000, "test"));
    }

    @Test
    void aSessionOpenedBeforeItsModelOpensTheModelAndThenItsCompression(FxRobot robot, @TempDir Path dir) throws Exception {
        CompressionChoice chosen = new CompressionChoice(MethodId.ASVD, 0.3, new Selection(java.util.BitSet.valueOf(new long[] {0b101}),
                java.util.EnumSet.of(io.svdwb.engine.model.ProjectionKind.DOWN)), MethodOptions.DEFAULTS);
        Session session = new Session(DEMO, chosen, DemoEngine.setup().calibration(), DemoEngine.setup().evaluation(),
                List.of(MethodId.SVD), "0.3", "", List.of(), null);
        Path file = dir.resolve("asvd.svdwb.json");
        SessionStore.write(session, file);
        assertThat(onFx(() -> workbench.model().getOpenedModel())).isNull();

        nextFile.set(file);
        robot.clickOn("File").clickOn("Open session…");
        waitUntilOpened();
        assertThat(onFx(() -> workbench.model().getOpenedModel().folder().toAbsolutePath().normalize())).isEqualTo(DEMO);
        assertThat(onFx(() -> workbench.tools().current().compressionProperty().get())).isEqualTo(chosen);
        assertThat(onFx(() -> workbench.tools().current().engineSetupProperty().get())).isEqualTo(DemoEngine.setup());
        assertThat(onFx(() -> List.copyOf(workbench.tools().compare().methods()))).containsExactly(MethodId.SVD);
    }

    @Test
    void aBadSessionFileShowsWhyInTheErrorDialog(FxRobot robot, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.svdwb.json");
        Files.writeString(file, "{\"format\": \"svdwb-session-v9\"}");
        nextFile.set(file);
        robot.clickOn("File").clickOn("Open session…");
        waitUntil(() -> robot.lookup("#" + ErrorDialog.ID).tryQuery().isPresent());
        DialogPane dialog = robot.lookup("#" + ErrorDialog.ID).queryAs(DialogPane.class);
        assertThat(onFx(() -> ((Label) dialog.lookup("#errorMessage")).getText()))
                .isEqualTo(file + ": written by a newer SVD Workbench (format svdwb-session-v9); this version reads svdwb-session-v1 and "
                        + "svdwb-session-v2");
        robot.clickOn(onFx(() -> (Button) dialog.lookupButton(ButtonType.OK)));
    }

    private void waitUntilOpened() throws Exception {
        waitUntil(() -> !workbench.model().isLoading() && workbench.model().getOpenedModel() != null
                && workbench.tools().current().modelDirProperty().get() != null);
    }

}
