package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.DEMO;
import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.runFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * The latest-wins perplexity estimate on the real window: the number shown is the engine's (Compressor and
 * PerplexityEvaluator called by the test on the same model, calibration cache, text and protocol), it belongs
 * to the setting it names, a slider storm ends with the last position's estimate, and engine errors are shown.
 */
@ExtendWith(ApplicationExtension.class)
class PerplexityEstimateTest {

    /** The demo model's default window (max_position_embeddings 512 in its config.json), which the workbench uses by default. */
    private static final int CTX = 512;
    private static final int TOKENS = RunSettingsModel.DEFAULT_ESTIMATE_TOKENS;

    private final List<Throwable> fxErrors = Collections.synchronizedList(new ArrayList<>());
    private Workbench workbench;
    private FxTestSupport fx;
    private DirectEngine direct;

    @Start
    void start(Stage stage) {
        // Anything thrown on the FX thread (an event handler, a listener) lands here instead of being printed.
        Thread.currentThread().setUncaughtExceptionHandler((thread, error) -> fxErrors.add(error));
        fx = FxTestSupport.showDemo(stage, TestEngineSettings.settings(), model -> { });
        workbench = fx.workbench();
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @BeforeEach
    void waitForDemoModel() throws Exception {
        fx.awaitDemoModel();
        direct = new DirectEngine(DEMO, TestEngineSettings.settings(), onFx(() -> fx.model().runSettings().getCalibrationSettings()));
    }

    @AfterEach
    void closeDirectEngine() throws Exception {
        direct.close();
        assertThat(fxErrors).isEmpty();
    }

    @Test
    void theEstimateShownIsTheEnginesPerplexityForTheSettingItNames(FxRobot robot) throws Exception {
        robot.clickOn("#methodChooser").clickOn("svd");
        runFx(() -> fx.node("#ratioSlider", Slider.class).setValue(0.3));
        PerplexityEstimate svd = awaitEstimate(MethodId.SVD, 0.3);
        double expected = direct.perplexity(MethodId.SVD, 0.3, CTX, TOKENS);
        assertThat(svd.perplexity().perplexity()).isCloseTo(expected, within(1e-9 * expected));
        assertThat(onFx(() -> fx.label("#estimateValue"))).isEqualTo(String.format(Locale.ROOT, "%.4f", expected));
        assertThat(onFx(() -> fx.label("#estimateSetting"))).isEqualTo(String.format(Locale.ROOT,
                "svd, c = 0.300  ·  realised c %.4f  ·  wiki.test.raw, first 2,048 tokens, ctx 512 (4 windows)",
                svd.realised().effectiveRatio()));

        // SVD-LLM: calibrated in the background (16 x 128 tokens), then whitened decompositions.
        robot.clickOn("#methodChooser").clickOn("svd-llm");
        runFx(() -> fx.node("#ratioSlider", Slider.class).setValue(0.45));
        PerplexityEstimate llm = awaitEstimate(MethodId.SVD_LLM, 0.45);
        assertThat(onFx(() -> fx.model().results().isCalibrated())).isTrue();
        double expectedLlm = direct.perplexity(MethodId.SVD_LLM, 0.45, CTX, TOKENS);
        assertThat(llm.perplexity().perplexity()).isCloseTo(expectedLlm, within(1e-9 * expectedLlm));
        assertThat(onFx(() -> fx.label("#estimateValue"))).isEqualTo(String.format(Locale.ROOT, "%.4f", expectedLlm));
        assertThat(onFx(() -> fx.label("#estimateSetting"))).startsWith("svd-llm, c = 0.450  ·  ");
        assertThat(expectedLlm).isNotEqualTo(expected);
    }

    @Test
    void aStormOf500SliderMovesEndsWithTheEstimateOfTheLastPosition() throws Exception {
        runFx(() -> fx.model().compression().methodProperty().set(MethodId.SVD));
        awaitEstimate(MethodId.SVD, 0.4);
        List<PerplexityEstimate> publishedDuringStorm = Collections.synchronizedList(new ArrayList<>());
        Slider slider = fx.node("#ratioSlider", Slider.class);
        runFx(() -> {
            fx.model().results().estimateProperty().addListener((observable, before, now) -> publishedDuringStorm.add(now));
            for (int i = 0; i < 499; i++) {
                slider.setValue(0.05 + 0.9 * ((i * 0.6180339887) % 1));
            }
            slider.setValue(0.537);
        });
        PerplexityEstimate last = awaitEstimate(MethodId.SVD, 0.537);
        double expected = direct.perplexity(MethodId.SVD, 0.537, CTX, TOKENS);
        assertThat(last.perplexity().perplexity()).isCloseTo(expected, within(1e-9 * expected));
        assertThat(onFx(() -> fx.label("#estimateValue"))).isEqualTo(String.format(Locale.ROOT, "%.4f", expected));
        assertThat(onFx(() -> fx.label("#estimateSetting"))).startsWith("svd, c = 0.537  ·  ");
        // The whole storm was one FX event, so no estimate for an intermediate position was ever published.
        assertThat(publishedDuringStorm).hasSize(1).first().isSameAs(last);
        assertThat(onFx(() -> fx.model().results().estimateJob().getError())).isNull();
        assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).isNull();
    }

