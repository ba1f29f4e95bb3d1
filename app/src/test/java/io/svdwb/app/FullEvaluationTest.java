package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.DEMO;
import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.plotted;
import static io.svdwb.app.FxTestSupport.runFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.calibration.CalibrationCache;
import io.svdwb.engine.compress.method.DecompositionRecipe;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.workbench.PerplexityEstimate;
import io.svdwb.engine.workbench.WorkbenchSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * The explicit runs to completion, on an evaluation text short enough for a test (the first 12,000 characters
 * of the WikiText-2 test split): the full evaluation equals the engine's perplexity on the whole text, and
 * calibrating ahead of time brings the whitened spectra.
 */
@ExtendWith(ApplicationExtension.class)
class FullEvaluationTest {

    @TempDir
    static Path folder;
    private static EngineSettings settings;

    private Workbench workbench;
    private FxTestSupport fx;

    @BeforeAll
    static void shortText() throws Exception {
        EngineSettings embedded = TestEngineSettings.settings();
        Path text = folder.resolve("wiki.test.head.raw");
        Files.writeString(text, Files.readString(embedded.evaluationText()).substring(0, 12_000));
        settings = new EngineSettings(embedded.calibrationText(), text, new CalibrationCache(TestEngineSettings.CACHE));
    }

    @Start
    void start(Stage stage) {
        fx = FxTestSupport.showDemo(stage, settings, model -> model.compression().methodProperty().set(MethodId.SVD));
        workbench = fx.workbench();
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @BeforeEach
    void waitForDemoModel() throws Exception {
        fx.awaitDemoModel();
    }

    @Test
    void theFullEvaluationIsTheEnginesPerplexityOnTheWholeText(FxRobot robot) throws Exception {
        runFx(() -> fx.model().compression().setRatio(0.35));
        robot.clickOn("#fullEvaluationButton");
        waitUntil(() -> fx.model().results().getFullEvaluation() != null && !fx.model().results().batchJob().isRunning());
        PerplexityEstimate full = onFx(() -> fx.model().results().getFullEvaluation());
        assertThat(full.request().method()).isEqualTo(MethodId.SVD);
        assertThat(full.request().ratio()).isEqualTo(0.35);
        assertThat(full.protocol().maxTokens()).isZero();
        double expected;
        try (DirectEngine direct = new DirectEngine(DEMO, settings, onFx(() -> fx.model().runSettings().getCalibrationSettings()))) {
            expected = direct.perplexity(MethodId.SVD, 0.35, 512, 0);
        }
        assertThat(full.perplexity().perplexity()).isCloseTo(expected, within(1e-9 * expected));
        // Every whole window of the text, more than the estimate's 2,048 tokens.
        assertThat(full.perplexity().tokensUsed()).isEqualTo(full.perplexity().windows() * 512L).isGreaterThan(2048);
        assertThat(onFx(() -> fx.label("#fullEvaluationResult"))).isEqualTo(String.format(Locale.ROOT,
                "Full: %.4f  ·  svd, c = 0.350  ·  realised c %.4f  ·  wiki.test.head.raw, all tokens, ctx 512 (%,d windows)",
                expected, full.realised().effectiveRatio(), full.perplexity().windows()));
    }

    @Test
    void calibratingAheadOfTimeAddsTheWhitenedSpectra(FxRobot robot) throws Exception {
        waitUntil(() -> fx.model().results().getLayerSpectra() != null);
        assertThat(onFx(() -> fx.model().results().isCalibrated())).isFalse();
        ChartViewer main = fx.node("#spectrumChart", ChartViewer.class);
        assertThat(onFx(() -> plotted(main, 0, 1))).isEmpty();
        assertThat(onFx(() -> fx.label("#whitenedCutLabel"))).startsWith("W·S (SVD-LLM): shown once calibration statistics exist");

        robot.clickOn("#calibrateButton");
        waitUntil(() -> fx.model().results().isCalibrated() && fx.model().results().getLayerSpectra().whitened());
        MatrixSpec q = onFx(() -> fx.model().getSelectedMatrix());
        // The whitened values are those of SVD-LLM's W S, computed here on a session of the test's own.
        double[] expected;
        try (WorkbenchSession own = WorkbenchSession.open(DEMO, settings.calibrationText(),
                onFx(() -> fx.model().runSettings().getCalibrationSettings()), settings.calibrationCache(), LinearAlgebra.cpu())) {
            expected = own.context().decomposition(new DecompositionRecipe.Whitened(WorkbenchSession.SPECTRUM_WHITENING), q,
                    ProgressListener.NONE).singularValues();
        }
        assertThat(onFx(() -> plotted(main, 0, 1))).containsExactly(expected, within(1e-12 * expected[0]));
        assertThat(onFx(() -> fx.label("#whitenedCutLabel"))).startsWith("W·S (SVD-LLM): keeps ");
        assertThat(onFx(() -> fx.label("#fullEvaluationResult"))).isIn("Calibrated", "Calibration statistics loaded from the cache");
        assertThat(onFx(() -> fx.node("#calibrateButton", javafx.scene.control.Button.class).isDisabled())).isTrue();
    }
}
