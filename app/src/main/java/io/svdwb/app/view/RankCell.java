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

    RankCell(WorkbenchModel model) {
        this.model = model;
        model.shownRanksProperty().addListener(new WeakChangeListener<>(onRanks));
    }

    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty ? null : item);
        showSource();
    }

    private void showSource() {
        ShownRanks shown = model.getShownRanks();
        boolean uniform = !isEmpty() && shown != null && !shown.fromEstimate();
        pseudoClassStateChanged(UNIFORM, uniform);
        setStyle(uniform ? UNIFORM_STYLE : PLAIN_STYLE);
    }
}
