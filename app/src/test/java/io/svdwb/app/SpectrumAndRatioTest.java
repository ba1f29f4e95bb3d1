package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.cutMarker;
import static io.svdwb.app.FxTestSupport.cutMarkerOnScreen;
import static io.svdwb.app.FxTestSupport.DEMO;
import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.plotted;
import static io.svdwb.app.FxTestSupport.runFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.compress.kernels.PlainSvd;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.workbench.MatrixSpectrum;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.Slider;
import javafx.scene.control.TreeItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * Selection, spectra and the ratio slider on the real window with the demo model (5 layers; q, o 64x64;
 * k, v 32x64; gate, up 172x64; down 64x172). Expected values come from RankFromRatio, hand counts, and
 * the engine's SVD of the checkpoint's weights read by the test itself.
 */
@ExtendWith(ApplicationExtension.class)
class SpectrumAndRatioTest {

    private Workbench workbench;
    private FxTestSupport fx;

    @Start
    void start(Stage stage) {
        // Plain SVD needs no calibration: these tests look at the raw spectra and the arithmetic only.
        fx = FxTestSupport.showDemo(stage, TestEngineSettings.settings(),
                model -> model.compression().methodProperty().set(io.svdwb.engine.compress.method.MethodId.SVD));
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
    void clickingAMatrixSelectsItAndShowsItsSpectrumAndItsLayersSmallMultiples(FxRobot robot) throws Exception {
        TreeItem<Object> down = onFx(() -> {
            TreeItem<Object> row = fx.matrixRow("L2.down");
            row.getParent().setExpanded(true);
            fx.tree().scrollTo(fx.tree().getRow(row));
            return row;
        });
        waitUntil(() -> fx.renderedCell("labelColumn", down) != null);
        robot.clickOn(onFx(() -> fx.tree().lookupAll(".tree-table-cell").stream()
                .filter(n -> "L2.down".equals(((javafx.scene.control.TreeTableCell<?, ?>) n).getText())).findFirst().orElseThrow()));

        MatrixSpec selected = onFx(() -> fx.model().getSelectedMatrix());
        assertThat(selected.label()).isEqualTo("L2.down");
        assertThat(selected.rows()).isEqualTo(64);
        assertThat(selected.cols()).isEqualTo(172);
        waitUntil(() -> fx.model().results().getLayerSpectra() != null && fx.model().results().getLayerSpectra().layer() == 2);

        // The plotted singular values are those of the weight, decomposed here by the engine from the checkpoint.
        double[] expected = plainSigma(selected);
        ChartViewer main = fx.node("#spectrumChart", ChartViewer.class);
        double[] shown = onFx(() -> plotted(main, 0, 0));
        assertThat(shown).hasSize(64);
        assertThat(shown).containsExactly(expected, within(1e-12 * expected[0]));
        // The energy curve on the second axis ends at 1 and is the engine's retained-energy curve.
        double[] energy = onFx(() -> plotted(main, 1, 0));
        assertThat(energy).containsExactly(MatrixSpectrum.retainedEnergy(expected), within(1e-12));
        assertThat(energy[63]).isCloseTo(1.0, within(1e-12));

        int k = RankFromRatio.rank(64, 172, 0.4);  // floor(0.6 * 11008 / 236) = 27
        assertThat(k).isEqualTo(27);
        assertThat(onFx(() -> cutMarker(main))).isEqualTo(27.0);
        // the uniform k(c) until svd's estimate is in, then svd's own rank, which is the same k for plain SVD
        assertThat(onFx(() -> fx.label("#spectrumHeading"))).startsWith("L2.down  64 × 172  ·  cut k = 27 of 64  ·  ")
                .endsWith("at c = 0.400");
        MatrixSpectrum.Cut cut = new MatrixSpectrum(selected, expected, null).cut(27);
        assertThat(onFx(() -> fx.label("#rawCutLabel"))).isEqualTo(String.format(Locale.ROOT,
                "W: keeps %.1f %% of σ²  ·  truncation loss ‖W − W_k‖_F = %.4g (%.1f %% of ‖W‖_F)",
                100 * cut.rawRetainedEnergy(), cut.rawLoss(), 100 * cut.rawRelativeLoss()));

        // Small multiples: the seven matrices of layer 2, each cut at its own k(0.4).
        for (ProjectionKind kind : ProjectionKind.values()) {
            ChartViewer small = fx.node("#smallSpectrum-" + kind.shortName(), ChartViewer.class);
            MatrixSpec m = spec(2, kind);
            assertThat(onFx(() -> small.getChart().getTitle().getText())).startsWith(m.label());
            assertThat(onFx(() -> cutMarker(small))).as(m.label()).isEqualTo(RankFromRatio.rank(m.rows(), m.cols(), 0.4));
            assertThat(onFx(() -> plotted(small, 0, 0).length)).isEqualTo(Math.min(m.rows(), m.cols()));
        }
    }

    @Test
    void clickingASmallMultipleSelectsThatMatrix(FxRobot robot) throws Exception {
        waitUntil(() -> fx.model().results().getLayerSpectra() != null);
        robot.clickOn(fx.node("#smallSpectrum-v", ChartViewer.class));
        assertThat(onFx(() -> fx.model().getSelectedMatrix().label())).isEqualTo("L0.v");
        assertThat(onFx(() -> fx.cellValue("labelColumn", fx.tree().getSelectionModel().getSelectedItem()))).isEqualTo("L0.v");
        ChartViewer main = fx.node("#spectrumChart", ChartViewer.class);
        assertThat(onFx(() -> cutMarker(main))).isEqualTo(12.0);  // 32x64 at 0.4: floor(0.6 * 2048 / 96) = 12
    }

    @Test
    void movingTheRatioSliderUpdatesRanksTotalsAndTheCutInTheSameFrame() throws Exception {
        waitUntil(() -> fx.model().results().getLayerSpectra() != null);
        Slider slider = fx.node("#ratioSlider", Slider.class);
        ChartViewer main = fx.node("#spectrumChart", ChartViewer.class);
        ChartViewer smallDown = fx.node("#smallSpectrum-down", ChartViewer.class);
        // Everything below is read in the same FX event as the move: no pulse, no background work in between.
        List<String> read = onFx(() -> {
            slider.setValue(0.6);
            TreeItem<Object> q = fx.matrixRow("L0.q");
            TreeItem<Object> gate = fx.matrixRow("L3.gate");
            return List.of(fx.cellValue("rankColumn", q), fx.cellValue("keptColumn", q), fx.cellValue("rankColumn", gate),
                    fx.cellValue("keptColumn", q.getParent()), Double.toString(cutMarker(main)), Double.toString(cutMarker(smallDown)),
                    fx.label("#keptParameters"), fx.label("#ratioValue"), fx.label("#modelSize"));
        });
        // c = 0.6: 64x64 -> floor(0.4 * 4096 / 128) = 12; 32x64 -> floor(0.4 * 2048 / 96) = 8; 172x64 -> floor(0.4 * 11008 / 236) = 18.
        // Per layer 2*12*128 + 2*8*96 + 3*18*236 = 17,352; five layers 86,760; model 260,032 - 226,560 + 86,760 = 120,232.
        assertThat(RankFromRatio.rank(64, 64, 0.6)).isEqualTo(12);
        assertThat(read.get(0)).isEqualTo("12");
        assertThat(read.get(1)).isEqualTo("1,536");
        assertThat(read.get(2)).isEqualTo(Integer.toString(RankFromRatio.rank(172, 64, 0.6))).isEqualTo("18");
        assertThat(read.get(3)).isEqualTo("17,352");
        assertThat(read.get(4)).isEqualTo("12.0");
        assertThat(read.get(5)).isEqualTo("18.0");
        assertThat(read.get(6)).isEqualTo(String.format(Locale.ROOT,
                "86,760 of 226,560 parameters of the 35 selected matrices (realised c %.4f)", 1 - 86_760 / 226_560.0));
        assertThat(read.get(7)).isEqualTo("c = 0.600");
        // Factored checkpoint: the file's other tensors (33,472 parameters plus the stored tied lm_head, 32,768) and the factors, float32.
        assertThat(read.get(8)).isEqualTo(String.format(Locale.ROOT, "%.2f MB as a factored checkpoint (float32 factors)"
                + "  ·  model 120,232 of 260,032 parameters", (33_472 + 32_768 + 86_760) * 4 / 1e6));
        assertThat(sumOfKeptParameters(0.6)).isEqualTo(86_760);
        // The rendered cells follow at the next pulse, and the marker line is drawn where the plot's axis puts x = 12 and 18.
        TreeItem<Object> q = onFx(() -> fx.matrixRow("L0.q"));
        waitUntil(() -> "12".equals(fx.renderedCell("rankColumn", q)));
        waitUntil(() -> cutMarkerOnScreen(main) != null && Math.abs(cutMarkerOnScreen(main)[1] - 12) < 1e-9
                && cutMarkerOnScreen(smallDown) != null && Math.abs(cutMarkerOnScreen(smallDown)[1] - 18) < 1e-9);
    }

    @Test
    void draggingAndKeyingTheSliderKeepsEveryShownRankEqualToRankFromRatio(FxRobot robot) throws Exception {
        waitUntil(() -> fx.model().results().getLayerSpectra() != null);
        Slider slider = fx.node("#ratioSlider", Slider.class);
        robot.drag(slider.lookup(".thumb"), MouseButton.PRIMARY).moveBy(90, 0).release(MouseButton.PRIMARY);
        double dragged = onFx(() -> fx.model().compression().getRatio());
        assertThat(dragged).isGreaterThan(0.4);
        assertAllRanksShownFor(dragged);

        robot.clickOn(slider.lookup(".thumb")).type(KeyCode.LEFT, 3);
        double keyed = onFx(() -> fx.model().compression().getRatio());
        assertThat(keyed).isLessThan(dragged);
        assertAllRanksShownFor(keyed);
        assertThat(onFx(() -> fx.label("#ratioValue"))).isEqualTo(String.format(Locale.ROOT, "c = %.3f", keyed));
    }

    @Test
    void theRatioIsKeptToThousandthsWithinTheSlidersRange() throws Exception {
        Slider slider = fx.node("#ratioSlider", Slider.class);
        assertThat(onFx(() -> {
            slider.setValue(0.41372);
            return fx.model().compression().getRatio();
        })).isEqualTo(0.414);
        assertThat(onFx(slider::getValue)).isEqualTo(0.414);
        assertThat(onFx(() -> {
            fx.model().compression().setRatio(0.99);
            return slider.getValue();
        })).isEqualTo(0.95);
    }

    /** Every matrix row's rank and kept count, the totals, and the main chart's marker, against RankFromRatio. */
    private void assertAllRanksShownFor(double ratio) throws Exception {
        ChartViewer main = fx.node("#spectrumChart", ChartViewer.class);
        for (MatrixSpec m : onFx(() -> fx.model().getOpenedModel().matrices())) {
            int k = RankFromRatio.rank(m.rows(), m.cols(), ratio);
            TreeItem<Object> row = onFx(() -> fx.matrixRow(m.label()));
            assertThat(onFx(() -> fx.cellValue("rankColumn", row))).as(m.label()).isEqualTo(Integer.toString(k));
            assertThat(onFx(() -> fx.cellValue("keptColumn", row))).isEqualTo(String.format(Locale.ROOT, "%,d", (long) k * (m.rows() + m.cols())));
        }
        MatrixSpec selected = onFx(() -> fx.model().getSelectedMatrix());
        assertThat(onFx(() -> cutMarker(main))).isEqualTo(RankFromRatio.rank(selected.rows(), selected.cols(), ratio));
        assertThat(onFx(() -> fx.label("#keptParameters"))).startsWith(String.format(Locale.ROOT, "%,d of 226,560", sumOfKeptParameters(ratio)));
    }

    private long sumOfKeptParameters(double ratio) throws Exception {
        long kept = 0;
        for (MatrixSpec m : onFx(() -> fx.model().getOpenedModel().matrices())) {
            kept += RankFromRatio.stored(m.rows(), m.cols(), RankFromRatio.rank(m.rows(), m.cols(), ratio));
        }
        return kept;
    }

    private MatrixSpec spec(int layer, ProjectionKind kind) throws Exception {
        return onFx(() -> fx.model().getOpenedModel().matrices().stream().filter(m -> m.layer() == layer && m.kind() == kind)
                .findFirst().orElseThrow());
    }

    /** sigma of W, from the checkpoint and the engine's plain SVD, independent of the window's session. */
    private static double[] plainSigma(MatrixSpec matrix) throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(DEMO)) {
            LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM);
            return PlainSvd.decompose(model.linearAlgebra(), model.loadDense(matrix.layer(), matrix.kind()).weight(), matrix.label())
                    .singularValues();
        }
    }
}
