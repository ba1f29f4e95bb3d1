package io.svdwb.app.view;

import io.svdwb.app.OpenedModel;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.model.ModelConfig;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;

/** The model's architecture and parameter counts, as the engine reports them. */
final class ModelSummaryPane {

    private static final String NONE = "–";

    private final WorkbenchModel model;
    private final GridPane grid = new GridPane();
    private int row;

    ModelSummaryPane(WorkbenchModel model) {
        this.model = model;
        grid.setId("modelSummary");
        grid.setHgap(12);
        grid.setVgap(6);
        grid.setPadding(new Insets(12));
        grid.setMinWidth(Region.USE_PREF_SIZE);
        Label title = new Label("Model");
        title.setStyle("-fx-font-weight: bold; -fx-font-size: 1.2em;");
        grid.add(title, 0, row++, 2, 1);
        add("Folder", "modelName", OpenedModel::name);
        add("Type", "modelType", m -> m.config().modelType());
        add("Hidden size", "hiddenSize", config(c -> Formats.count(c.hiddenSize())));
        add("Intermediate size", "intermediateSize", config(c -> Formats.count(c.intermediateSize())));
        add("Layers", "numLayers", config(c -> Integer.toString(c.numLayers())));
        add("Heads / KV heads", "heads", config(c -> c.numHeads() + " / " + c.numKvHeads()));
        add("Head dim", "headDim", config(c -> Integer.toString(c.headDim())));
        add("Vocabulary", "vocabSize", config(c -> Formats.count(c.vocabSize())));
        add("Total parameters", "totalParameters", m -> Formats.count(m.totalParameters()));
        add("Compressible parameters", "compressibleParameters", m -> Formats.count(m.compressibleParameters()));
    }

    Region node() {
        return grid;
    }

    private static Function<OpenedModel, String> config(Function<ModelConfig, String> field) {
        return m -> field.apply(m.config());
    }

    private void add(String name, String id, Function<OpenedModel, String> value) {
        Label key = new Label(name);
        key.setStyle("-fx-text-fill: -fx-mid-text-color;");
        Label shown = new Label();
        shown.setId(id);
        shown.textProperty().bind(Bindings.createStringBinding(() -> {
            OpenedModel opened = model.getOpenedModel();
            return opened == null ? NONE : value.apply(opened);
        }, model.openedModelProperty()));
        grid.addRow(row++, key, shown);
    }
}
