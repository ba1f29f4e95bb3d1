package io.svdwb.app;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.runFx;
import static io.svdwb.app.support.Fx.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.compare.ComparisonRow;
import io.svdwb.app.compare.ModuleLoss;
import io.svdwb.app.session.Session;
import io.svdwb.app.session.SessionStore;
import io.svdwb.app.support.DemoEngine;
import io.svdwb.app.view.ErrorDialog;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.util.Locale;
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
        CompressionSetting compression = onFx(() -> workbench.model().compression().getSetting());
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
    void theToolsReadTheMainViewAndARestoredSessionMovesTheMainView(FxRobot robot) throws Exception {
        runFx(() -> workbench.open(DEMO));
        waitUntilOpened();
        runFx(() -> {
            workbench.model().compression().methodProperty().set(MethodId.ASVD);
            workbench.model().compression().set(MethodId.ASVD, "asvd-alpha", "0.7");
            workbench.model().compression().setRatio(0.3);
        });
        CompressionSetting shown = onFx(() -> workbench.model().compression().getSetting());
        assertThat(shown).isEqualTo(new CompressionSetting(MethodId.ASVD, 0.3, onFx(() -> Selection.all(workbench.model().getOpenedModel().config())),
                CompressionSettingsModel.interactive(MethodId.ASVD).with("asvd-alpha", "0.7")));
        // The compare window sweeps what the main view shows.
        assertThat(onFx(() -> workbench.tools().compare().selectionProperty().get())).isEqualTo(shown.selection());
        assertThat(onFx(() -> workbench.tools().compare().settingsProperty().get().get(MethodId.ASVD).text("asvd-alpha"))).isEqualTo("0.7");

        Session captured = onFx(() -> workbench.tools().sessions().capture());
        CompressionSetting ressvd = new CompressionSetting(MethodId.RESSVD, 0.45, shown.selection(),
                CompressionSettingsModel.interactive(MethodId.RESSVD).with("ressvd-beta", "0.1").with("ressvd-layers", "3"));
        runFx(() -> workbench.tools().sessions().apply(new Session(captured.modelDir(), ressvd, captured.calibration(), captured.evaluation(),
                List.of(), "", "", List.of(), null)));
        assertThat(onFx(() -> workbench.model().compression().getMethod())).isEqualTo(MethodId.RESSVD);
        assertThat(onFx(() -> workbench.model().compression().getRatio())).isEqualTo(0.45);
        assertThat(onFx(() -> workbench.model().compression().get(MethodId.RESSVD, "ressvd-layers"))).isEqualTo("3");
        assertThat(onFx(() -> workbench.model().compression().getSetting())).isEqualTo(ressvd);
    }

    @Test
    void aSavedSessionReopensWithItsCompressionAndResults(FxRobot robot, @TempDir Path dir) throws Exception {
        runFx(() -> workbench.open(DEMO));
        waitUntilOpened();
        Selection selection = onFx(() -> Selection.parse("1-3", "q,v", "2.v", workbench.model().getOpenedModel().config()));
        List<ComparisonRow> rows = List.of(new ComparisonRow(null, 0, 0, -1, 107.5, 2040, 0, 0.9, List.of()),
                new ComparisonRow("svd", 0.25, 0.2501, 200_000, 900.5, 2040, 0.3, 0.8, List.of(new ModuleLoss(1, "q", 20, 0, 2560, 2.5))));
        runFx(() -> {
            workbench.model().compression().methodProperty().set(MethodId.SVD);
            workbench.model().compression().setRatio(0.25);
            workbench.model().compression().selectionProperty().set(selection);
            workbench.tools().compare().showRows(rows, "wiki.test.raw, ctx 512");
            workbench.tools().compare().ratiosTextProperty().set("0.25");
        });
        CompressionSetting chosen = onFx(() -> workbench.model().compression().getSetting());
        PerplexityEstimate estimate = waitForEstimateOf(chosen);
        String shownValue = onFx(() -> robot.lookup("#estimateValue").queryAs(Label.class).getText());
        assertThat(shownValue).isEqualTo(String.format(Locale.ROOT, "%.4f", estimate.perplexity().perplexity()));

        Path file = dir.resolve("demo.svdwb.json");
        nextFile.set(file);
        robot.clickOn("File").clickOn("Save session…");
        waitUntil(() -> Files.isRegularFile(file));
        Session saved = SessionStore.read(file);
        assertThat(saved.compression()).isEqualTo(chosen);
        assertThat(saved.sweepRows()).isEqualTo(rows);
        assertThat(saved.estimate().estimate()).isEqualTo(estimate);
        assertThat(Files.readString(file)).contains("\"format\" : \"svdwb-session-v4\"").contains("\"ctx\" : 512");
        assertThat(onFx(() -> workbench.model().statusProperty().get())).isEqualTo("Saved session " + file);

        // Change everything (a new estimate comes in), then open the session again.
        runFx(() -> {
            workbench.model().compression().setRatio(0.5);
            workbench.model().compression().selectionProperty().set(Selection.all(workbench.model().getOpenedModel().config()));
            workbench.tools().compare().showRows(List.of(), "");
            workbench.tools().compare().ratiosTextProperty().set("0.5");
        });
        waitForEstimateOf(onFx(() -> workbench.model().compression().getSetting()));
        nextFile.set(file);
        robot.clickOn("File").clickOn("Open session…");
        waitUntil(() -> workbench.model().statusProperty().get().equals("Opened session " + file));
        assertThat(onFx(() -> workbench.model().compression().getSetting())).isEqualTo(chosen);
        assertThat(onFx(() -> List.copyOf(workbench.tools().compare().rows()))).isEqualTo(rows);
        assertThat(onFx(() -> workbench.tools().compare().ratiosTextProperty().get())).isEqualTo("0.25");
        // The restored estimate is shown at once and stays: nothing computes it again.
        assertThat(onFx(() -> robot.lookup("#estimateValue").queryAs(Label.class).getText())).isEqualTo(shownValue);
        assertThat(onFx(() -> workbench.model().results().estimateJob().isRunning())).isFalse();
        Thread.sleep(1000); // well past the estimate's debounce (150 ms)
        assertThat(onFx(() -> workbench.model().results().estimateJob().isRunning())).isFalse();
        assertThat(onFx(() -> workbench.model().currentEstimateProperty().getValue())).isEqualTo(estimate);
    }

    @Test
    void aRestoredEstimateIsShownAsSavedWithoutAnyComputation(FxRobot robot, @TempDir Path dir) throws Exception {
        runFx(() -> {
            workbench.open(DEMO);
            workbench.model().compression().methodProperty().set(MethodId.SVD);
        });
        waitUntilOpened();
        runFx(() -> workbench.model().compression().setRatio(0.3));
        PerplexityEstimate estimate = waitForEstimateOf(onFx(() -> workbench.model().compression().getSetting()));
        Path file = dir.resolve("marked.svdwb.json");
        SessionStore.write(onFx(() -> workbench.tools().sessions().capture()), file);
        // A number no computation gives: if it is shown after reopening and stays, nothing recomputed the estimate.
        String exact = Double.toString(estimate.perplexity().perplexity());
        assertThat(Files.readString(file)).contains("\"perplexity\" : " + exact);
        Files.writeString(file, Files.readString(file).replace("\"perplexity\" : " + exact, "\"perplexity\" : 4321.5"));

        runFx(() -> workbench.model().compression().setRatio(0.6));
        waitForEstimateOf(onFx(() -> workbench.model().compression().getSetting()));
        nextFile.set(file);
        robot.clickOn("File").clickOn("Open session…");
        waitUntil(() -> workbench.model().statusProperty().get().equals("Opened session " + file));
        assertThat(onFx(() -> robot.lookup("#estimateValue").queryAs(Label.class).getText())).isEqualTo("4321.5000");
        Thread.sleep(1000); // well past the estimate's debounce (150 ms)
        assertThat(onFx(() -> workbench.model().results().estimateJob().isRunning())).isFalse();
        assertThat(onFx(() -> robot.lookup("#estimateValue").queryAs(Label.class).getText())).isEqualTo("4321.5000");
    }

    /** Waits until the main view shows the estimate of {@code setting}, and returns it. */
    private PerplexityEstimate waitForEstimateOf(CompressionSetting setting) throws Exception {
        waitUntil(() -> {
            PerplexityEstimate shown = workbench.model().currentEstimateProperty().getValue();
            return shown != null && CompressionSetting.of(shown.request()).equals(setting) && !workbench.model().results().estimateJob().isRunning();
        });
        return onFx(() -> workbench.model().currentEstimateProperty().getValue());
    }

    @Test
    void aSessionOpenedBeforeItsModelOpensTheModelAndThenItsCompression(FxRobot robot, @TempDir Path dir) throws Exception {
        CompressionSetting chosen = new CompressionSetting(MethodId.ASVD, 0.3, new Selection(java.util.BitSet.valueOf(new long[] {0b101}),
                java.util.EnumSet.of(io.svdwb.engine.model.ProjectionKind.DOWN)), CompressionSettingsModel.interactive(MethodId.ASVD).with("asvd-alpha", "0.75").with("asvd-ranks", "uniform"));
        Session session = new Session(DEMO, chosen, DemoEngine.setup().calibration(), DemoEngine.setup().evaluation(),
                List.of(MethodId.SVD), "0.3", "", List.of(), null);
        Path file = dir.resolve("asvd.svdwb.json");
        SessionStore.write(session, file);
        assertThat(onFx(() -> workbench.model().getOpenedModel())).isNull();

        nextFile.set(file);
        robot.clickOn("File").clickOn("Open session…");
        waitUntilOpened();
        assertThat(onFx(() -> workbench.model().getOpenedModel().folder().toAbsolutePath().normalize())).isEqualTo(DEMO);
        assertThat(onFx(() -> workbench.model().compression().getSetting())).isEqualTo(chosen);
        // The session's run settings; the calibration text and cache stay the workbench's own.
        assertThat(onFx(() -> workbench.tools().engineSetup().get().calibration().settings())).isEqualTo(DemoEngine.setup().calibration().settings());
        assertThat(onFx(() -> workbench.tools().engineSetup().get().evaluation())).isEqualTo(DemoEngine.setup().evaluation());
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
                .isEqualTo(file + ": written by a newer SVD Workbench (format svdwb-session-v9); this version reads svdwb-session-v1, "
                        + "svdwb-session-v2, svdwb-session-v3 and svdwb-session-v4");
        robot.clickOn(onFx(() -> (Button) dialog.lookupButton(ButtonType.OK)));
    }

    private void waitUntilOpened() throws Exception {
        waitUntil(() -> !workbench.model().isLoading() && workbench.model().getOpenedModel() != null
                && workbench.tools().engineSetup().get() != null);
    }

}
