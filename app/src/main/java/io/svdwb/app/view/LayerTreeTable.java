package io.svdwb.app.view;

import io.svdwb.app.OpenedModel;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.workbench.RankPlan;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;

/**
 * Decoder layers, each expandable to its compressible matrices with their shapes and parameter counts, and
 * the rank k(c) and kept parameters at the current ratio (bound to the model's rank plan, so they follow the
 * slider in the same frame). Selecting a row selects its matrix (a layer row: the same projection in that layer).
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

    LayerTreeTable(WorkbenchModel model) {
        table.setId("layerTree");
        table.setShowRoot(false);
        table.setPlaceholder(new Label("No model open"));
        table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("Matrix", "nameColumn", 112, Row::name));
        table.getColumns().add(column("Label", "labelColumn", 62, r -> r.matrix() == null ? "L" + r.layer() : r.matrix().label()));
        table.getColumns().add(rightAligned(column("Shape", "shapeColumn", 76,
                r -> r.matrix() == null ? "" : Formats.shape(r.matrix().rows(), r.matrix().cols()))));
        table.getColumns().add(rightAligned(column("Params", "parametersColumn", 70,
                r -> r.matrix() == null ? "" : Formats.count(r.matrix().parameters()))));
        table.getColumns().add(rightAligned(planColumn(model, "Rank k", "rankColumn", 56,
                (r, plan) -> r.matrix() == null ? "" : Integer.toString(plan.rankOf(r.matrix())))));
        table.getColumns().add(rightAligned(planColumn(model, "Kept", "keptColumn", 64,
                (r, plan) -> Formats.count(r.matrix() == null ? plan.keptParametersOfLayer(r.layer()) : plan.storedOf(r.matrix())))));
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

    /** A column that follows the rank plan: its cells are bindings, so a new ratio re-renders them at once. */
    private static TreeTableColumn<Row, String> planColumn(WorkbenchModel model, String title, String id, double width,
            java.util.function.BiFunction<Row, RankPlan, String> text) {
        TreeTableColumn<Row, String> column = new TreeTableColumn<>(title);
        column.setId(id);
        column.setPrefWidth(width);
        column.setMinWidth(width);
        column.setSortable(false);
        column.setCellValueFactory(cell -> {
            Row row = cell.getValue() == null ? null : cell.getValue().getValue();
            return Bindings.createStringBinding(() -> {
                RankPlan plan = model.getPlan();
                return row == null || plan == null ? "" : text.apply(row, plan);
            }, model.planProperty());
        });
        return column;
    }

    TreeTableView<Row> node() {
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
        column.setMinWidth(Math.min(width, 60));
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
