package io.svdwb.app.view;

import io.svdwb.app.OpenedModel;
import io.svdwb.app.SelectionEdits;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.model.ProjectionKind;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;

/**
 * The layer tree's name cell with a check box showing whether its row is compressed: a matrix row checked when
 * the model's selection includes it; a layer row checked when all its matrices are, half-checked when some
 * are. Clicking asks {@link SelectionEdits} for the new selection and sets it on the model; the box then shows
 * the model's state, never its own.
 */
final class SelectionCheckCell extends TreeTableCell<LayerTreeTable.Row, String> {

    private final WorkbenchModel model;
    private final Tooltip layerTip = new Tooltip("Compress this decoder layer (--layers)");
    private final Tooltip matrixTip = new Tooltip("Compress this matrix; unchecked, it stays dense (--exclude layer.projection)");
    private final CheckBox box = new CheckBox();
    // Held by the cell: the model refers to it only weakly, so cells the table drops are not kept alive.
    private final ChangeListener<Selection> onSelection = (observable, before, now) -> showState();

    SelectionCheckCell(WorkbenchModel model) {
        this.model = model;
        box.setFocusTraversable(false);
        box.setOnAction(event -> toggle());
        model.compression().selectionProperty().addListener(new WeakChangeListener<>(onSelection));
    }

    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        LayerTreeTable.Row row = empty ? null : row();
        setText(row == null ? null : item);
        setGraphic(row == null ? null : box);
        if (row != null) {
            box.setId(row.matrix() == null ? "check-L" + row.layer() : "check-" + row.matrix().label().replace('.', '-'));
            box.setTooltip(row.matrix() == null ? layerTip : matrixTip);
        }
        showState();
    }

    private LayerTreeTable.Row row() {
        TreeItem<LayerTreeTable.Row> item = getTableRow() == null ? null : getTableRow().getTreeItem();
        return item == null ? null : item.getValue();
    }

    private void showState() {
        LayerTreeTable.Row row = row();
        Selection selection = model.compression().getSelection();
        if (row == null || selection == null || isEmpty()) {
            return;
        }
        if (row.matrix() != null) {
            box.setIndeterminate(false);
            box.setSelected(selection.includes(row.matrix()));
            return;
        }
        int included = 0;
        for (ProjectionKind kind : ProjectionKind.values()) {
            included += selection.includes(new Selection.Matrix(row.layer(), kind)) ? 1 : 0;
        }
        box.setSelected(included == ProjectionKind.values().length);
        box.setIndeterminate(included > 0 && included < ProjectionKind.values().length);
    }

    private void toggle() {
        LayerTreeTable.Row row = row();
        Selection selection = model.compression().getSelection();
        OpenedModel opened = model.getOpenedModel();
        if (row == null || selection == null || opened == null) {
            return;
        }
        model.compression().selectionProperty().set(row.matrix() == null
                ? SelectionEdits.toggleLayer(selection, row.layer())
                : SelectionEdits.toggleMatrix(selection, row.matrix()));
        // An edit that changes nothing (none does today) would leave the box as the click left it.
        showState();
    }
}
