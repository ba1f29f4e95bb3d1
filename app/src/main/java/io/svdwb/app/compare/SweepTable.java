package io.svdwb.app.compare;

import io.svdwb.app.view.Formats;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** The sweep's rows as numbers: method, target, achieved ratio, kept parameters, perplexity, times. */
public final class SweepTable {

    private final TableView<ComparisonRow> table = new TableView<>();

    public SweepTable(ObservableList<ComparisonRow> rows) {
        table.setId("sweepTable");
        table.setItems(rows);
        table.setPlaceholder(new Label("Run a sweep to fill this table"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("Method", "methodColumn", false, ComparisonRow::methodLabel));
        table.getColumns().add(column("Target", "targetColumn", true, r -> r.baseline() ? "–" : fixed(r.targetRatio(), 2)));
        table.getColumns().add(column("Achieved", "achievedColumn", true, r -> r.baseline() ? "0" : fixed(r.achievedRatio(), 4)));
        table.getColumns().add(column("Kept parameters", "keptColumn", true, r -> r.baseline() ? "all" : Formats.count(r.keptParameters())));
        table.getColumns().add(column("Perplexity", "perplexityColumn", true, r -> fixed(r.perplexity(), 4)));
        table.getColumns().add(column("Compress s", "compressColumn", true, r -> r.baseline() ? "–" : fixed(r.compressSeconds(), 1)));
        table.getColumns().add(column("Eval s", "evalColumn", true, r -> fixed(r.evalSeconds(), 1)));
    }

    public TableView<ComparisonRow> node() {
        return table;
    }

    /** What a column shows for a row, as its cells render it. */
    public static String text(TableView<ComparisonRow> table, String columnId, ComparisonRow row) {
        return table.getColumns().stream().filter(c -> columnId.equals(c.getId())).findFirst().orElseThrow()
                .getCellObservableValue(row).getValue().toString();
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static TableColumn<ComparisonRow, String> column(String title, String id, boolean rightAligned,
            Function<ComparisonRow, String> text) {
        TableColumn<ComparisonRow, String> column = new TableColumn<>(title);
        column.setId(id);
        column.setSortable(false);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue() == null ? "" : text.apply(cell.getValue())));
        if (rightAligned) {
            column.setStyle("-fx-alignment: CENTER-RIGHT;");
        }
        return column;
    }
}
