package io.svdwb.app.compare;

import io.svdwb.app.FileDialogs;
import io.svdwb.app.view.ErrorDialog;
import java.io.IOException;
import java.nio.file.Path;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;

/**
 * A JFreeChart on screen with its export: an "Export" button above it and the same entries in its context menu
 * (replacing ChartViewer's own, whose file dialogs cannot be stubbed in tests and which offers formats we do not).
 */
public final class ChartPane {

    /** Hears of every file an export wrote (failures go to an error dialog). */
    public interface ExportListener {
        void exported(Path file);
    }

    private final BorderPane pane = new BorderPane();
    private final ChartViewer viewer;
    private final MenuButton exportButton = new MenuButton("Export");

    /** {@code fileStem} names the suggested files ("perplexity" gives perplexity.png). */
    public ChartPane(JFreeChart chart, String id, String fileStem, FileDialogs dialogs, ExportListener listener) {
        viewer = new ChartViewer(chart);
        viewer.setId(id);
        pane.setId(id + "Pane");
        MenuItem png = exportItem("Export PNG…", "png", fileStem, dialogs, listener);
        MenuItem svg = exportItem("Export SVG…", "svg", fileStem, dialogs, listener);
        png.setId(id + "ExportPng");
        svg.setId(id + "ExportSvg");
        exportButton.getItems().setAll(png, svg);
        exportButton.setId(id + "Export");
        viewer.getContextMenu().getItems().setAll(exportItem("Export PNG…", "png", fileStem, dialogs, listener),
                exportItem("Export SVG…", "svg", fileStem, dialogs, listener));
        HBox bar = new HBox(exportButton);
        bar.setAlignment(Pos.CENTER_RIGHT);
        bar.setPadding(new Insets(2, 4, 0, 4));
        pane.setTop(bar);
        pane.setCenter(viewer);
        viewer.setMinSize(200, 150);
    }

    private MenuItem exportItem(String text, String extension, String fileStem, FileDialogs dialogs, ExportListener listener) {
        MenuItem item = new MenuItem(text);
        item.setOnAction(event -> dialogs.save(pane.getScene().getWindow(), text.replace("…", ""), extension, fileStem + "." + extension)
                .ifPresent(file -> write(extension, file, listener)));
        return item;
    }

    private void write(String extension, Path file, ExportListener listener) {
        try {
            if (extension.equals("png")) {
                ChartExport.png(viewer.getChart(), file);
            } else {
                ChartExport.svg(viewer.getChart(), file);
            }
            listener.exported(file);
        } catch (IOException | RuntimeException e) {
            ErrorDialog.show(pane.getScene().getWindow(), "Could not export the chart", file + ": " + SweepRunner.describe(e));
        }
    }

    public JFreeChart chart() {
        return viewer.getChart();
    }

    public Region node() {
        return pane;
    }
}
