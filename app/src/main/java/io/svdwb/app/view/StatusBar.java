package io.svdwb.app.view;

import io.svdwb.app.WorkbenchModel;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** The status message, a spinner while a model loads, and the JVM's memory use. */
final class StatusBar {

    private final HBox bar = new HBox(8);

    StatusBar(WorkbenchModel model) {
        bar.setId("statusBar");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));
        bar.setStyle("-fx-border-color: -fx-box-border transparent transparent transparent;");

        ProgressIndicator progress = new ProgressIndicator();
        progress.setId("loadingIndicator");
        progress.setPrefSize(16, 16);
        progress.visibleProperty().bind(model.loadingProperty());
        progress.managedProperty().bind(model.loadingProperty());

        Label status = new Label();
        status.setId("statusLabel");
        status.textProperty().bind(model.statusProperty());
        status.setMinWidth(0);

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);

        Label memory = new Label();
        memory.setId("memoryLabel");
        memory.setMinWidth(Region.USE_PREF_SIZE);
        memory.textProperty().bind(Bindings.createStringBinding(
                () -> "Memory " + Formats.megabytes(model.usedMemoryBytesProperty().get())
                        + " of " + Formats.megabytes(model.maxMemoryBytesProperty().get()),
                model.usedMemoryBytesProperty(), model.maxMemoryBytesProperty()));

        bar.getChildren().addAll(progress, status, spacer, memory);
    }

    /** Adds {@code node} just left of the memory readout. */
    void add(javafx.scene.Node node) {
        bar.getChildren().add(bar.getChildren().size() - 1, node);
    }

    Region node() {
        return bar;
    }
}
