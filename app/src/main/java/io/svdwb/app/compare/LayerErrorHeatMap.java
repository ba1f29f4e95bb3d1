package io.svdwb.app.compare;

import io.svdwb.engine.model.ProjectionKind;
import java.awt.Color;
import java.awt.Font;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.value.ObservableValue;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Per-matrix truncation loss of one sweep cell: layers down, projections across, colour = the RAW loss the
 * engine reports for the module ({@code ModuleOutcome.loss}, in the method's own metric, not divided by any
 * norm), with a colour legend and a line saying which metric that is.
 */
public final class LayerErrorHeatMap {

    private static final String SERIES = "loss";
    /** Beyond this many cells the numbers would not fit in them; the colours still tell the story. */
    private static final int MAX_LABELLED_CELLS = 80;

    private final DefaultXYZDataset dataset = new DefaultXYZDataset();
    private final XYBlockRenderer renderer = new XYBlockRenderer();
    private final NumberAxis legendAxis = new NumberAxis("loss");
    private final PaintScaleLegend legend;
    private final TextTitle metric = new TextTitle("", new Font("SansSerif", Font.PLAIN, 11));
    private final XYPlot plot;
    private final JFreeChart chart;
    private final Map<String, Double> cells = new LinkedHashMap<>();

    public LayerErrorHeatMap(ObservableValue<ComparisonRow> shown) {
        String[] modules = Arrays.stream(ProjectionKind.values()).map(ProjectionKind::shortName).toArray(String[]::new);
        SymbolAxis moduleAxis = new SymbolAxis("Projection", modules);
        moduleAxis.setGridBandsVisible(false);
        renderer.setBlockWidth(1);
        renderer.setBlockHeight(1);
        plot = new XYPlot(dataset, moduleAxis, layerAxis(1), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setDomainAxisLocation(AxisLocation.TOP_OR_LEFT);
        chart = new JFreeChart("Per-matrix truncation loss", new Font("SansSerif", Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        legend = new PaintScaleLegend(new LossPaintScale(1), legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 8, 4, 4);
        legend.setStripWidth(14);
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        metric.setPosition(RectangleEdge.BOTTOM);
        metric.setPadding(2, 2, 4, 2);
        chart.addSubtitle(metric);
        shown.addListener((observable, before, row) -> show(row));
        show(shown.getValue());
    }

    public JFreeChart chart() {
        return chart;
    }

    /** The loss drawn in each cell, by matrix label ({@code L3.q}); NaN where the method defines none. */
    public Map<String, Double> cells() {
        return Map.copyOf(cells);
    }

    /** The colour scale's top: the largest finite loss shown. */
    public double scaleMaximum() {
        return legend.getScale().getUpperBound();
    }

    private void show(ComparisonRow row) {
        cells.clear();
        plot.clearAnnotations();
        if (dataset.getSeriesCount() > 0) {
            dataset.removeSeries(SERIES);
        }
        if (row == null || row.baseline() || row.modules().isEmpty()) {
            chart.setTitle("Per-matrix truncation loss");
            metric.setText("Select a compressed row in the table");
            return;
        }
        List<ModuleLoss> modules = row.modules();
        int layers = modules.stream().mapToInt(ModuleLoss::layer).max().orElse(0) + 1;
        double[][] xyz = new double[3][modules.size()];
        double largest = 0;
        for (int i = 0; i < modules.size(); i++) {
            ModuleLoss m = modules.get(i);
            xyz[0][i] = ProjectionKind.parse(m.module()).ordinal();
            xyz[1][i] = m.layer();
            xyz[2][i] = m.loss();
            cells.put(m.label(), m.loss());
            if (Double.isFinite(m.loss())) {
                largest = Math.max(largest, m.loss());
            }
        }
        dataset.addSeries(SERIES, xyz);
        LossPaintScale scale = new LossPaintScale(largest);
        renderer.setPaintScale(scale);
        legend.setScale(scale);
        legendAxis.setRange(0, scale.getUpperBound());
        plot.setRangeAxis(layerAxis(layers));
        if (modules.size() <= MAX_LABELLED_CELLS) {
            for (ModuleLoss m : modules) {
                plot.addAnnotation(cellLabel(m, largest));
            }
        }
        chart.setTitle(String.format(Locale.ROOT, "Per-matrix truncation loss: %s at %.2f", row.method(), row.targetRatio()));
        metric.setText("Colour: raw loss (not normalised), Frobenius norm " + LossMetric.of(row.method())
                + (cells.values().stream().anyMatch(v -> !Double.isFinite(v)) ? "; grey: no loss defined" : ""));
    }

    /** L0 at the top, as in the layer tree. */
    private static SymbolAxis layerAxis(int layers) {
        String[] names = new String[layers];
        for (int l = 0; l < layers; l++) {
            names[l] = "L" + l;
        }
        SymbolAxis axis = new SymbolAxis("Layer", names);
        axis.setGridBandsVisible(false);
        axis.setInverted(true);
        return axis;
    }

    private static XYTextAnnotation cellLabel(ModuleLoss m, double largest) {
        XYTextAnnotation label = new XYTextAnnotation(Double.isFinite(m.loss()) ? String.format(Locale.ROOT, "%.3g", m.loss()) : "–",
                ProjectionKind.parse(m.module()).ordinal(), m.layer());
        label.setFont(new Font("SansSerif", Font.PLAIN, 11));
        // Light text on the dark lower half of the ramp, dark text on the light upper half.
        boolean dark = !Double.isFinite(m.loss()) || m.loss() < 0.6 * largest;
        label.setPaint(dark && Double.isFinite(m.loss()) ? Color.WHITE : Color.BLACK);
        return label;
    }
}
