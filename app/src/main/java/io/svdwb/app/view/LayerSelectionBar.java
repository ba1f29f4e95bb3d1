package io.svdwb.app.view;

import io.svdwb.app.CompressionSettingsModel;
import io.svdwb.app.OpenedModel;
import io.svdwb.app.SelectionEdits;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.compress.Selection;
import java.util.BitSet;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.controlsfx.control.RangeSlider;

/**
 * Under the layer tree: "compress layers i..j" (a range slider), ResSVD's partial-layer selection "last k layers"
 * in one click, "all matrices", and the selection in the command line's words. All of them edit the model's
 * selection, which the tree's check boxes edit too.
 */
final class LayerSelectionBar {

    private final WorkbenchModel model;
    private final GridPane grid = new GridPane();
    private final RangeSlider range = new RangeSlider(0, 1, 0, 1);
    private final Spinner<Integer> lastCount;
    /** True while the slider is moved to show the model's selection, so that this is not read back as a user's edit. */
    private boolean showing;

    LayerSelectionBar(WorkbenchModel model) {
        this.model = model;
        CompressionSettingsModel settings = model.compression();
        grid.setId("layerSelection");
        grid.setHgap(8);
        grid.setVgap(4);
        grid.setPadding(new Insets(4, 6, 6, 6));

        // Until a model says how many layers it has, the spinner must not clamp the model's value (bound both ways).
        lastCount = new Spinner<>(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, Integer.MAX_VALUE, settings.lastLayersCountProperty().get()));
        range.setId("layerRange");
        range.setShowTickMarks(true);
        range.setShowTickLabels(true);
        range.setSnapToTicks(true);
        range.setMajorTickUnit(1);
        range.setMinorTickCount(0);
        range.setBlockIncrement(1);
        range.lowValueProperty().addListener((observable, before, now) -> rangeMoved());
        range.highValueProperty().addListener((observable, before, now) -> rangeMoved());
        GridPane.setHgrow(range, Priority.ALWAYS);
        Label rangeValue = new Label();
        rangeValue.setId("layerRangeValue");
        rangeValue.setMinWidth(Region.USE_PREF_SIZE);
        rangeValue.textProperty().bind(Bindings.createStringBinding(() -> {
            Selection selection = settings.getSelection();
            return selection == null ? "" : selection.layers().isEmpty() ? "none" : selection.layerSpec();
        }, settings.selectionProperty()));
        grid.addRow(0, caption("Layers"), range, rangeValue);

        lastCount.setId("lastLayersCount");
        lastCount.setEditable(true);
        lastCount.setPrefWidth(70);
        Bind.bidirectionally(lastCount, lastCount.getValueFactory().valueProperty(), settings.lastLayersCountProperty().asObject());
        // Never cut: the left column (370 px at 1024 x 700) has room for both at full width.
        Button last = new Button("Select last k layers");
        last.setMinWidth(Region.USE_PREF_SIZE);
        last.setId("lastLayersButton");
        last.setTooltip(new Tooltip("ResSVD's partial-layer selection: compress layers N−k..N−1 only. The ratio then applies to"
                + " them; ResSVD's own \"last k layers\" option instead keeps the ratio over all selected layers"));
        last.setOnAction(event -> selectLastLayers());
        Button all = new Button("All matrices");
        all.setId("selectAllButton");
        all.setMinWidth(Region.USE_PREF_SIZE);
        all.setOnAction(event -> {
            OpenedModel opened = model.getOpenedModel();
            if (opened != null) {
                settings.selectionProperty().set(Selection.all(opened.config()));
            }
        });
        HBox actions = new HBox(6, lastCount, last, all);
        actions.setAlignment(Pos.CENTER_LEFT);
        grid.add(caption("k"), 0, 1);
        grid.add(actions, 1, 1, 2, 1);

