package io.svdwb.app.view;

import io.svdwb.app.FileDialogs;
import io.svdwb.app.compare.ChartExport;
import io.svdwb.engine.workbench.MatrixSpectrum;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Line;
import javafx.scene.text.FontWeight;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.event.ChartProgressEvent;
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
 *
 * <p>The marker is a JavaFX line over the chart, placed with the plot's own axis mapping, not a JFreeChart marker:
 * a slider move then only moves a line, where redrawing the charts (axes, text layout) took most of a frame.
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
    /** The style class of the cut line; its user data is the x (rank) it marks. */
    static final String CUT_MARKER = "cut-marker";

    private final Line cutLine = new Line();
    private final Label cutLabel = new Label();
    private final Pane overlay = new Pane(cutLine, cutLabel);
    private final StackPane root;
    private double cutAt = Double.NaN;
    private String cutText = "";
    private final XYLineAndShapeRenderer sigmaRenderer = new XYLineAndShapeRenderer(true, false);
    private final XYLineAndShapeRenderer energyRenderer = new XYLineAndShapeRenderer(true, false);
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final Size size;
    /** The chart's redraw and the marker's placement, each once a frame. */
    private final NextPulse redraw;
    private final NextPulse placement;

    /** {@code dialogs} ask where the context menu's exports go. */
    SpectrumChart(Size size, String id, FileDialogs dialogs) {
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

        cutLine.getStyleClass().add(CUT_MARKER);
        cutLine.setStroke(javafx.scene.paint.Color.rgb(CUT.getRed(), CUT.getGreen(), CUT.getBlue()));
        cutLine.setStrokeWidth(full ? 2 : 1.5);
        cutLine.setManaged(false);
        cutLabel.setManaged(false);
        cutLabel.setFont(javafx.scene.text.Font.font("SansSerif", FontWeight.BOLD, full ? 12 : 10));
        cutLabel.setTextFill(cutLine.getStroke());
        cutLabel.setStyle("-fx-background-color: rgba(255, 255, 255, 0.82); -fx-padding: 0 2 0 2;");
        overlay.setMouseTransparent(true);
        overlay.setMinSize(0, 0);

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
        viewer.setMinSize(full ? 200 : 120, full ? 140 : 100);
        // After every drawing the plot area may have moved (new data, new size): place the marker again.
        chart.addProgressListener(event -> {
            if (event.getType() == ChartProgressEvent.DRAWING_FINISHED) {
                placeCut();
            }
        });
        root = new StackPane(viewer, overlay);
        root.setMinSize(viewer.getMinWidth(), viewer.getMinHeight());
        // Our own export entries in place of ChartViewer's: its exports would leave out the cut marker (an overlay here).
        viewer.getContextMenu().getItems().setAll(exportItem("png", id, dialogs), exportItem("svg", id, dialogs));
        redraw = new NextPulse(viewer, () -> chart.setNotify(true));
        placement = new NextPulse(viewer, this::placeCut);
    }

    /** The chart with its cut marker over it. */
    Region node() {
        return root;
    }

    /** The JFreeChart itself, for overlays that add their own datasets (SoCo's scores). */
    JFreeChart jfreeChart() {
        return chart;
    }

    private MenuItem exportItem(String format, String fileStem, FileDialogs dialogs) {
        String title = "Export " + format.toUpperCase(Locale.ROOT) + "…";
        MenuItem item = new MenuItem(title);
        item.setId(fileStem + "Export-" + format);
        item.setOnAction(event -> dialogs.save(root.getScene().getWindow(), title.replace("…", ""), format, fileStem + "." + format)
                .ifPresent(file -> {
                    try {
                        export(format, file);
                    } catch (IOException | RuntimeException e) {
                        ErrorDialog.show(root.getScene().getWindow(), "Could not export the chart", file + ": " + e.getMessage());
                    }
                }));
        return item;
    }

    /**
     * Writes the chart as "png" or "svg" at {@link ChartExport}'s size, with the cut marker as the screen shows it: a
     * JFreeChart marker added for the export only (without change events, so the chart on screen is not redrawn).
     */
    void export(String format, Path file) throws IOException {
        XYPlot plot = chart.getXYPlot();
        ValueMarker marker = null;
        if (!Double.isNaN(cutAt) && plot.getDomainAxis().getRange().contains(cutAt)) {
            marker = new ValueMarker(cutAt, CUT, new BasicStroke(size == Size.FULL ? 2f : 1.5f));
            marker.setLabel(cutText);
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, size == Size.FULL ? 12 : 10));
            marker.setLabelPaint(CUT);
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(0, marker, Layer.FOREGROUND, false);
        }
        try {
            if (format.equals("png")) {
                ChartExport.png(chart, file);
            } else {
                ChartExport.svg(chart, file);
            }
        } finally {
            if (marker != null) {
                plot.removeDomainMarker(0, marker, Layer.FOREGROUND, false);
            }
        }
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
            // Drawn once, just before the next frame is laid out, however often the data changed since the last frame.
            redraw.request();
        }
    }

    /** Moves the cut marker to x = k. */
    void cutAt(int k) {
        mark(k, "k = " + k);
    }

    /** Marks a matrix that is not compressed: the marker at its full rank r, where nothing is cut. */
    void keepAll(int fullRank) {
        mark(fullRank, "not compressed");
    }

    /** Records the cut at once (the line's user data says where it is); the line and its label move before the next frame. */
    private void mark(double x, String label) {
        cutAt = x;
        cutText = label;
        cutLine.setUserData(x);
        placement.request();
    }

    /** Puts the line at x on the plot's domain axis as last drawn; hidden until the chart was drawn with x in its range. */
    private void placeCut() {
        cutLabel.setText(cutText);
        ChartRenderingInfo info = viewer.getRenderingInfo();
        Rectangle2D area = info == null || info.getPlotInfo() == null ? null : info.getPlotInfo().getDataArea();
        XYPlot plot = chart.getXYPlot();
        boolean shown = area != null && !area.isEmpty() && !Double.isNaN(cutAt) && plot.getDomainAxis().getRange().contains(cutAt);
        cutLine.setVisible(shown);
        cutLabel.setVisible(shown);
        if (!shown) {
            return;
        }
        double x = plot.getDomainAxis().valueToJava2D(cutAt, area, plot.getDomainAxisEdge());
        cutLine.setStartX(x);
        cutLine.setEndX(x);
        cutLine.setStartY(area.getMinY());
        cutLine.setEndY(area.getMaxY());
        cutLabel.autosize();
        double labelX = x + 3 + cutLabel.getWidth() > area.getMaxX() ? x - 3 - cutLabel.getWidth() : x + 3;
        // Translated, not relocated: moving an unmanaged node's layout position lays out the window above the chart again.
        cutLabel.setTranslateX(labelX);
        cutLabel.setTranslateY(area.getMinY() + 2);
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
