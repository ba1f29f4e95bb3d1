package io.svdwb.app.soco;

import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.progress.TrainingStep;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import javafx.collections.ListChangeListener;
import javafx.scene.layout.Region;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The live loss curves of SoCo's training, one point per step as the engine reports it: the distillation KL and the
 * budget term (left axis), and the kept fraction, soft and alive (right axis, 0 to 1). A batch of steps from the
 * FX queue is one chart update. Training and polish are phases of one run on one step axis: the engine counts the polish
 * steps from 1 again, so they continue after the last training step here, and each phase's start is marked.
 */
public final class LossCurvesChart {

    /** Dataset 0's series: the loss terms. */
    public static final int KL = 0;
    public static final int BUDGET = 1;
    /** Dataset 1's series: the kept fractions. */
    public static final int SOFT_KEPT = 0;
    public static final int ALIVE_KEPT = 1;

    private final XYSeries kl = new XYSeries("KL (distillation)", false, true);
    private final XYSeries budget = new XYSeries("budget term", false, true);
    private final XYSeries softKept = new XYSeries("kept fraction (soft)", false, true);
    private final XYSeries aliveKept = new XYSeries("kept fraction (alive)", false, true);
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final XYPlot plot;
    /** Where the next step goes on the run's one axis: steps of a run counted from 1 again are shifted past the last x. */
    private int offset;
    private int lastStep;
    private int lastX;
    private String lastPhase;

    public LossCurvesChart(WorkbenchModel model) {
        XYSeriesCollection losses = new XYSeriesCollection();
        losses.addSeries(kl);
        losses.addSeries(budget);
        XYSeriesCollection fractions = new XYSeriesCollection();
        fractions.addSeries(softKept);
        fractions.addSeries(aliveKept);
        NumberAxis step = new NumberAxis("step of the run (training, then polish)");
        step.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        step.setAutoRangeIncludesZero(false);
        NumberAxis loss = new NumberAxis("loss");
        NumberAxis fraction = new NumberAxis("kept fraction");
        fraction.setRange(0, 1.02);
        XYLineAndShapeRenderer lossRenderer = new XYLineAndShapeRenderer(true, false);
        lossRenderer.setSeriesPaint(KL, new Color(0xd6, 0x27, 0x28));
        lossRenderer.setSeriesPaint(BUDGET, new Color(0x94, 0x67, 0xbd));
        lossRenderer.setSeriesStroke(KL, new BasicStroke(2f));
        lossRenderer.setSeriesStroke(BUDGET, new BasicStroke(1.3f));
        XYLineAndShapeRenderer fractionRenderer = new XYLineAndShapeRenderer(true, false);
        BasicStroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f);
        fractionRenderer.setSeriesPaint(SOFT_KEPT, SocoOverlay.KEPT);
        fractionRenderer.setSeriesPaint(ALIVE_KEPT, new Color(0x1f, 0x77, 0xb4));
        fractionRenderer.setSeriesStroke(SOFT_KEPT, dashed);
        fractionRenderer.setSeriesStroke(ALIVE_KEPT, dashed);
        plot = new XYPlot(losses, step, loss, lossRenderer);
        plot.setRangeAxis(1, fraction);
        plot.setDataset(1, fractions);
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, fractionRenderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        chart = new JFreeChart("SoCo training", new Font(Font.SANS_SERIF, Font.BOLD, 12), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        viewer = new ChartViewer(chart);
        viewer.setId("socoLossChart");
        // small enough that the tab fits under the spectrum at 1024 x 700
        viewer.setMinSize(200, 80);
        model.soco().steps().addListener(this::stepsChanged);
        show(model.soco().steps(), true);
    }

    public Region node() {
        return viewer;
    }

    /** The step's x on the run's axis, marking the start of a new phase. */
    private int runStep(TrainingStep s) {
        if (s.step() <= lastStep) {
            // A later stage (polish) counts its steps from 1 again: it continues where the last one ended.
            offset = lastX;
        }
        int x = offset + s.step();
        if (!s.phase().equals(lastPhase)) {
            ValueMarker start = new ValueMarker(x - 0.5, new Color(0x88, 0x88, 0x88), new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
            start.setLabel(s.phase());
            start.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            start.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            start.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(start, Layer.BACKGROUND);
        }
        lastStep = s.step();
        lastX = x;
        lastPhase = s.phase();
        return x;
    }

    private void stepsChanged(ListChangeListener.Change<? extends TrainingStep> change) {
        boolean reset = false;
        java.util.List<TrainingStep> added = new java.util.ArrayList<>();
        while (change.next()) {
            if (change.wasRemoved() || change.wasPermutated() || change.wasReplaced()) {
                reset = true;
            }
            added.addAll(change.getAddedSubList());
        }
        show(reset ? change.getList() : added, reset);
    }

    /** One redraw for the whole batch. */
    private void show(java.util.List<? extends TrainingStep> steps, boolean reset) {
        chart.setNotify(false);
        try {
            if (reset) {
                kl.clear();
                budget.clear();
                softKept.clear();
                aliveKept.clear();
                plot.clearDomainMarkers();
                offset = 0;
                lastStep = 0;
                lastX = 0;
                lastPhase = null;
            }
            for (TrainingStep s : steps) {
                int x = runStep(s);
                kl.add(x, s.distillation(), false);
                budget.add(x, s.ratio(), false);
                softKept.add(x, s.softKept(), false);
                aliveKept.add(x, s.aliveKept(), false);
            }
            kl.fireSeriesChanged();
            budget.fireSeriesChanged();
            softKept.fireSeriesChanged();
            aliveKept.fireSeriesChanged();
        } finally {
            chart.setNotify(true);
        }
    }
}
