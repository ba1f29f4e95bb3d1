package io.svdwb.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.image.WritableImage;
import javafx.scene.shape.Line;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.testfx.util.WaitForAsyncUtils;

/** Reading the real window from tests: always on the FX thread, as the model's contract requires. */
final class FxTestSupport {

    /** A limit that only turns a hang into a failure; no test asserts how long anything takes. */
    static final long LIVENESS_S = 240;

    /** The embedded demo model every window test opens. */
    static final Path DEMO = DemoModelLocator.find().orElseThrow();

    private final Workbench workbench;

    FxTestSupport(Workbench workbench) {
        this.workbench = workbench;
    }

    /**
     * Shows the real window on TestFX's stage, lets {@code beforeOpen} set up the model, then opens the demo model
     * in the background ({@link #awaitDemoModel} waits for it). Call from the test's {@code @Start}.
     */
    static FxTestSupport showDemo(Stage stage, EngineSettings settings, Consumer<WorkbenchModel> beforeOpen) {
        Workbench workbench = Workbench.show(stage, owner -> Optional.empty(), settings);
        beforeOpen.accept(workbench.model());
        workbench.open(DEMO);
        return new FxTestSupport(workbench);
    }

    /** Waits until the demo model opened by {@link #showDemo} is loaded. */
    void awaitDemoModel() throws Exception {
        waitUntil(() -> !model().isLoading() && model().getOpenedModel() != null);
    }

    Workbench workbench() {
        return workbench;
    }

    /**
     * Writes the window as {@code DIR/NAME.png} when {@code -Dsvdwb.layoutSnapshots=DIR} is given (Monocle draws the
     * same scene graph, so a layout can be looked at without a display); otherwise does nothing.
     */
    void layoutSnapshot(String name) throws Exception {
        String dir = System.getProperty("svdwb.layoutSnapshots");
        if (dir == null || dir.isEmpty()) {
            return;
        }
        Files.createDirectories(Path.of(dir));
        WritableImage image = onFx(() -> workbench.stage().getScene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", Path.of(dir, name + ".png").toFile());
    }

    static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(LIVENESS_S, TimeUnit.SECONDS);
    }

    static void runFx(Runnable action) throws Exception {
        WaitForAsyncUtils.asyncFx(action).get(LIVENESS_S, TimeUnit.SECONDS);
    }

    /** Waits (checking on the FX thread) until {@code condition} holds. */
    static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(LIVENESS_S, TimeUnit.SECONDS, () -> onFx(condition));
        WaitForAsyncUtils.waitForFxEvents();
    }

    WorkbenchModel model() {
        return workbench.model();
    }

    <T extends Node> T node(String id, Class<T> type) {
        return type.cast(workbench.stage().getScene().lookup(id));
    }

    /** Call on the FX thread. */
    String label(String id) {
        return node(id, Label.class).getText();
    }

    @SuppressWarnings("unchecked")
    TreeTableView<Object> tree() {
        return (TreeTableView<Object>) workbench.stage().getScene().lookup("#layerTree");
    }

    /** What a column's cell value is for a row (its binding's current value); call on the FX thread. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    String cellValue(String columnId, TreeItem item) {
        TreeTableColumn<Object, ?> column = tree().getColumns().stream().filter(c -> columnId.equals(c.getId())).findFirst().orElseThrow();
        return String.valueOf(column.getCellObservableValue(item).getValue());
    }

    /** The text of the cell on screen for a row and column, or null if it is not rendered; call on the FX thread. */
    String renderedCell(String columnId, TreeItem<?> item) {
        return tree().lookupAll(".tree-table-cell").stream()
                .map(node -> (TreeTableCell<?, ?>) node)
                .filter(cell -> cell.isVisible() && cell.getTableColumn() != null && columnId.equals(cell.getTableColumn().getId())
                        && cell.getTableRow() != null && cell.getTableRow().getTreeItem() == item)
                .map(TreeTableCell::getText).findFirst().orElse(null);
    }

    /** The tree row of a matrix label such as "L2.down"; call on the FX thread. */
    TreeItem<Object> matrixRow(String label) {
        for (TreeItem<Object> layer : tree().getRoot().getChildren()) {
            for (TreeItem<Object> matrix : layer.getChildren()) {
                if (label.equals(cellValue("labelColumn", matrix))) {
                    return matrix;
                }
            }
        }
        throw new AssertionError("no row " + label);
    }

    static XYPlot plot(ChartViewer viewer) {
        return viewer.getChart().getXYPlot();
    }

    /** The x of a chart's (single) cut marker, a line over the chart; call on the FX thread. */
    static double cutMarker(ChartViewer viewer) {
        var markers = viewer.getParent().lookupAll(".cut-marker");
        if (markers.size() != 1) {
            throw new AssertionError("expected one cut marker, found " + markers);
        }
        return (Double) markers.iterator().next().getUserData();
    }

    /** Where a chart's cut marker is drawn: its x in the chart's pixels and that x mapped back by the plot's domain axis. */
    static double[] cutMarkerOnScreen(ChartViewer viewer) {
        Line line = (Line) viewer.getParent().lookup(".cut-marker");
        if (!line.isVisible()) {
            return null;
        }
        XYPlot plot = plot(viewer);
        double x = line.getStartX();
        return new double[] {x, plot.getDomainAxis().java2DToValue(x, viewer.getRenderingInfo().getPlotInfo().getDataArea(),
                plot.getDomainAxisEdge())};
    }

    /** The y values a chart plots for series {@code index} of dataset {@code dataset}; call on the FX thread. */
    static double[] plotted(ChartViewer viewer, int dataset, int index) {
        XYSeries series = ((XYSeriesCollection) plot(viewer).getDataset(dataset)).getSeries(index);
        double[] y = new double[series.getItemCount()];
        for (int i = 0; i < y.length; i++) {
            y[i] = series.getY(i).doubleValue();
        }
        return y;
    }
}
