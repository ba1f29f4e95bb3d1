package io.svdwb.app.view;

import io.svdwb.engine.workbench.MatrixSpectrum;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import javafx.application.Platform;
import javafx.scene.Scene;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One matrix's spectrum as a chart: singular values of W and of W S on a log axis, their retained-energy
 * curves on a second axis (0 to 1), and the cut (rank k) as a vertical marker at x = k. It only draws what the
 * engine computed ({@link MatrixSpectrum}); nothing is calculated here.
 */
final class SpectrumChart {

    /** A large chart with axis titles and a legend, or a thumbnail for the small multiples. */
    enum Size { FULL, SMALL }

    static final Color RAW = new Color(0x1f, 0x77, 0xb4);
    static final Color WHITENED = new Color(0xe0, 0x6c, 0x00);
    static final Color CUT = new Color(0xd6, 0x27, 0x28);

    private final XYSeries raw = new XYSeries("σ of W", true, false);
    private final XYSeries whitened = new XYSeries("σ of W·S (whitened)", true, false);
    private final XYSeries rawEnergy = new XYSeries("retained σ² of W", true, false);
    private final XYSeries whitenedEnergy = new XYSeries("retained σ² of W·S", true, false);
    private final ValueMarker cut = new ValueMarker(1);
    private final XYLineAndShapeRenderer sigmaRenderer = new XYLineAndShapeRenderer(true, false);
    private final XYLineAndShapeRenderer energyRenderer = new XYLineAndShapeRenderer(true, false);
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final Size size;
    private boolean redrawQueued;

    SpectrumChart(Size size, String id) {
        this.size = size;
        boolean full = size == Size.FULL;
        LogAxis sigmaAxis = new LogAxis(full ? "singular value σᵢ (log)" : null);
        sigmaAxis.setAutoRangeMinimumSize(1e-9);
        NumberAxis componentAxis = new NumberAxis(full ? "component i (cut at k: 1..k kept)" : null);
        componentAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        componentAxis.setAutoRangeIncludesZero(false);
        NumberAxis energyAxis = new NumberAxis(full ? "retained σ² fraction" : null);
        energyAxis.setRange(0, 1.02);
        energyAxis.setAutoRange(false);

        XYSeriesCollection sigmas = new XYSeriesCollection();
        sigmas.addSeries(raw);
        sigmas.addSeries(whitened);
        XYSeriesCollection energies = new XYSeriesCollection();
        energies.addSeries(rawEnergy);
        energies.addSeries(whitenedEnergy);

        XYPlot plot = new XYPlot(sigmas, componentAxis, sigmaAxis, sigmaRenderer);
        plot.setRangeAxis(1, energyAxis);
        plot.setDataset(1, energies);
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, energyRenderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));

        float width = full ? 2f : 1.3f;
        sigmaRenderer.setSeriesPaint(0, RAW);
        sigmaRenderer.setSeriesPaint(1, WHITENED);
        sigmaRenderer.setSeriesStroke(0, new BasicStroke(width));
        sigmaRenderer.setSeriesStroke(1, new BasicStroke(width));
        BasicStroke dashed = new BasicStroke(width * 0.75f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f);
        energyRenderer.setSeriesPaint(0, RAW);
        energyRenderer.setSeriesPaint(1, WHITENED);
        energyRenderer.setSeriesStroke(0, dashed);
        energyRenderer.setSeriesStroke(1, dashed);

        cut.setPaint(CUT);
        cut.setStroke(new BasicStroke(full ? 2f : 1.5f));
        cut.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, full ? 12 : 10));
        cut.setLabelPaint(CUT);
        cut.setLabelBackgroundColor(new Color(255, 255, 255, 210));
        cut.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        cut.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addDomainMarker(cut, Layer.FOREGROUND);

        chart = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.BOLD, full ? 14 : 11), plot, full);
        chart.setBackgroundPaint(Color.WHITE);
        if (!full) {
            Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
            sigmaAxis.setTickLabelFont(tick);
            componentAxis.setTickLabelFont(tick);
            energyAxis.setTickLabelFont(tick);
            energyAxis.setTickLabelsVisible(false);
        }
        viewer = new ChartViewer(chart);
        viewer.setId(id);
        viewer.setMinSize(full ? 200 : 120, full ? 160 : 100);
    }

    ChartViewer node() {
        return viewer;
    }

    /** Calls {@code action} when the chart is clicked (the small multiples select their matrix this way). */
    void onClick(Runnable action) {
        viewer.addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX event) {
                action.run();
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX event) {
            }
        });
    }

    void title(String text) {
        chart.setTitle(text);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, size == Size.FULL ? 14 : 11));
        }
    }

    /** Plots {@code spectrum} (null clears the chart); one redraw for the whole update. */
    void show(MatrixSpectrum spectrum) {
        chart.setNotify(false);
        try {
            fill(raw, spectrum == null ? null : spectrum.raw());
            fill(whitened, spectrum == null ? null : spectrum.whitened());
            fill(rawEnergy, spectrum == null ? null : spectrum.rawRetainedEnergy());
            fill(whitenedEnergy, spectrum == null ? null : spectrum.whitenedRetainedEnergy());
            boolean withWhitened = spectrum != null && spectrum.hasWhitened();
            sigmaRenderer.setSeriesVisibleInLegend(1, withWhitened);
            energyRenderer.setSeriesVisibleInLegend(1, withWhitened);
        } finally {
            redrawAtNextPulse();
        }
    }

    /** Moves the cut marker to x = k. */
    void cutAt(int k) {
        if (cut.getValue() == k && ("k = " + k).equals(cut.getLabel())) {
            return;
        }
        chart.setNotify(false);
        cut.setLabel("k = " + k);
        cut.setValue(k);
        redrawAtNextPulse();
    }

    /** Marks a matrix that is not compressed: the marker at its full rank r, where nothing is cut. */
    void keepAll(int fullRank) {
        if (cut.getValue() == fullRank && "not compressed".equals(cut.getLabel())) {
            return;
        }
        chart.setNotify(false);
        cut.setLabel("not compressed");
        cut.setValue(fullRank);
        redrawAtNextPulse();
    }

    /**
     * Draws once, just before the next frame is laid out, however often the cut moved since the last frame:
     * a slider reports every mouse move, and drawing eight charts for each would take longer than a frame.
     */
    private void redrawAtNextPulse() {
        Scene scene = viewer.getScene();
        if (scene == null) {
            chart.setNotify(true);
            return;
        }
        if (!redrawQueued) {
            redrawQueued = true;
            scene.addPreLayoutPulseListener(new Runnable() {
                @Override
                public void run() {
                    scene.removePreLayoutPulseListener(this);
                    redrawQueued = false;
                    chart.setNotify(true);
                }
            });
            Platform.requestNextPulse();
        }
    }

    /**
     * Points at x = 1..r. Values of 0 are left out: a log axis cannot show them (a rank-deficient matrix has
     * zero singular values), and the energy curve still shows that they carry nothing.
     */
    private void fill(XYSeries series, double[] values) {
        series.clear();
        if (values == null) {
            return;
        }
        boolean logScale = series == raw || series == whitened;
        for (int i = 0; i < values.length; i++) {
            if (!logScale || values[i] > 0) {
                series.add(i + 1, values[i], false);
            }
        }
        series.fireSeriesChanged();
    }
}
