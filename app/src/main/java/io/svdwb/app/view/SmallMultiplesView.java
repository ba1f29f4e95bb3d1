package io.svdwb.app.view;

import io.svdwb.app.FileDialogs;
import io.svdwb.app.LayerSpectra;
import io.svdwb.app.ShownRanks;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.workbench.MatrixSpectrum;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalInt;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.StackPane;

/**
 * The seven matrices of the selected layer side by side, each with its cut marker; clicking one selects it.
 * Charts are found by id {@code smallSpectrum-q} ... {@code smallSpectrum-down}.
 */
final class SmallMultiplesView {

    private static final int COLUMNS = 4;
    private static final String SELECTED_STYLE = "-fx-border-color: #d62728; -fx-border-width: 2; -fx-border-insets: 0;";
    private static final String PLAIN_STYLE = "-fx-border-color: transparent; -fx-border-width: 2;";

    private final WorkbenchModel model;
    private final Map<ProjectionKind, SpectrumChart> charts = new EnumMap<>(ProjectionKind.class);
    /** Each chart sits in a frame that shows the selection (the chart's canvas would paint over its own border). */
    private final Map<ProjectionKind, StackPane> frames = new EnumMap<>(ProjectionKind.class);
    /** Below this a thumbnail's title runs into its axes; a smaller window scrolls the grid instead. */
    private static final double MIN_ROW_HEIGHT = 95;

    private final GridPane grid = new GridPane();
    private final ScrollPane scroller = new ScrollPane(grid);
    private LayerSpectra plotted;

    SmallMultiplesView(WorkbenchModel model, FileDialogs dialogs) {
        this.model = model;
        grid.setId("smallMultiples");
        grid.setHgap(4);
        grid.setVgap(4);
        grid.setPadding(new Insets(4, 8, 6, 8));
        grid.setMinHeight(2 * MIN_ROW_HEIGHT + 14);
        scroller.setFitToWidth(true);
        scroller.setFitToHeight(true);
        scroller.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        int index = 0;
        for (ProjectionKind kind : ProjectionKind.values()) {
            SpectrumChart chart = new SpectrumChart(SpectrumChart.Size.SMALL, "smallSpectrum-" + kind.shortName(), dialogs);
            chart.onClick(() -> select(kind));
            charts.put(kind, chart);
            StackPane frame = new StackPane(chart.node());
            frame.setPadding(new Insets(2));
            frame.setMinSize(0, 0);
            frames.put(kind, frame);
            grid.add(frame, index % COLUMNS, index / COLUMNS);
            index++;
        }
        grid.add(legend(), index % COLUMNS, index / COLUMNS);
        for (int c = 0; c < COLUMNS; c++) {
            ColumnConstraints column = new ColumnConstraints();
            column.setPercentWidth(100.0 / COLUMNS);
            column.setHgrow(Priority.ALWAYS);
            grid.getColumnConstraints().add(column);
        }
        for (int r = 0; r < 2; r++) {
            RowConstraints row = new RowConstraints();
            row.setPercentHeight(50);
            row.setMinHeight(MIN_ROW_HEIGHT);
            row.setVgrow(Priority.ALWAYS);
            grid.getRowConstraints().add(row);
        }
        model.results().layerSpectraProperty().addListener((observable, before, now) -> refresh());
        model.selectedMatrixProperty().addListener((observable, before, now) -> refresh());
        model.shownRanksProperty().addListener((observable, before, now) -> showCuts());
        refresh();
    }

    Region node() {
        return scroller;
    }

    /** The eighth cell says how to read the seven thumbnails. */
    private static Region legend() {
        Label text = new Label("blue σ of W, orange of W·S\ndashed: retained σ²\nred: the tree's rank k\nclick to select");
        text.setId("smallMultiplesLegend");
        text.setWrapText(true);
        text.setStyle("-fx-text-fill: -fx-mid-text-color; -fx-font-size: 0.9em;");
        // four short lines: they fit the cell at the default window size, never cut
        text.setPadding(new Insets(4));
        text.setMinSize(0, 0);
        return text;
    }

    private void select(ProjectionKind kind) {
        MatrixSpec current = model.getSelectedMatrix();
        if (current != null && model.getOpenedModel() != null) {
            model.getOpenedModel().matrices().stream().filter(m -> m.layer() == current.layer() && m.kind() == kind)
                    .findFirst().ifPresent(model.selectedMatrixProperty()::set);
        }
    }

    private void refresh() {
        MatrixSpec selected = model.getSelectedMatrix();
        LayerSpectra spectra = model.results().getLayerSpectra();
        LayerSpectra current = selected != null && spectra != null && spectra.layer() == selected.layer() ? spectra : null;
        boolean replot = current != plotted || current == null;
        plotted = current;
        for (Map.Entry<ProjectionKind, SpectrumChart> entry : charts.entrySet()) {
            SpectrumChart chart = entry.getValue();
            if (replot) {
                MatrixSpectrum spectrum = current == null ? null : current.spectra().stream()
                        .filter(s -> s.matrix().kind() == entry.getKey()).findFirst().orElse(null);
                chart.show(spectrum);
                chart.title(spectrum == null ? entry.getKey().shortName() : spectrum.matrix().label() + "  "
                        + Formats.shape(spectrum.matrix().rows(), spectrum.matrix().cols()));
            }
            frames.get(entry.getKey()).setStyle(selected != null && entry.getKey() == selected.kind() ? SELECTED_STYLE : PLAIN_STYLE);
        }
        showCuts();
    }

    private void showCuts() {
        MatrixSpec selected = model.getSelectedMatrix();
        ShownRanks ranks = model.getShownRanks();
        if (selected == null || model.getOpenedModel() == null || ranks == null) {
            return;
        }
        for (MatrixSpec m : model.getOpenedModel().matrices()) {
            if (m.layer() != selected.layer()) {
                continue;
            }
            // The same cut as the tree's rank and the large chart: the method's choice once known.
            OptionalInt cut = ranks.cut(m);
            if (cut.isPresent()) {
                charts.get(m.kind()).cutAt(cut.getAsInt());
            } else {
                charts.get(m.kind()).keepAll(Math.min(m.rows(), m.cols()));
            }
        }
    }
}