    @Test
    void anEngineErrorIsShownAndTheNextSettingWorksAgain(FxRobot robot) throws Exception {
        runFx(() -> fx.model().compression().methodProperty().set(MethodId.SVD));
        awaitEstimate(MethodId.SVD, 0.4);
        // A window longer than the model's 512 positions: the engine's evaluator refuses it in the background.
        robot.clickOn("Run settings");
        robot.doubleClickOn("#evaluationContext .text-field").eraseText(4).write("1024").type(KeyCode.ENTER);
        assertThat(onFx(() -> fx.model().runSettings().evaluationContextProperty().get())).isEqualTo(1024);
        String message = "svd, c = 0.400: ctx 1024 exceeds the model's max_position_embeddings 512";
        waitUntil(() -> message.equals(fx.model().results().estimateJob().getError()));
        assertThat(onFx(() -> fx.label("#estimateError"))).isEqualTo(message);
        assertThat(onFx(() -> fx.node("#estimateErrorArea", javafx.scene.Node.class).isVisible())).isTrue();
        assertThat(onFx(() -> fx.label("#statusLabel"))).isEqualTo("Estimate failed: " + message);

        runFx(() -> fx.model().runSettings().evaluationContextProperty().set(CTX));
        runFx(() -> fx.node("#ratioSlider", Slider.class).setValue(0.25));
        PerplexityEstimate recovered = awaitEstimate(MethodId.SVD, 0.25);
        assertThat(recovered.protocol().ctx()).isEqualTo(CTX);
        assertThat(onFx(() -> fx.model().results().estimateJob().getError())).isNull();
        assertThat(onFx(() -> fx.node("#estimateErrorArea", javafx.scene.Node.class).isVisible())).isFalse();
        assertThat(onFx(() -> fx.label("#statusLabel"))).isEqualTo("Estimate ready: svd, c = 0.250");
    }

    @Test
    void duoSvdWithItsSearchGivesTheEnginesEstimate(FxRobot robot) throws Exception {
        // whatever the engine does with Duo-SVD (a number or an error), the window shows the same
        CompressionRequest request = new CompressionRequest(MethodId.DUO_SVD, 0.4,
                Selection.all(onFx(() -> fx.model().getOpenedModel().config())), CompressionSettingsModel.interactive(MethodId.DUO_SVD));
        String engineError = null;
        double expected = Double.NaN;
        try {
            expected = direct.perplexity(request, CTX, TOKENS);
        } catch (RuntimeException e) {
            engineError = e.getMessage();
        }
        robot.clickOn("#methodChooser").clickOn("duo-svd");
        waitUntil(() -> !fx.model().results().estimateJob().isRunning() && (fx.model().results().estimateJob().getError() != null
                || fx.model().results().getEstimate().request().method() == MethodId.DUO_SVD));
        if (engineError != null) {
            assertThat(onFx(() -> fx.label("#estimateError"))).isEqualTo("duo-svd (column preserving), c = 0.400: " + engineError);
        } else {
            assertThat(onFx(() -> fx.model().results().getEstimate().perplexity().perplexity())).isCloseTo(expected, within(1e-9 * expected));
        }
        // The window keeps working: the next method gets its estimate.
        robot.clickOn("#methodChooser").clickOn("svd");
        awaitEstimate(MethodId.SVD, 0.4);
    }

    @Test
    void theFullEvaluationShowsProgressAndCanBeCancelled(FxRobot robot) throws Exception {
        runFx(() -> fx.model().compression().methodProperty().set(MethodId.SVD));
        awaitEstimate(MethodId.SVD, 0.4);
        robot.clickOn("#fullEvaluationButton");
        // The whole WikiText-2 test split (3,161 windows of 256 tokens): wait until its windows are being evaluated.
        waitUntil(() -> fx.model().results().batchJob().isRunning() && "perplexity".equals(fx.model().results().batchJob().phaseProperty().get())
                && fx.model().results().batchJob().progressProperty().get() > 0);
        assertThat(onFx(() -> fx.node("#batchProgress", javafx.scene.control.ProgressBar.class).isVisible())).isTrue();
        assertThat(onFx(() -> fx.label("#fullEvaluationResult"))).startsWith("Evaluating svd, c = 0.400 on wiki.test.raw, all tokens, ctx 512");
        robot.clickOn("#cancelButton");
        assertThat(onFx(() -> fx.model().results().batchJob().isRunning())).isFalse();
        assertThat(onFx(() -> fx.label("#fullEvaluationResult"))).isEqualTo("Cancelled");
        assertThat(onFx(() -> fx.model().results().getFullEvaluation())).isNull();
        // The engine thread is free again: a new setting gets its estimate.
        runFx(() -> fx.node("#ratioSlider", Slider.class).setValue(0.2));
        awaitEstimate(MethodId.SVD, 0.2);
        assertThat(onFx(() -> fx.model().results().getFullEvaluation())).isNull();
    }

    /** Waits until the newest estimate belongs to this method and ratio and nothing newer is on its way. */
    private PerplexityEstimate awaitEstimate(MethodId method, double ratio) throws Exception {
        waitUntil(() -> {
            PerplexityEstimate e = fx.model().results().getEstimate();
            return !fx.model().results().estimateJob().isRunning() && e != null && e.request().method() == method
                    && e.request().ratio() == ratio;
        });
        return onFx(() -> fx.model().results().getEstimate());
    }
}
