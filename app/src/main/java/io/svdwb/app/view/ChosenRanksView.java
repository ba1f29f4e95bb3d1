package io.svdwb.app.view;

import io.svdwb.app.ShownRanks;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.method.ModuleOutcome;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.awt.Color;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Where any method spends its budget: the rank the last estimate's method chose for every selected matrix (0 for a
 * matrix it kept dense) next to the uniform k(c) of the engine's {@link RankFromRatio}, as SoCo's rank chart does for
 * SoCo. For methods that choose ranks per matrix (Swift-SVD's allocation, Zero-Sum SVD's global prune, ASVD's search,
 * Duo-SVD's knapsack, SVD-LLM V2) the bars differ; for the uniform ones they coincide.
 */
public final class ChosenRanksView {

    /** Row keys of the chart's dataset. */
    public static final String CHOSEN = "chosen rank";
    public static final String UNIFORM = "uniform k(c)";

    private final DefaultCategoryDataset ranks = new DefaultCategoryDataset();
    private final Label caption = new Label();
    private final Tab tab;

    public ChosenRanksView(WorkbenchModel model) {
        ChartViewer viewer = RankBarChart.create(ranks, new Color(0xd9, 0x5f, 0x02), "chosenRankChart");
        caption.setId("chosenRankCaption");
        caption.setWrapText(true);
        caption.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox.setVgrow(viewer, Priority.ALWAYS);
        VBox box = new VBox(2, caption, viewer);
        box.setPadding(new javafx.geometry.Insets(4, 6, 4, 6));
        tab = new Tab("Ranks: chosen vs uniform", box);
        tab.setId("chosenRanksTab");
        tab.setClosable(false);
        model.shownRanksProperty().addListener((observable, before, now) -> show(now));
        show(model.shownRanksProperty().getValue());
    }

    public Tab tab() {
        return tab;
    }

    private void show(ShownRanks shown) {
        ranks.clear();
        PerplexityEstimate estimate = shown == null || !shown.fromEstimate() ? null : shown.estimate();
        if (estimate == null) {
            caption.setText("Chosen ranks: waiting for the estimate of this setting");
            return;
        }
        double ratio = estimate.request().ratio();
        long chosenTotal = 0;
        long uniformTotal = 0;
        int dense = 0;
        for (ModuleOutcome outcome : estimate.modules()) {
            int uniform = RankFromRatio.rank(outcome.matrix().rows(), outcome.matrix().cols(), ratio);
            int chosen = outcome.dense() ? 0 : outcome.rank();
            dense += outcome.dense() ? 1 : 0;
            ranks.addValue(chosen, CHOSEN, outcome.matrix().label());
            ranks.addValue(uniform, UNIFORM, outcome.matrix().label());
            chosenTotal += chosen;
            uniformTotal += uniform;
        }
        caption.setText(String.format(Locale.ROOT, "Ranks at c = %.3f chosen by %s in the last estimate (orange; 0 = kept dense, %d "
                + "matrices) against the uniform k(c) (blue)  ·  sum %d vs %d over %d matrices", ratio, estimate.request().method(), dense,
                chosenTotal, uniformTotal, ranks.getColumnCount()));
    }
}
