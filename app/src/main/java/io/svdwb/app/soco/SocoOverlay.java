package io.svdwb.app.soco;

import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.soco.SocoScores;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * SoCo's learned scores over a spectrum chart: theta of component i at x = i + 1 on an axis of its own, a filled
 * green dot where the global prune kept the component and a hollow grey ring where it was pruned. Kept is the
 * engine's verdict (by score, across all matrices), so kept dots need not be the first ones, unlike the cut of
 * the plain methods. Shown only while scores exist for the selected matrix; nothing is computed here.
 */
public final class SocoOverlay {

    /** The plot's dataset and range axis index the overlay uses (0 and 1 are the spectrum's). */
    public static final int INDEX = 2;
    static final Color KEPT = new Color(0x2c, 0xa0, 0x2c);
    static final Color PRUNED = new Color(0x99, 0x99, 0x99);

    private final WorkbenchModel model;
    private final XYPlot plot;
    private final NumberAxis scoreAxis = new NumberAxis("SoCo score θ");
    private final XYSeries kept = new XYSeries("θ, kept by SoCo", true, false);
    private final XYSeries pruned = new XYSeries("θ, pruned by SoCo", true, false);
    private final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    private final Label summary = new Label();

    public SocoOverlay(JFreeChart chart, WorkbenchModel model) {
        this.model = model;
        this.plot = chart.getXYPlot();
        XYSeriesCollection scores = new XYSeriesCollection();
        scores.addSeries(kept);
        scores.addSeries(pruned);
        scoreAxis.setAutoRangeIncludesZero(true);
        scoreAxis.setLabelPaint(KEPT.darker());
        plot.setRangeAxis(INDEX, scoreAxis);
        plot.setRangeAxisLocation(INDEX, AxisLocation.BOTTOM_OR_RIGHT);
        plot.setDataset(INDEX, scores);
        plot.mapDatasetToRangeAxis(INDEX, INDEX);
        Ellipse2D dot = new Ellipse2D.Double(-3.5, -3.5, 7, 7);
        renderer.setSeriesShape(0, dot);
        renderer.setSeriesShape(1, dot);
        renderer.setSeriesPaint(0, KEPT);
        renderer.setSeriesPaint(1, PRUNED);
        renderer.setSeriesShapesFilled(0, true);
        renderer.setSeriesShapesFilled(1, false);
        renderer.setSeriesOutlineStroke(1, new BasicStroke(1.2f));
        renderer.setUseOutlinePaint(false);
        plot.setRenderer(INDEX, renderer);
        summary.setId("socoOverlaySummary");
        summary.setStyle("-fx-text-fill: #1e6e1e;");
        // Two lines rather than an ellipsis: the source ("trained in this session", an export's folder) can be long.
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);

        model.selectedMatrixProperty().addListener((observable, before, now) -> refresh());
        model.soco().scoresProperty().addListener((observable, before, now) -> refresh());
        model.soco().scoresSourceProperty().addListener((observable, before, now) -> refresh());
        refresh();
    }

    /** One line under the chart: what the scores keep of this matrix, next to the uniform rank at their ratio. */
    public Label summary() {
        return summary;
    }

    private void refresh() {
        MatrixSpec matrix = model.getSelectedMatrix();
        SocoScores scores = model.soco().getScores();
        SocoScores.ModuleScores module = matrix == null || scores == null ? null
                : scores.modules().get(matrix.kind().moduleName(matrix.layer()));
        kept.clear();
        pruned.clear();
        boolean shown = module != null;
        scoreAxis.setVisible(shown);
        renderer.setSeriesVisibleInLegend(0, shown);
        renderer.setSeriesVisibleInLegend(1, shown);
        summary.setVisible(shown);
        summary.setManaged(shown);
        if (!shown) {
            summary.setText("");
            return;
        }
        double[] theta = module.scores();
        for (int i = 0; i < theta.length; i++) {
            (module.isKept(i) ? kept : pruned).add(i + 1, theta[i], false);
        }
        kept.fireSeriesChanged();
        pruned.fireSeriesChanged();
        int uniform = RankFromRatio.rank(matrix.rows(), matrix.cols(), scores.targetRatio());
        summary.setText(String.format(Locale.ROOT, "SoCo at c = %.3f (%s): keeps %d of its %d scored components "
                + "(green dots; grey rings: pruned)  ·  uniform k(c) = %d", scores.targetRatio(), model.soco().scoresSourceProperty().get(),
                module.rank(), theta.length, uniform));
    }
}
