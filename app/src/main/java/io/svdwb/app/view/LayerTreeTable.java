package io.svdwb.app.view;

import io.svdwb.app.OpenedModel;
import io.svdwb.app.ShownRanks;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.model.MatrixSpec;
import java.util.function.BiFunction;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Decoder layers, each expandable to its compressible matrices with their shapes and parameter counts, a check
 * box saying whether each is compressed (the model's selection), and its rank and kept parameters: the instant
 * uniform k(c) at the current ratio (bound to the model, so they follow the slider in the same frame), replaced
 * by the ranks the method chose once the estimate of the current setting is in; a line below says which.
 * Selecting a row selects its matrix (a layer row: the same projection in that layer).
 */
final class LayerTreeTable {

    /** One row: a layer ({@code matrix} null) or one of its matrices. */
    record Row(int layer, MatrixSpec matrix) {

        String name() {
            if (matrix == null) {
                return "Layer " + layer;
            }
            String module = matrix.kind().modulePath();
            return module.substring(module.lastIndexOf('.') + 1);
        }
    }

    private final TreeTableView<Row> table = new TreeTableView<>();
    private final VBox box;

    LayerTreeTable(WorkbenchModel model) {
        table.setId("layerTree");
        table.setShowRoot(false);
        table.setPlaceholder(new Label("No model open"));
        // All columns give way in proportion down to their minimums, so that Rank and Kept (last) stay in a narrow window.
        table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        // Rows of one height: a slider move re-renders the Rank and Kept cells without measuring every row again.
        table.setFixedCellSize(24);
        TreeTableColumn<Row, String> name = column("Matrix", "nameColumn", 128, Row::name);
        name.setCellFactory(column -> new SelectionCheckCell(model));
        // the disclosure arrow, the check box and a short name
        name.setMinWidth(92);
        table.getColumns().add(name);
        table.getColumns().add(column("Label", "labelColumn", 62, r -> r.matrix() == null ? "L" + r.layer() : r.matrix().label()));
        table.getColumns().add(rightAligned(column("Shape", "shapeColumn", 76,
                r -> r.matrix() == null ? "" : Formats.shape(r.matrix().rows(), r.matrix().cols()))));
        table.getColumns().add(rightAligned(column("Params", "parametersColumn", 70,
                r -> r.matrix() == null ? "" : Formats.count(r.matrix().parameters()))));
        TreeTableColumn<Row, String> rank = rankColumn(model, "Rank k", "rankColumn", 56, (r, shown) -> r.matrix() == null ? "" : shown.rank(r.matrix()));
        TreeTableColumn<Row, String> kept = rankColumn(model, "Kept", "keptColumn", 64, (r, shown) -> Formats.count(r.matrix() == null
                ? keptOfLayer(model, shown, r.layer()) : shown.stored(r.matrix())));
        table.getColumns().add(rightAligned(rank));
        table.getColumns().add(rightAligned(kept));
        // The full tensor name is long and implied by the label: hidden until chosen in the table's menu (+).
        TreeTableColumn<Row, String> tensor = column("Tensor", "tensorColumn", 300, r -> r.matrix() == null ? "" : r.matrix().tensorName());
        tensor.setVisible(false);
        table.getColumns().add(tensor);
        table.setTableMenuButtonVisible(true);
        model.openedModelProperty().addListener((observable, before, opened) -> {
            table.setRoot(tree(opened));
            selectRowOf(model.getSelectedMatrix());
        });
        table.getSelectionModel().selectedItemProperty().addListener((observable, before, item) -> {
            if (item != null && item.getValue() != null) {
                model.selectedMatrixProperty().set(matrixOf(item.getValue(), model));
            }
        });
        model.selectedMatrixProperty().addListener((observable, before, matrix) -> selectRowOf(matrix));

        Label source = new Label();
        source.setId("rankSource");
        source.setWrapText(true);
        source.setMinHeight(Region.USE_PREF_SIZE);
        source.setStyle("-fx-text-fill: -fx-mid-text-color; -fx-font-size: 0.92em;");
        source.textProperty().bind(Bindings.createStringBinding(() -> rankSource(model), model.shownRanksProperty()));
        VBox.setVgrow(table, Priority.ALWAYS);
        box = new VBox(2, table, source);
    }

    /** Says where the Rank and Kept columns come from, so that a uniform k(c) is never read as the method's choice. */
    private static String rankSource(WorkbenchModel model) {
        ShownRanks shown = model.getShownRanks();
        if (model.getOpenedModel() == null || shown == null) {
            return "";
        }
        if (shown.fromExport()) {
            return "Rank, Kept: as this factored export stores them (truncation_ranks in its config.json)";
        }
        if (shown.plan() == null) {
            return "No matrix selected: every matrix stays dense";
        }
        if (shown.fromEstimate()) {
            boolean columns = shown.estimate().modules().stream().anyMatch(m -> m.keptColumns() > 0);
            return "Rank, Kept: chosen by " + shown.estimate().request().method().cliName() + " in the last estimate"
                    + (columns ? " (a+b: rank a plus b kept input columns)" : "");
        }
        // No ratio in the text: it stays the same while the slider moves, so this line needs no new layout then.
        return "Rank, Kept (italic): the uniform k(c), until the estimate of this setting is in";
    }

    /** What a layer's compressible matrices keep, as the rows below it show. */
    private static long keptOfLayer(WorkbenchModel model, ShownRanks shown, int layer) {
        OpenedModel opened = model.getOpenedModel();
        return opened == null ? 0 : opened.matrices().stream().filter(m -> m.layer() == layer).mapToLong(shown::stored).sum();
    }

    /** A matrix row is its matrix; a layer row means the selected projection kind in that layer. */
    private static MatrixSpec matrixOf(Row row, WorkbenchModel model) {
        if (row.matrix() != null) {
            return row.matrix();
        }
        MatrixSpec current = model.getSelectedMatrix();
        OpenedModel opened = model.getOpenedModel();
        if (opened == null) {
            return current;
        }
        return opened.matrices().stream()
                .filter(m -> m.layer() == row.layer() && (current == null || m.kind() == current.kind()))
                .findFirst().orElse(current);
    }

    /** Shows {@code matrix}'s row as selected (expanding its layer) unless its row or its layer's row already is. */
    private void selectRowOf(MatrixSpec matrix) {
        TreeItem<Row> root = table.getRoot();
        if (matrix == null || root == null) {
            return;
        }
        TreeItem<Row> selected = table.getSelectionModel().getSelectedItem();
        Row shown = selected == null ? null : selected.getValue();
        if (shown != null && (matrix.equals(shown.matrix()) || (shown.matrix() == null && shown.layer() == matrix.layer()))) {
            return;
        }
        for (TreeItem<Row> layer : root.getChildren()) {
            for (TreeItem<Row> item : layer.getChildren()) {
                if (matrix.equals(item.getValue().matrix())) {
                    layer.setExpanded(true);
                    table.getSelectionModel().select(item);
                    return;
                }
            }
        }
    }

    /**
     * A column that follows the shown ranks: its cells are bindings, so a new ratio, selection or estimate
     * re-renders them at once; its cells are italic while they show the uniform k(c).
     */
    private static TreeTableColumn<Row, String> rankColumn(WorkbenchModel model, String title, String id, double width,
            BiFunction<Row, ShownRanks, String> text) {
        TreeTableColumn<Row, String> column = new TreeTableColumn<>(title);
        column.setId(id);
        column.setPrefWidth(width);
        // Never below what "dense" or "12,345" needs: in a narrow window the other columns give way first.
        column.setMinWidth(width - 10);
        column.setSortable(false);
        column.setCellValueFactory(cell -> {
            Row row = cell.getValue() == null ? null : cell.getValue().getValue();
            return Bindings.createStringBinding(() -> {
                ShownRanks shown = model.getShownRanks();
                return row == null || shown == null || model.getOpenedModel() == null ? "" : text.apply(row, shown);
            }, model.shownRanksProperty());
        });
        column.setCellFactory(c -> new RankCell(model));
        return column;
    }

    /** The node to place: the table and, below it, where its ranks come from. */
    Region node() {
        return box;
    }

    TreeTableView<Row> table() {
        return table;
    }

    private static TreeItem<Row> tree(OpenedModel opened) {
        if (opened == null) {
            return null;
        }
        TreeItem<Row> root = new TreeItem<>();
        TreeItem<Row> layerItem = null;
        for (MatrixSpec spec : opened.matrices()) {
            if (layerItem == null || layerItem.getValue().layer() != spec.layer()) {
                layerItem = new TreeItem<>(new Row(spec.layer(), null));
                root.getChildren().add(layerItem);
            }
            layerItem.getChildren().add(new TreeItem<>(new Row(spec.layer(), spec)));
        }
        // Show the first layer's matrices right away, so the window says what a layer holds.
        if (!root.getChildren().isEmpty()) {
            root.getChildren().get(0).setExpanded(true);
        }
        return root;
    }

    private static TreeTableColumn<Row, String> column(String title, String id, double width, Function<Row, String> text) {
        TreeTableColumn<Row, String> column = new TreeTableColumn<>(title);
        column.setId(id);
        column.setPrefWidth(width);
        // Small minimums, so that at 1024 x 700 the Rank and Kept columns (last) still fit beside them.
        column.setMinWidth(Math.min(width, 44));
        column.setSortable(false);
        column.setCellValueFactory(cell -> {
            Row row = cell.getValue() == null ? null : cell.getValue().getValue();
            return new ReadOnlyStringWrapper(row == null ? "" : text.apply(row));
        });
        return column;
    }


    private static TreeTableColumn<Row, String> rightAligned(TreeTableColumn<Row, String> column) {
        column.setStyle("-fx-alignment: CENTER-RIGHT;");
        return column;
    }
}
