package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.DEMO;
import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** Each method's own controls, driven through the window, reach the model, the setting and the engine's request. */
@ExtendWith(ApplicationExtension.class)
class MethodControlsTest {

    private Workbench workbench;
    private FxTestSupport fx;

    @Start
    void start(Stage stage) {
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
    }

    @Test
    void eachMethodShowsItsOwnControlsBoundToTheModel(FxRobot robot) throws Exception {
        CompressionSettingsModel settings = workbench.model().compression();
        robot.clickOn("#methodChooser").clickOn("asvd");
        assertThat(present(robot, "#ressvd-beta")).isFalse();
        enter(robot, "#asvd-alpha", "0.75");
        robot.clickOn("#asvd-ranks").clickOn("uniform");
        assertThat(onFx(() -> settings.get(MethodId.ASVD, "asvd-alpha"))).isEqualTo("0.75");
        assertThat(onFx(() -> settings.get(MethodId.ASVD, "asvd-ranks"))).isEqualTo("uniform");
        assertThat(onFx(() -> fx.model().describe(settings.getSetting()))).isEqualTo("asvd (α 0.75, uniform ranks), c = 0.400");
        assertThat(onFx(() -> settings.getSetting().settings())).isEqualTo(CompressionSettingsModel.interactive(MethodId.ASVD).with("asvd-alpha", "0.75").with("asvd-ranks", "uniform"));

        robot.clickOn("#methodChooser").clickOn("ressvd");
        assertThat(present(robot, "#asvd-alpha")).isFalse();
        enter(robot, "#ressvd-beta", "0.1");
        enter(robot, "#ressvd-layers", "3");
        assertThat(onFx(() -> settings.get(MethodId.RESSVD, "ressvd-beta"))).isEqualTo("0.1");
        assertThat(onFx(() -> settings.get(MethodId.RESSVD, "ressvd-layers"))).isEqualTo("3");
        assertThat(onFx(() -> fx.model().describe(settings.getSetting()))).isEqualTo("ressvd (β 0.10, last 3 layers), c = 0.400");

        robot.clickOn("#methodChooser").clickOn("duo-svd");
        robot.clickOn("#duo-columns");
        assertThat(onFx(() -> settings.get(MethodId.DUO_SVD, "duo-columns"))).isEqualTo("off");
        assertThat(onFx(() -> fx.model().describe(settings.getSetting()))).isEqualTo("duo-svd (plain whitened factors), c = 0.400");

        robot.clickOn("#methodChooser").clickOn("fwsvd");
        assertThat(present(robot, "#duo-columns")).isFalse();
        assertThat(onFx(() -> fx.label("#methodSummary"))).isEqualTo(MethodId.FWSVD.summary());
        // Knobs of other methods do not change the setting: the estimate is not recomputed for them.
        CompressionSetting fwsvd = onFx(settings::getSetting);
        onFx(() -> {
            settings.set(MethodId.ASVD, "asvd-alpha", "1.5");
            return null;
        });
        assertThat(onFx(settings::getSetting)).isEqualTo(fwsvd);
        // Returning to ASVD finds its values where they were left.
        robot.clickOn("#methodChooser").clickOn("asvd");
        assertThat(onFx(() -> ((javafx.scene.control.Spinner<?>) robot.lookup("#asvd-alpha").query()).getValue())).isEqualTo(1.5);
    }

    @Test
    void methodOptionsReachTheEngine(FxRobot robot) throws Exception {
        robot.clickOn("#methodChooser").clickOn("asvd");
        enter(robot, "#asvd-alpha", "0.75");
        robot.clickOn("#asvd-ranks").clickOn("uniform");
        PerplexityEstimate asvd = awaitEstimate(MethodId.ASVD);
        assertThat(asvd.request().settings().text("asvd-alpha")).isEqualTo("0.75");
        assertThat(asvd.request().settings().text("asvd-ranks")).isEqualTo("uniform");

        robot.clickOn("#methodChooser").clickOn("ressvd");
        enter(robot, "#ressvd-beta", "0.1");
        enter(robot, "#ressvd-layers", "3");
        PerplexityEstimate ressvd = awaitEstimate(MethodId.RESSVD);
        // ResSVD on the last 3 of 5 layers: layers 0 and 1 stay dense.
        assertThat(ressvd.modules()).filteredOn(m -> m.matrix().layer() < 2).allMatch(m -> m.dense());
        assertThat(ressvd.modules()).filteredOn(m -> m.matrix().layer() >= 2).noneMatch(m -> m.dense());

        Selection all = Selection.all(onFx(() -> fx.model().getOpenedModel().config()));
        try (DirectEngine direct = new DirectEngine(DEMO, TestEngineSettings.settings(), onFx(() -> fx.model().runSettings().getCalibrationSettings()))) {
            double expectedAsvd = direct.perplexity(new CompressionRequest(MethodId.ASVD, 0.4, all, CompressionSettingsModel.interactive(MethodId.ASVD).with("asvd-alpha", "0.75").with("asvd-ranks", "uniform")), 512, 2048);
            assertThat(asvd.perplexity().perplexity()).isCloseTo(expectedAsvd, within(1e-9 * expectedAsvd));
            double expectedResSvd = direct.perplexity(new CompressionRequest(MethodId.RESSVD, 0.4, all, CompressionSettingsModel.interactive(MethodId.RESSVD).with("ressvd-beta", "0.1").with("ressvd-layers", "3")), 512, 2048);
            assertThat(ressvd.perplexity().perplexity()).isCloseTo(expectedResSvd, within(1e-9 * expectedResSvd));
        }
    }

