package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.DEMO;
import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.runFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TreeItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.controlsfx.control.RangeSlider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * Layer and module selection on the real window with the demo model (5 layers; q, o 64x64; k, v 32x64; gate, up
 * 172x64; down 64x172): check boxes (a matrix's box excludes that matrix alone), the layer range slider and "last
 * k layers" give exactly the selection of the equivalent command line; the instant numbers are the engine's realised ratio over the selected matrices; an
 * estimate of a partial selection is the engine's own.
 */
@ExtendWith(ApplicationExtension.class)
class LayerSelectionTest {

    private Workbench workbench;
    private FxTestSupport fx;
    private ModelConfig config;

    @Start
    void start(Stage stage) {
        // Plain SVD needs no calibration; the estimate test chooses SVD-LLM itself.
        fx = FxTestSupport.showDemo(stage, TestEngineSettings.settings(), model -> model.compression().methodProperty().set(MethodId.SVD));
        workbench = fx.workbench();
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @BeforeEach
    void waitForDemoModel() throws Exception {
        fx.awaitDemoModel();
        config = onFx(() -> fx.model().getOpenedModel().config());
    }

    @Test
    void checkBoxesGiveTheSelectionOfTheEquivalentCommandLine(FxRobot robot) throws Exception {
        assertThat(selection()).isEqualTo(Selection.parse(null, null, config));
        assertThat(onFx(() -> fx.label("#selectionSummary"))).isEqualTo("35 of 35 matrices: --layers 0-4 --modules q,k,v,o,gate,up,down");

        robot.clickOn(checkBox("L1"));
        assertThat(selection()).isEqualTo(Selection.parse("0,2-4", null, config));
        assertThat(checked("L1", CheckBox::isSelected)).isFalse();

        // A matrix's box switches that matrix only: --exclude layer.projection.
        robot.clickOn(checkBox("L0.q"));
        assertThat(selection()).isEqualTo(Selection.parse("0,2-4", null, "0.q", config));
        assertThat(checked("L0.q", CheckBox::isSelected)).isFalse();
        assertThat(checked("L0", CheckBox::isIndeterminate)).isTrue();
        assertThat(checked("L2", CheckBox::isSelected)).isTrue();
        robot.clickOn(checkBox("L0.down"));
        assertThat(selection()).isEqualTo(Selection.parse("0,2-4", null, "0.q,0.down", config));
        assertThat(onFx(() -> fx.label("#selectionSummary")))
                .isEqualTo("26 of 35 matrices: --layers 0,2-4 --modules q,k,v,o,gate,up,down --exclude 0.q,0.down");

        // Checking a matrix of an unselected layer adds that matrix alone.
        runFx(() -> fx.matrixRow("L1.q").getParent().setExpanded(true));
        robot.clickOn(checkBox("L1.q"));
        assertThat(selection()).isEqualTo(Selection.parse("0-4", null, "0.q,0.down,1.k,1.v,1.o,1.gate,1.up,1.down", config));
        assertThat(checked("L1.q", CheckBox::isSelected)).isTrue();
        assertThat(checked("L1", CheckBox::isIndeterminate)).isTrue();

        // A layer's box switches the layer; the exclusions in the other layers stay.
        robot.clickOn(checkBox("L3"));
        assertThat(selection()).isEqualTo(Selection.parse("0-2,4", null, "0.q,0.down,1.k,1.v,1.o,1.gate,1.up,1.down", config));
        robot.clickOn(checkBox("L0.q"));
        assertThat(selection()).isEqualTo(Selection.parse("0-2,4", null, "0.down,1.k,1.v,1.o,1.gate,1.up,1.down", config));
        robot.clickOn("#selectAllButton");
        assertThat(selection()).isEqualTo(Selection.all(config));
        assertThat(checked("L0", CheckBox::isSelected)).isTrue();
        assertThat(checked("L0", CheckBox::isIndeterminate)).isFalse();
    }

    @Test
    void theRangeSliderAndLastKLayersGiveTheSelectionOfTheEquivalentCommandLine(FxRobot robot) throws Exception {
        RangeSlider range = fx.node("#layerRange", RangeSlider.class);
        // The spinner opens at the model's k (2), not clamped to a range it had before a model was open.
        assertThat(onFx(() -> List.of(fx.model().compression().lastLayersCountProperty().get(),
                fx.node("#lastLayersCount", javafx.scene.control.Spinner.class).getValue()))).containsExactly(2, 2);
        assertThat(onFx(() -> List.of(range.getMin(), range.getMax()))).containsExactly(0.0, 4.0);
        // Exclusions in the layers the slider keeps stay; those in layers it drops go with them.
        robot.clickOn(checkBox("L0.v"));
        runFx(() -> fx.matrixRow("L3.v").getParent().setExpanded(true));
        robot.clickOn(checkBox("L3.v"));
        runFx(() -> range.setLowValue(2));
        assertThat(selection()).isEqualTo(Selection.parse("2-4", null, "3.v", config));
        runFx(() -> range.setHighValue(3));
        assertThat(selection()).isEqualTo(Selection.parse("2-3", null, "3.v", config));
        assertThat(onFx(() -> fx.label("#layerRangeValue"))).isEqualTo("2-3");

        // Dragged by the mouse past its end, the high thumb stops at the last layer.
        robot.drag(range.lookup(".high-thumb"), MouseButton.PRIMARY).moveBy(400, 0).release(MouseButton.PRIMARY);
        assertThat(selection()).isEqualTo(Selection.parse("2-4", null, "3.v", config));

        // "Last k layers" with k = 2 typed into its spinner: --layers 3-4; the slider follows.
        robot.doubleClickOn("#lastLayersCount .text-field").push(KeyCode.CONTROL, KeyCode.A).write("2").type(KeyCode.ENTER);
        robot.clickOn("#lastLayersButton");
        assertThat(selection()).isEqualTo(Selection.parse("3-4", null, "3.v", config));
        assertThat(onFx(() -> List.of(range.getLowValue(), range.getHighValue()))).containsExactly(3.0, 4.0);

        // A gap made in the tree is kept until the slider is moved again; the slider shows the span.
        robot.clickOn("#selectAllButton");
        robot.clickOn(checkBox("L2"));
        assertThat(selection()).isEqualTo(Selection.parse("0-1,3-4", null, config));
        assertThat(onFx(() -> List.of(range.getLowValue(), range.getHighValue()))).containsExactly(0.0, 4.0);
        runFx(() -> range.setLowValue(1));
        assertThat(selection()).isEqualTo(Selection.parse("1-4", null, config));
    }

    @Test
    void theInstantNumbersAreTheEnginesRealisedRatioOverTheSelectedMatrices() throws Exception {
        Selection chosen = Selection.parse("2-4", "q,k,gate", "3.k", config);
        runFx(() -> {
            fx.model().compression().selectionProperty().set(chosen);
            fx.model().compression().setRatio(0.6);
        });
        // By hand: RankFromRatio per selected matrix, summed by the engine's RealisedRatio.
        List<RealisedRatio.Entry> entries = new ArrayList<>();
        long unselected = 0;
        for (MatrixSpec m : onFx(() -> fx.model().getOpenedModel().matrices())) {
            if (chosen.includes(m)) {
                entries.add(RealisedRatio.Entry.lowRank(m.rows(), m.cols(), RankFromRatio.rank(m.rows(), m.cols(), 0.6)));
            } else {
                unselected += m.parameters();
            }
        }
        RealisedRatio realised = RealisedRatio.of(entries, 260_032);
        // 3 layers x (q 64x64 at 12: 1,536; k 32x64 at 8: 768; gate 172x64 at 18: 4,248) = 19,656 of 3 x 17,152 = 51,456,
        // less the excluded L3.k (768 of 2,048): 18,888 of 49,408.
        assertThat(realised.keptParameters()).isEqualTo(18_888);
        assertThat(realised.originalParameters()).isEqualTo(49_408);
        assertThat(onFx(() -> fx.label("#keptParameters"))).isEqualTo(String.format(Locale.ROOT,
                "18,888 of 49,408 parameters of the 8 selected matrices (realised c %.4f)", realised.effectiveRatio()));
        // The factored checkpoint: the file's other tensors (33,472 parameters and the stored tied lm_head, 32,768),
        // the unselected weights as stored (float32) and the factors (float32).
        assertThat(unselected).isEqualTo(226_560 - 49_408);
        assertThat(onFx(() -> fx.label("#modelSize"))).isEqualTo(String.format(Locale.ROOT,
                "%.2f MB as a factored checkpoint (float32 factors; unselected matrices as stored)  ·  model %,d of 260,032 parameters",
                (33_472 + 32_768 + unselected + 18_888) * 4 / 1e6, 260_032 - 49_408 + 18_888));

        // Tree: selected matrices at their k(c), the others dense and keeping m n; a layer row sums its matrices.
        for (MatrixSpec m : onFx(() -> fx.model().getOpenedModel().matrices())) {
            TreeItem<Object> row = onFx(() -> fx.matrixRow(m.label()));
            int k = RankFromRatio.rank(m.rows(), m.cols(), 0.6);
            assertThat(onFx(() -> fx.cellValue("rankColumn", row))).as(m.label()).isEqualTo(chosen.includes(m) ? Integer.toString(k) : "dense");
            assertThat(onFx(() -> fx.cellValue("keptColumn", row))).as(m.label()).isEqualTo(String.format(Locale.ROOT, "%,d",
                    chosen.includes(m) ? RankFromRatio.stored(m.rows(), m.cols(), k) : m.parameters()));
        }
        TreeItem<Object> layer3 = onFx(() -> fx.matrixRow("L3.q").getParent());
        // Layer 3: q (4,096) and gate (11,008) at their ranks (1,536 + 4,248); the rest, the excluded L3.k included, dense.
        assertThat(onFx(() -> fx.cellValue("keptColumn", layer3))).isEqualTo(String.format(Locale.ROOT, "%,d",
                45_312 - 4_096 - 11_008 + 1_536 + 4_248));
        // An unselected matrix's spectrum is not cut.
        runFx(() -> fx.model().selectedMatrixProperty().set(fx.model().getOpenedModel().matrices().get(0)));
        assertThat(onFx(() -> fx.label("#spectrumHeading"))).isEqualTo("L0.q  64 × 64  ·  not selected: stays dense (all 64 components)");

        // Nothing selected: nothing to compress, every matrix dense.
        runFx(() -> fx.model().compression().selectionProperty().set(new Selection(new java.util.BitSet(), chosen.modules())));
        assertThat(onFx(() -> fx.label("#keptParameters"))).isEqualTo("No matrix selected: nothing is compressed");
        assertThat(onFx(() -> fx.cellValue("rankColumn", fx.matrixRow("L3.gate")))).isEqualTo("dense");
        assertThat(onFx(() -> fx.label("#selectionSummary"))).isEqualTo("No matrix selected");
    }

    @Test
    void anEstimateOfAPartialSelectionIsTheEnginesForThatSelection(FxRobot robot) throws Exception {
        robot.clickOn("#methodChooser").clickOn("svd-llm");
        robot.clickOn(checkBox("L2"));
        robot.clickOn(checkBox("L0.gate"));
        robot.clickOn(checkBox("L0.up"));
        Selection expected = Selection.parse("0-1,3-4", null, "0.gate,0.up", config);
        assertThat(selection()).isEqualTo(expected);
        runFx(() -> fx.model().compression().setRatio(0.5));
        waitUntil(() -> {
            PerplexityEstimate e = fx.model().results().getEstimate();
            return !fx.model().results().estimateJob().isRunning() && e != null && e.request().method() == MethodId.SVD_LLM
                    && e.request().ratio() == 0.5 && e.request().selection().equals(expected);
        });
        PerplexityEstimate shown = onFx(() -> fx.model().results().getEstimate());
        assertThat(onFx(() -> fx.model().results().estimateJob().getError())).isNull();
        CompressionRequest request = new CompressionRequest(MethodId.SVD_LLM, 0.5, expected, CompressionSettingsModel.interactive(MethodId.SVD_LLM));
        assertThat(shown.request()).isEqualTo(request);
        try (DirectEngine direct = new DirectEngine(DEMO, TestEngineSettings.settings(), onFx(() -> fx.model().runSettings().getCalibrationSettings()))) {
            double perplexity = direct.perplexity(request, 512, RunSettingsModel.DEFAULT_ESTIMATE_TOKENS);
            assertThat(shown.perplexity().perplexity()).isCloseTo(perplexity, within(1e-9 * perplexity));
            assertThat(onFx(() -> fx.label("#estimateValue"))).isEqualTo(String.format(Locale.ROOT, "%.4f", perplexity));
        }
        // Only the 26 selected matrices (4 layers x 7 projections less L0.gate and L0.up) were compressed, and the
        // label says which ones.
        assertThat(shown.modules()).hasSize(26).allMatch(m -> expected.includes(m.matrix()));
        assertThat(onFx(() -> fx.label("#estimateSetting"))).startsWith(String.format(Locale.ROOT,
                "svd-llm, c = 0.500 on layers 0-1,3-4; modules q,k,v,o,gate,up,down; excluding 0.gate,0.up  ·  realised c %.4f  ·  ",
                shown.realised().effectiveRatio()));
    }

    private Selection selection() throws Exception {
        return onFx(() -> fx.model().compression().getSelection());
    }

    /** A check box's state, read on the FX thread. */
    private boolean checked(String row, java.util.function.Predicate<CheckBox> state) throws Exception {
        CheckBox box = checkBox(row);
        return onFx(() -> state.test(box));
    }

    /** The check box of a layer ("L2") or matrix ("L2.q") row, scrolled into view. */
    private CheckBox checkBox(String row) throws Exception {
        String id = "#check-" + row.replace('.', '-');
        runFx(() -> {
            TreeItem<Object> item = row.contains(".") ? fx.matrixRow(row)
                    : fx.tree().getRoot().getChildren().get(Integer.parseInt(row.substring(1)));
            fx.tree().scrollTo(fx.tree().getRow(item));
        });
        waitUntil(() -> fx.tree().lookup(id) != null);
        return onFx(() -> (CheckBox) fx.tree().lookup(id));
    }
}
