package io.svdwb.app.view;

import io.svdwb.app.CompressionSettingsModel;
import io.svdwb.app.OpenedForLooking;
import io.svdwb.app.OpenedModel;
import io.svdwb.app.ShownRanks;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.app.soco.SocoKnobs;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.workbench.RankPlan;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * Method chooser, global ratio slider and each method's own knobs, bound to the model; below them, what the
 * ratio keeps (from the engine's rank plan, recomputed on every slider move).
 */
final class ControlsPane {

    private final WorkbenchModel model;
    private final GridPane grid = new GridPane();
    private final Slider ratio = new Slider(CompressionSettingsModel.MIN_RATIO, CompressionSettingsModel.MAX_RATIO,
            CompressionSettingsModel.DEFAULT_RATIO);
    /** Wraps onto a second line where the window is narrow (SoCo has a dozen knobs), so that none is pushed out of it. */
    private final FlowPane methodKnobs = new FlowPane(8, 4);

    ControlsPane(WorkbenchModel model) {
        this.model = model;
        CompressionSettingsModel settings = model.compression();
        grid.setId("controls");
        grid.setHgap(10);
        grid.setVgap(6);
        grid.setPadding(new Insets(8));

        ComboBox<MethodId> method = new ComboBox<>(FXCollections.observableArrayList(MethodId.values()));
        method.setId("methodChooser");
        method.valueProperty().bindBidirectional(settings.methodProperty());
        method.setCellFactory(list -> new MethodCell());
        method.setButtonCell(new MethodCell());

        ratio.setId("ratioSlider");
        ratio.setMajorTickUnit(0.1);
        ratio.setMinorTickCount(1);
        ratio.setBlockIncrement(0.01);
        ratio.setShowTickMarks(true);
        ratio.setShowTickLabels(true);
        ratio.setValue(settings.getRatio());
        // The model keeps c to 0.001 steps; the slider follows it back, so both always show the same value.
        ratio.valueProperty().addListener((observable, before, now) -> settings.setRatio(now.doubleValue()));
        settings.ratioProperty().addListener((observable, before, now) -> {
            if (ratio.getValue() != now.doubleValue()) {
                ratio.setValue(now.doubleValue());
            }
        });
        // A moved thumb asks the slider for layout, and a managed slider would pass that on up to the window's root.
        LayoutBarrier slider = LayoutBarrier.around(ratio);
        GridPane.setHgrow(slider, Priority.ALWAYS);
        Label ratioValue = new Label();
        ratioValue.setId("ratioValue");
        ratioValue.setStyle("-fx-font-weight: bold; -fx-font-size: 1.1em;");
        ratioValue.textProperty().bind(Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, "c = %.3f", settings.getRatio()), settings.ratioProperty()));

        // The numbers below follow every slider move: behind layout barriers, so that a new text does not lay out the window again.
        grid.addRow(0, caption("Method"), method, caption("Compression ratio"), slider, LayoutBarrier.fitting(ratioValue, "c = 0.000"));

        methodKnobs.setAlignment(Pos.CENTER_LEFT);
        methodKnobs.setMinWidth(0);
        methodKnobs.setPrefWrapLength(400);
        settings.methodProperty().addListener((observable, before, now) -> showKnobs(now));
        showKnobs(settings.getMethod());
        grid.add(methodKnobs, 1, 1, 4, 1);
        grid.add(caption("Options"), 0, 1);

        // A factored export is opened for looking: nothing here may start a compression of it.
        BooleanBinding lookingOnly = OpenedForLooking.of(model);
        method.disableProperty().bind(lookingOnly);
        slider.disableProperty().bind(lookingOnly);
        methodKnobs.disableProperty().bind(lookingOnly);
        Label reason = new Label(OpenedForLooking.REASON);
        reason.setId("compressionDisabledReason");
        reason.setWrapText(true);
        reason.setMinWidth(0);
        reason.setStyle("-fx-text-fill: -fx-mid-text-color; -fx-font-style: italic;");
        reason.visibleProperty().bind(lookingOnly);
        reason.managedProperty().bind(lookingOnly);
        grid.add(reason, 0, 4, 5, 1);

        Label kept = new Label();
        kept.setId("keptParameters");
        Label size = new Label();
        size.setId("modelSize");
        kept.textProperty().bind(Bindings.createStringBinding(this::keptText, model.planProperty(), model.openedModelProperty()));
        size.textProperty().bind(Bindings.createStringBinding(this::sizeText, model.planProperty(), model.openedModelProperty()));
        grid.add(caption("Keeps"), 0, 2);
        grid.add(LayoutBarrier.filling(kept), 1, 2, 4, 1);
        grid.add(caption("Size"), 0, 3);
        // two lines: the size line is long, and must not be cut at the default size
        grid.add(LayoutBarrier.filling(size, 2), 1, 3, 4, 1);
    }

    Region node() {
        return grid;
    }

    /** What the ratio keeps of the selected matrices: the engine's realised ratio over them. */
    private String keptText() {
        RankPlan plan = model.getPlan();
        OpenedModel opened = model.getOpenedModel();
        if (opened == null) {
            return "–";
        }
        if (opened.isFactoredExport()) {
            return exportKeptText(opened);
        }
        if (plan == null) {
            return "No matrix selected: nothing is compressed";
        }
        return String.format(Locale.ROOT, "%s of %s parameters of the %d selected matrices (realised c %.4f)",
                Formats.count(plan.keptParameters()), Formats.count(plan.realised().originalParameters()), plan.ranks().size(),
                plan.realised().effectiveRatio());
    }

    /** What a factored export stores of its compressible matrices, from its ranks. */
    private String exportKeptText(OpenedModel opened) {
        ShownRanks ranks = ShownRanks.of(null, null, null, opened);
        long stored = 0;
        long original = 0;
        int factored = 0;
        for (MatrixSpec m : opened.matrices()) {
            stored += ranks.stored(m);
            original += m.parameters();
            factored += opened.exportedRank(m).isPresent() ? 1 : 0;
        }
        return String.format(Locale.ROOT, "Stores %s of %s parameters of its compressible matrices (%d of %d as factors; c %.4f)",
                Formats.count(stored), Formats.count(original), factored, opened.matrices().size(), (double) stored / original);
    }

    /** The factored checkpoint's size and what the whole model keeps. */
    private String sizeText() {
        RankPlan plan = model.getPlan();
        if (model.getOpenedModel() != null && model.getOpenedModel().isFactoredExport()) {
            return "";
        }
        if (plan == null) {
            return "";
        }
        OpenedModel opened = model.getOpenedModel();
        return String.format(Locale.ROOT, "%s as a factored checkpoint (float32 factors%s)  ·  model %s of %s parameters",
                Formats.megabytesExact(plan.factoredBytes()), plan.dense().isEmpty() ? "" : "; unselected matrices as stored",
                Formats.count(plan.keptModelParameters()), Formats.count(opened.totalParameters()));
    }

    /** The chosen method's knobs; the others are hidden (their values stay in the model). */
    private void showKnobs(MethodId method) {
        CompressionSettingsModel settings = model.compression();
        Label summary = new Label(method.summary());
        summary.setId("methodSummary");
        summary.setStyle("-fx-text-fill: -fx-mid-text-color;");
        summary.setMinWidth(0);
        // One line (whole in the tooltip): the rows above it must keep their room in a small window.
        summary.maxWidthProperty().bind(methodKnobs.widthProperty());
        summary.setTooltip(new Tooltip(method.summary()));
        Node[] knobs = method == MethodId.SOCO ? SocoKnobs.nodes(model)
                : MethodKnobs.nodes(method.method(), settings.settingsProperty(method));
        methodKnobs.getChildren().setAll(knobs);
        methodKnobs.getChildren().add(int8Factors(settings));
        methodKnobs.getChildren().add(summary);
    }

    /**
     * Any method's factors as int8 codes with per-row scales (docs/METHODS.md §2.6): the ratio is then counted in bits
     * against a 16-bit model, and the uniform-rank methods take their ranks from that bit budget.
     */
    private static CheckBox int8Factors(CompressionSettingsModel settings) {
        CheckBox int8 = new CheckBox("int8 factors");
        int8.setId("int8Factors");
        int8.setTooltip(new Tooltip("Store the factors as int8 with one float32 scale per row; the ratio counts bits against a "
                + "16-bit dense model (docs/METHODS.md §2.6)"));
        int8.setSelected(settings.factorStorageProperty().get().quantized());
        int8.selectedProperty().addListener((observable, before, now) -> settings.factorStorageProperty().set(now
                ? new io.svdwb.engine.compress.quant.FactorStorage(io.svdwb.engine.compress.quant.FactorStorage.Precision.INT8,
                        io.svdwb.engine.compress.quant.FactorStorage.DEFAULT_BASELINE_BITS)
                : io.svdwb.engine.compress.quant.FactorStorage.BASELINE));
        javafx.beans.value.ChangeListener<io.svdwb.engine.compress.quant.FactorStorage> follow =
                (observable, before, now) -> int8.setSelected(now.quantized());
        settings.factorStorageProperty().addListener(new javafx.beans.value.WeakChangeListener<>(follow));
        int8.getProperties().put(ControlsPane.class.getName() + "#int8", follow);
        return int8;
    }

    private static Label caption(String text) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }

    /** Methods by their command-line names, with the engine's one-line summary as tooltip. */
    private static final class MethodCell extends ListCell<MethodId> {
        @Override
        protected void updateItem(MethodId item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty || item == null ? null : item.cliName());
            setTooltip(empty || item == null ? null : new Tooltip(item.summary()));
        }
    }
}
