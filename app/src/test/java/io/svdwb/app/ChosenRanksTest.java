package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.DEMO;
import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.runFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.ModuleOutcome;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * After an estimate the layer tree shows the ranks the method chose (its CompressionResult.modules(), checked
 * against the engine's Compressor run by the test with the same request), marked as such; while the estimate
 * of a new setting is pending it shows the uniform k(c), marked as that. Searches use the workbench's tiny
 * probes ({@link CompressionSettingsModel#interactive}).
 */
@ExtendWith(ApplicationExtension.class)
class ChosenRanksTest {

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
    void afterAResSvdEstimateTheTreeShowsItsDenseLayersAndItsLayerRatioRanks() throws Exception {
        // Without an evaluation text no estimate can come, so the tree keeps showing k(0.4), marked as uniform.
        Path text = onFx(() -> fx.model().runSettings().evaluationTextProperty().get());
        List<String> pending = onFx(() -> {
            fx.model().runSettings().evaluationTextProperty().set(null);
            CompressionSettingsModel settings = fx.model().compression();
            settings.set(MethodId.RESSVD, "ressvd-layers", "3");
            settings.methodProperty().set(MethodId.RESSVD);
            return List.of(fx.cellValue("rankColumn", fx.matrixRow("L0.q")), fx.label("#rankSource"));
        });
        assertThat(pending).containsExactly(Integer.toString(RankFromRatio.rank(64, 64, 0.4)),
                "Rank, Kept (italic): the uniform k(c), until the estimate of this setting is in");
        TreeItem<Object> q0 = onFx(() -> fx.matrixRow("L0.q"));
        waitUntil(() -> Boolean.TRUE.equals(renderedAsUniform(q0)));
        runFx(() -> fx.model().runSettings().evaluationTextProperty().set(text));

        PerplexityEstimate estimate = awaitEstimate(MethodId.RESSVD);
        List<ModuleOutcome> engine = compressDirectly(estimate.request());
        assertThat(estimate.modules()).isEqualTo(engine);
        assertTreeShows(engine);
        // Layers 0 and 1 stay dense; layers 2-4 are cut at R_l = 5 x 0.4 / 3, so a 64x64 matrix at floor(64 x 64 / 128 / 3) = 10.
        assertThat(onFx(() -> fx.cellValue("rankColumn", fx.matrixRow("L1.gate")))).isEqualTo("dense");
        assertThat(onFx(() -> fx.cellValue("rankColumn", fx.matrixRow("L2.q")))).isEqualTo(Integer.toString(RankFromRatio.rank(64, 64, 2.0 / 3)))
                .isEqualTo("10");
        assertThat(onFx(() -> fx.label("#rankSource"))).isEqualTo("Rank, Kept: chosen by ressvd in the last estimate");
        waitUntil(() -> Boolean.FALSE.equals(renderedAsUniform(q0)));
    }

    @Test
    void afterADuoSvdEstimateTheTreeShowsRankPlusKeptColumns() throws Exception {
        // The last two layers only, to keep the KL allocation's probes short.
        Selection lastTwo = Selection.parse("3-4", null, onFx(() -> fx.model().getOpenedModel().config()));
        runFx(() -> {
            fx.model().compression().selectionProperty().set(lastTwo);
            fx.model().compression().methodProperty().set(MethodId.DUO_SVD);
        });
        PerplexityEstimate estimate = awaitEstimate(MethodId.DUO_SVD);
        assertThat(estimate.request().selection()).isEqualTo(lastTwo);
        assertThat(estimate.request().settings().text("duo-columns")).isEqualTo("on");
        List<ModuleOutcome> engine = compressDirectly(estimate.request());
        assertThat(estimate.modules()).isEqualTo(engine);
        assertThat(engine).hasSize(14).anyMatch(m -> m.keptColumns() > 0);
        assertTreeShows(engine);
        assertThat(onFx(() -> fx.label("#rankSource")))
                .isEqualTo("Rank, Kept: chosen by duo-svd in the last estimate (a+b: rank a plus b kept input columns)");
        assertChartsCutAtTheTreesRank("L3.up", engine);
    }

    @Test
    void afterAnAsvdEstimateWithRankSearchTheChartsCutAtItsRanks() throws Exception {
        Selection lastTwo = Selection.parse("3-4", null, onFx(() -> fx.model().getOpenedModel().config()));
        runFx(() -> {
            fx.model().compression().selectionProperty().set(lastTwo);
            fx.model().compression().set(MethodId.ASVD, "asvd-ranks", "search");
            fx.model().compression().methodProperty().set(MethodId.ASVD);
        });
        PerplexityEstimate estimate = awaitEstimate(MethodId.ASVD);
        assertTreeShows(estimate.modules());
        assertChartsCutAtTheTreesRank("L4.gate", estimate.modules());
        assertChartsCutAtTheTreesRank("L3.q", estimate.modules());
    }

    /**
     * The "Ranks: chosen vs uniform" chart draws, for Zero-Sum SVD's global prune and Swift-SVD's dynamic allocation, every
     * selected matrix's rank from the engine's own compression of the same request (0 for a matrix kept dense) beside
     * floor((1 - c) m n / (m + n)), computed here from the shapes (docs/METHODS.md §2.3).
     */
    @Test
    void theRankChartShowsZeroSumAndSwiftRanksAgainstTheUniformRank() throws Exception {
        for (String name : List.of("zero-sum-svd", "swift-svd")) {
            MethodId method = MethodId.parse(name);
            runFx(() -> fx.model().compression().methodProperty().set(method));
            PerplexityEstimate estimate = awaitEstimate(method);
            List<ModuleOutcome> engine = compressDirectly(estimate.request());
            assertThat(estimate.modules()).isEqualTo(engine);
            org.jfree.data.category.CategoryDataset chart = onFx(() -> fx.node("#chosenRankChart", org.jfree.chart.fx.ChartViewer.class)
                    .getChart().getCategoryPlot().getDataset());
            waitUntil(() -> chart.getColumnCount() == engine.size());
            long chosenSum = 0;
            long uniformSum = 0;
            boolean differs = false;
            for (ModuleOutcome outcome : engine) {
                MatrixSpec m = outcome.matrix();
                int chosen = outcome.dense() ? 0 : outcome.rank();
                int uniform = (int) Math.floor(0.6 * m.rows() * m.cols() / (m.rows() + m.cols()));
                assertThat(onFx(() -> chart.getValue(io.svdwb.app.view.ChosenRanksView.CHOSEN, m.label()).intValue())).as(name + " " + m.label())
                        .isEqualTo(chosen);
                assertThat(onFx(() -> chart.getValue(io.svdwb.app.view.ChosenRanksView.UNIFORM, m.label()).intValue())).as(m.label())
                        .isEqualTo(uniform);
                chosenSum += chosen;
                uniformSum += uniform;
                differs |= chosen != uniform;
            }
            // a per-matrix allocation, or the chart would not show what it is for
            assertThat(differs).as(name).isTrue();
            assertThat(onFx(() -> fx.label("#chosenRankCaption"))).contains("chosen by " + name)
                    .contains("sum " + chosenSum + " vs " + uniformSum + " over " + engine.size() + " matrices");
        }
    }

    /**
     * With {@code label} selected, the spectrum's cut and its small multiple's cut are the method's rank k for it (the factor
     * rank of the tree's "k+q"), not the uniform k(c), and so is each small multiple of its layer.
     */
    private void assertChartsCutAtTheTreesRank(String label, List<ModuleOutcome> outcomes) throws Exception {
        MatrixSpec matrix = onFx(() -> fx.model().getOpenedModel().matrices().stream().filter(m -> m.label().equals(label)).findFirst()
                .orElseThrow());
        runFx(() -> fx.model().selectedMatrixProperty().set(matrix));
        waitUntil(() -> fx.model().results().getLayerSpectra() != null && fx.model().results().getLayerSpectra().layer() == matrix.layer());
        for (ModuleOutcome outcome : outcomes) {
            if (outcome.matrix().layer() != matrix.layer() || outcome.dense()) {
                continue;
            }
            String tree = onFx(() -> fx.cellValue("rankColumn", fx.matrixRow(outcome.matrix().label())));
            double small = onFx(() -> FxTestSupport.cutMarker(fx.node("#smallSpectrum-" + outcome.matrix().kind().shortName(),
                    org.jfree.chart.fx.ChartViewer.class)));
            assertThat(small).as(outcome.matrix().label()).isEqualTo(outcome.rank());
            assertThat(tree).as(outcome.matrix().label()).startsWith(Integer.toString(outcome.rank()));
            if (outcome.matrix().equals(matrix)) {
                double large = onFx(() -> FxTestSupport.cutMarker(fx.node("#spectrumChart", org.jfree.chart.fx.ChartViewer.class)));
                assertThat(large).as(label).isEqualTo(outcome.rank());
                assertThat(onFx(() -> fx.label("#spectrumHeading"))).contains("cut k = " + outcome.rank() + " of");
            }
        }
        // and the method's ranks differ from the uniform k(c) somewhere, or the check would prove nothing
        assertThat(outcomes.stream().filter(o -> !o.dense())
                .anyMatch(o -> o.rank() != onFxQuiet(() -> fx.model().getPlan().rankOf(o.matrix())))).isTrue();
    }

    private static <T> T onFxQuiet(java.util.concurrent.Callable<T> read) {
        try {
            return onFx(read);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every matrix row: the outcome's rank ("k+q" with kept columns, "dense" for none) and stored count; unselected rows dense. */
    private void assertTreeShows(List<ModuleOutcome> outcomes) throws Exception {
        for (MatrixSpec m : onFx(() -> fx.model().getOpenedModel().matrices())) {
            ModuleOutcome outcome = outcomes.stream().filter(o -> o.matrix().equals(m)).findFirst().orElse(null);
            String rank = outcome == null || outcome.dense() ? "dense"
                    : outcome.keptColumns() > 0 ? outcome.rank() + "+" + outcome.keptColumns() : Integer.toString(outcome.rank());
            long stored = outcome == null ? m.parameters() : outcome.stored();
            TreeItem<Object> row = onFx(() -> fx.matrixRow(m.label()));
            assertThat(onFx(() -> fx.cellValue("rankColumn", row))).as(m.label()).isEqualTo(rank);
            assertThat(onFx(() -> fx.cellValue("keptColumn", row))).as(m.label()).isEqualTo(String.format(Locale.ROOT, "%,d", stored));
        }
    }

    /** The engine's own outcomes for the request, from a Compressor on a second context over the same calibration cache. */
    private List<ModuleOutcome> compressDirectly(CompressionRequest request) throws Exception {
        try (DirectEngine direct = new DirectEngine(DEMO, TestEngineSettings.settings(), onFx(() -> fx.model().runSettings().getCalibrationSettings()))) {
            return new Compressor(direct.context()).compress(request, ProgressListener.NONE).modules();
        }
    }

    /** Whether the rendered Rank cell of a row is marked as the uniform k(c); null while it is not on screen. */
    private Boolean renderedAsUniform(TreeItem<Object> row) {
        return fx.tree().lookupAll(".tree-table-cell").stream()
                .map(node -> (TreeTableCell<?, ?>) node)
                .filter(cell -> cell.isVisible() && cell.getTableColumn() != null && "rankColumn".equals(cell.getTableColumn().getId())
                        && cell.getTableRow() != null && cell.getTableRow().getTreeItem() == row)
                .map(cell -> cell.getPseudoClassStates().stream().anyMatch(p -> p.getPseudoClassName().equals("uniform")))
                .findFirst().orElse(null);
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