        Label summary = new Label();
        summary.setId("selectionSummary");
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);
        summary.textProperty().bind(Bindings.createStringBinding(this::summaryText, settings.selectionProperty()));
        grid.add(summary, 0, 2, 3, 1);

        grid.disableProperty().bind(model.openedModelProperty().isNull());
        model.openedModelProperty().addListener((observable, before, opened) -> fitTo(opened));
        settings.selectionProperty().addListener((observable, before, now) -> showRange(now));
        fitTo(model.getOpenedModel());
    }

    Region node() {
        return grid;
    }

    /** The slider spans the model's layers; the spinner counts up to them. */
    private void fitTo(OpenedModel opened) {
        if (opened == null) {
            return;
        }
        int layers = opened.config().numLayers();
        showing = true;
        try {
            range.setMin(0);
            range.setMax(Math.max(1, layers - 1));
            // Every layer is a stop; on deep models only every few get a label.
            range.setMajorTickUnit(Math.max(1, (int) Math.ceil(layers / 8.0)));
            range.setMinorTickCount((int) range.getMajorTickUnit() - 1);
        } finally {
            showing = false;
        }
        var factory = (SpinnerValueFactory.IntegerSpinnerValueFactory) lastCount.getValueFactory();
        factory.setMax(Math.max(1, layers));
        model.compression().lastLayersCountProperty().set(Math.max(1, Math.min(layers, model.compression().lastLayersCountProperty().get())));
        showRange(model.compression().getSelection());
    }

    /** Shows the selection's first..last layer (the span of a selection with gaps; the summary names the gaps). */
    private void showRange(Selection selection) {
        if (selection == null || selection.layers().isEmpty()) {
            return;
        }
        BitSet layers = selection.layers();
        double low = layers.nextSetBit(0);
        double high = layers.length() - 1;
        showing = true;
        try {
            // The slider keeps low <= high at every step, so move the end that makes room first.
            if (low > range.getHighValue()) {
                range.setHighValue(high);
                range.setLowValue(low);
            } else {
                range.setLowValue(low);
                range.setHighValue(high);
            }
        } finally {
            showing = false;
        }
    }

    /** A user's move: layers low..high, projections unchanged (unless the selection already is exactly that). */
    private void rangeMoved() {
        Selection selection = model.compression().getSelection();
        OpenedModel opened = model.getOpenedModel();
        if (showing || selection == null || opened == null) {
            return;
        }
        // A one-layer model still gets a slider of length 1: its upper end means layer 0.
        int to = Math.min(opened.config().numLayers() - 1, (int) Math.round(range.getHighValue()));
        int from = Math.min(to, (int) Math.round(range.getLowValue()));
        Selection moved = SelectionEdits.layerRange(selection, from, to);
        if (!moved.equals(selection)) {
            model.compression().selectionProperty().set(moved);
        }
    }

    private void selectLastLayers() {
        OpenedModel opened = model.getOpenedModel();
        Selection selection = model.compression().getSelection();
        if (opened != null && selection != null) {
            model.compression().selectionProperty().set(SelectionEdits.lastLayers(selection,
                    model.compression().lastLayersCountProperty().get(), opened.config().numLayers()));
        }
    }

    /** "14 of 35 matrices: --layers 2-4 --modules q,k,v,o,gate,up,down --exclude 3.q" (no --exclude when none is). */
    private String summaryText() {
        Selection selection = model.compression().getSelection();
        OpenedModel opened = model.getOpenedModel();
        if (selection == null || opened == null) {
            return "";
        }
        int selected = selection.filter(opened.matrices()).size();
        if (selected == 0) {
            return "No matrix selected";
        }
        return String.format(Locale.ROOT, "%d of %d matrices: --layers %s --modules %s%s", selected, opened.matrices().size(),
                selection.layerSpec(), selection.moduleSpec(), selection.excluded().isEmpty() ? "" : " --exclude " + selection.excludeSpec());
    }

    private static Label caption(String text) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }
}
