package io.svdwb.app.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Perplexity (log axis) against parameters kept, one line per method, the uncompressed model's perplexity as a
 * horizontal marker. Redrawn from the rows whenever they change.
 */
public final class PerplexityChart {

    /** Keeps the baseline marker and every point off the plot's edges on the log axis. */
    private static final double RANGE_MARGIN = 1.25;

    private final XYSeriesCollection series = new XYSeriesCollection();
    private final LogAxis perplexityAxis = new DecadeLogAxis("Perplexity (log scale)");
    private final XYPlot plot;
    private final JFreeChart chart;
    private ValueMarker baseline;

    public PerplexityChart(ObservableList<ComparisonRow> rows) {
        NumberAxis keptAxis = new NumberAxis("Parameters kept in the compressible matrices");
        keptAxis.setAutoRangeIncludesZero(false);
        perplexityAxis.setSmallestValue(1e-3);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setDefaultStroke(new BasicStroke(2f));
        renderer.setAutoPopulateSeriesStroke(false);
        plot = new XYPlot(series, keptAxis, perplexityAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        chart = new JFreeChart("Perplexity against parameters kept", new Font("SansSerif", Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        rows.addListener((ListChangeListener<ComparisonRow>) change -> update(rows));
        update(rows);
    }

    public JFreeChart chart() {
        return chart;
    }

    /** The baseline marker, or null before the uncompressed row has arrived. */
    public ValueMarker baselineMarker() {
        return baseline;
    }

    private void update(List<ComparisonRow> rows) {
        Map<String, XYSeries> byMethod = new LinkedHashMap<>();
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        ComparisonRow dense = null;
        for (ComparisonRow row : rows) {
            if (Double.isFinite(row.perplexity()) && row.perplexity() > 0) {
                low = Math.min(low, row.perplexity());
                high = Math.max(high, row.perplexity());
            }
            if (row.baseline()) {
                dense = row;
                continue;
            }
            byMethod.computeIfAbsent(row.method(), method -> new XYSeries(method, true, true))
                    .add(row.keptParameters(), row.perplexity());
        }
        series.removeAllSeries();
        byMethod.values().forEach(series::addSeries);
        if (baseline != null) {
            plot.removeRangeMarker(baseline);
            baseline = null;
        }
        if (dense != null) {
            baseline = new ValueMarker(dense.perplexity(), new Color(0x555555), new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            baseline.setLabel(String.format(Locale.ROOT, "uncompressed: %.2f", dense.perplexity()));
            baseline.setLabelFont(new Font("SansSerif", Font.PLAIN, 12));
            baseline.setLabelBackgroundColor(new Color(255, 255, 255, 0));
            baseline.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            baseline.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(baseline);
        }
        // The log axis's auto range ignores markers, so the range is set to cover every perplexity, baseline included.
        if (low <= high) {
            perplexityAxis.setRange(low / RANGE_MARGIN, high * RANGE_MARGIN);
        } else {
            perplexityAxis.setAutoRange(true);
        }
    }

}
