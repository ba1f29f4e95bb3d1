package io.svdwb.app.soco;

import io.svdwb.app.OpenedModel;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.soco.SocoScores;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * SoCo's rank of every matrix it compressed (how many components its global prune kept, from the scores) next to
 * the uniform rank k(c) = floor((1 - c) m n / (m + n)) of the engine's {@link RankFromRatio} at the scores' ratio:
 * where SoCo spends the budget. One bar pair per matrix, layer by layer.
 */
public final class SocoRankView {

    /** Row keys of the chart's dataset. */
    public static final String SOCO = "SoCo rank";
    public static final String UNIFORM = "uniform k(c)";

    private final WorkbenchModel model;
    private final DefaultCategoryDataset ranks = new DefaultCategoryDataset();
    private final Label caption = new Label();
    private final VBox box;

    public SocoRankView(WorkbenchModel model) {
        this.model = model;
        ChartViewer viewer = io.svdwb.app.view.RankBarChart.create(ranks, SocoOverlay.KEPT, "socoRankChart");
        caption.setId("socoRankCaption");
        caption.setWrapText(true);
        // The chart gives way first: the caption keeps its lines, never cut to an ellipsis.
        caption.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox.setVgrow(viewer, Priority.ALWAYS);
        box = new VBox(2, caption, viewer);

        model.soco().scoresProperty().addListener((observable, before, now) -> refresh());
        model.openedModelProperty().addListener((observable, before, now) -> refresh());
        model.soco().scoresSourceProperty().addListener((observable, before, now) -> refresh());
        refresh();
    }

    public Region node() {
        return box;
    }

    private void refresh() {
        SocoScores scores = model.soco().getScores();
        OpenedModel opened = model.getOpenedModel();
        ranks.clear();
        if (scores == null || opened == null) {
            // short: one line even at 1024 x 700, so that the chart keeps its height
            caption.setText("SoCo ranks: not trained yet");
            return;
        }
        long socoTotal = 0;
        long uniformTotal = 0;
        for (MatrixSpec m : opened.matrices()) {
            SocoScores.ModuleScores module = scores.modules().get(m.kind().moduleName(m.layer()));
            if (module == null) {
                continue;
            }
            int uniform = RankFromRatio.rank(m.rows(), m.cols(), scores.targetRatio());
            ranks.addValue(module.rank(), SOCO, m.label());
            ranks.addValue(uniform, UNIFORM, m.label());
            socoTotal += module.rank();
            uniformTotal += uniform;
        }
        caption.setText(String.format(Locale.ROOT, "Ranks at c = %.3f: SoCo (green, %s) against the uniform k(c) (blue)  ·  "
                + "sum %d vs %d over %d matrices", scores.targetRatio(), model.soco().scoresSourceProperty().get(), socoTotal, uniformTotal,
                ranks.getColumnCount()));
    }
}