    /**
     * The int8 check box stores any method's factors as int8 (docs/METHODS.md §2.6): the estimate's request carries it, the
     * label says so, the ratio is counted in bits, and the perplexity is the engine's for the same request run directly.
     */
    @Test
    void int8FactorsReachTheEngine(FxRobot robot) throws Exception {
        robot.clickOn("#methodChooser").clickOn("svd-llm");
        robot.clickOn("#int8Factors");
        waitUntil(() -> {
            PerplexityEstimate e = fx.model().results().getEstimate();
            return !fx.model().results().estimateJob().isRunning() && e != null && e.request().method() == MethodId.SVD_LLM
                    && e.request().factorStorage().quantized();
        });
        PerplexityEstimate int8 = onFx(() -> fx.model().results().getEstimate());
        assertThat(onFx(() -> fx.model().describe(fx.model().compression().getSetting())))
                .isEqualTo("svd-llm (int8 factors), c = 0.400");
        Selection all = Selection.all(onFx(() -> fx.model().getOpenedModel().config()));
        try (DirectEngine direct = new DirectEngine(DEMO, TestEngineSettings.settings(), onFx(() -> fx.model().runSettings().getCalibrationSettings()))) {
            CompressionRequest request = new CompressionRequest(MethodId.SVD_LLM, 0.4, all, CompressionSettingsModel.interactive(MethodId.SVD_LLM))
                    .withFactorStorage(new io.svdwb.engine.compress.quant.FactorStorage(io.svdwb.engine.compress.quant.FactorStorage.Precision.INT8,
                            io.svdwb.engine.compress.quant.FactorStorage.DEFAULT_BASELINE_BITS));
            double expected = direct.perplexity(request, 512, 2048);
            assertThat(int8.perplexity().perplexity()).isCloseTo(expected, within(1e-9 * expected));
        }
        // The rank comes from the bit budget (§2.6): the largest k whose codes (8 bits x k(m+n)) and float32 row scales
        // (m rows of A, k of B) fit in 60 % of a 16-bit 64 x 64 matrix, 39,321.6 bits: 1056 k + 2048 <= 39,321.6, k = 35,
        // against the 16-bit uniform floor(0.6 x 64 x 64 / 128) = 19.
        int k = 0;
        while (8.0 * (k + 1) * 128 + 32.0 * (64 + k + 1) <= 0.6 * 64 * 64 * 16) {
            k++;
        }
        int expectedRank = k;
        assertThat(expectedRank).isEqualTo(35);
        assertThat(int8.modules()).filteredOn(m -> m.matrix().label().equals("L0.q")).singleElement()
                .satisfies(m -> assertThat(m.rank()).isEqualTo(expectedRank));
        robot.clickOn("#int8Factors");
        waitUntil(() -> !fx.model().compression().getSetting().factorStorage().quantized());
    }

    /** Types a value into a spinner's editor and commits it with Enter, as a user does. */
    private static void enter(FxRobot robot, String spinner, String value) {
        robot.doubleClickOn(spinner + " .text-field").push(KeyCode.CONTROL, KeyCode.A).write(value).type(KeyCode.ENTER);
    }

    private static boolean present(FxRobot robot, String id) {
        Optional<Node> node = robot.lookup(id).tryQuery();
        return node.isPresent() && node.get().getScene() != null;
    }

    private PerplexityEstimate awaitEstimate(MethodId method) throws Exception {
        waitUntil(() -> {
            PerplexityEstimate e = fx.model().results().getEstimate();
            return !fx.model().results().estimateJob().isRunning() && e != null && e.request().method() == method;
        });
        assertThat(onFx(() -> fx.model().results().estimateJob().getError())).isNull();
        return onFx(() -> fx.model().results().getEstimate());
    }
}
