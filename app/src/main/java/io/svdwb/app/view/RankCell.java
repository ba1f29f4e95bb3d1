package io.svdwb.app.view;

import io.svdwb.app.ShownRanks;
import io.svdwb.app.WorkbenchModel;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.css.PseudoClass;
import javafx.scene.control.TreeTableCell;

/**
 * A Rank or Kept cell: italic and grey while it shows the instant uniform k(c), plain once the ranks are the
 * method's own from the estimate of the current setting (the line under the tree says the same in words).
 */
final class RankCell extends TreeTableCell<LayerTreeTable.Row, String> {

    /** Set while the cell shows the uniform k(c) rather than the last estimate's ranks. */
    static final PseudoClass UNIFORM = PseudoClass.getPseudoClass("uniform");
    private static final String PLAIN_STYLE = "-fx-alignment: CENTER-RIGHT;";
    private static final String UNIFORM_STYLE = PLAIN_STYLE + " -fx-font-style: italic; -fx-text-fill: -fx-mid-text-color;";

    private final WorkbenchModel model;
    // Held by the cell: the model refers to it only weakly, so cells the table drops are not kept alive.
    private final ChangeListener<ShownRanks> onRanks = (observable, before, now) -> showSource();

    /** False while the superclasses' constructors run (they may ask for layout before this cell's fields exist). */
    private final boolean constructed;

    RankCell(WorkbenchModel model) {
        this.model = model;
        model.shownRanksProperty().addListener(new WeakChangeListener<>(onRanks));
        constructed = true;
    }

    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty ? null : item);
        showSource();
    }

    /**
     * Lays out this cell only, once it is shown in a row of a table with a fixed row height: its size is then the
     * row's height and its column's width, never its text's. A cell asking its row for layout (a new value: the
     * slider moved) makes the table's virtual flow lay out, re-index and re-style every visible row, and the whole
     * window above it, which took most of a slider move's frame (docs/BENCHMARKS.md). A cell outside the scene (the
     * one a column's fit-to-content measures with) asks as usual, so that its preferred width is measured again.
     */
    @Override
    public void requestLayout() {
        boolean shown = constructed && getTreeTableRow() != null && getTreeTableRow().getParent() != null;
        if (shown && getTreeTableView() != null && getTreeTableView().getFixedCellSize() > 0) {
            setNeedsLayout(true);
        } else {
            super.requestLayout();
        }
    }

    /** Whether the cell shows the uniform k(c) now (null before the first call). */
    private Boolean shownUniform;

    private void showSource() {
        ShownRanks shown = model.getShownRanks();
        boolean uniform = !isEmpty() && shown != null && !shown.fromEstimate() && !shown.fromExport();
        // Called on every slider move, where the source rarely changes: restyle only when it does.
        if (shownUniform != null && shownUniform == uniform) {
            return;
        }
        shownUniform = uniform;
        pseudoClassStateChanged(UNIFORM, uniform);
        setStyle(uniform ? UNIFORM_STYLE : PLAIN_STYLE);
    }
}
