package io.svdwb.app.view;

import io.svdwb.app.EngineSettings;
import io.svdwb.app.RunSettingsModel;
import javafx.beans.property.IntegerProperty;
import javafx.geometry.Insets;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;

/**
 * The run settings: calibration samples and length (the statistics are cached on disk per setting), the
 * estimate's tokens and window, and the slider debounce. Collapsed by default.
 */
final class SettingsPane {

    private final TitledPane pane;

    SettingsPane(RunSettingsModel settings, EngineSettings engine) {
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(6);
        grid.setPadding(new Insets(8));
        int row = 0;
        // One setting per row: the pane sits in the narrow left column (370 px at 1024 x 700).
        grid.addRow(row++, new Label("Calibration windows"), spinner("calibrationSamples", settings.calibrationSamplesProperty(), 1, 4096, 8));
        grid.addRow(row++, new Label("tokens per window"), spinner("calibrationLength", settings.calibrationLengthProperty(), 16, 8192, 16));
        grid.addRow(row++, new Label("Estimate tokens"), spinner("estimateTokens", settings.estimateTokensProperty(), 256, 10_000_000, 256));
        grid.addRow(row++, new Label("window (ctx, 0 = model's)"), spinner("evaluationContext", settings.evaluationContextProperty(), 0, 8192, 16));
        grid.addRow(row++, new Label("Slider debounce (ms)"), spinner("debounceMillis", settings.debounceMillisProperty(), 0, 5000, 50));
        grid.addRow(row++, new Label("Device"), deviceChoice(settings));
        Label where = new Label("Calibration text: " + describe(engine.calibrationText()) + "\nEvaluation text: "
                + describe(engine.evaluationText()) + "\nCalibration cache: " + engine.calibrationCache().root()
                + "\nGPU: " + io.svdwb.engine.linalg.Devices.status());
        where.setId("enginePaths");
        where.setStyle("-fx-text-fill: -fx-mid-text-color;");
        where.setWrapText(true);
        where.setMinHeight(Region.USE_PREF_SIZE);
        grid.add(where, 0, row, 2, 1);
        pane = new TitledPane("Run settings", grid);
        pane.setId("settingsPane");
        pane.setExpanded(false);
        pane.setAnimated(false);
    }

    TitledPane node() {
        return pane;
    }

    /** The devices the machine offers (the CPU always); the model's device is bound to the choice both ways. */
    private static ComboBox<String> deviceChoice(RunSettingsModel settings) {
        ComboBox<String> choice = new ComboBox<>();
        choice.getItems().setAll(io.svdwb.engine.linalg.Devices.choices());
        if (!choice.getItems().contains(settings.getDevice())) {
            choice.getItems().add(settings.getDevice()); // a restored setting names a device this machine lacks: shown, and
                                                          // the estimate says why it cannot open it
        }
        choice.setId("device");
        choice.setPrefWidth(110);
        choice.valueProperty().bindBidirectional(settings.deviceProperty());
        return choice;
    }

    private Spinner<Integer> spinner(String id, IntegerProperty property, int min, int max, int step) {
        Spinner<Integer> spinner = new Spinner<>(new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, property.get(), step));
        spinner.setId(id);
        spinner.setEditable(true);
        spinner.setPrefWidth(110);
        Bind.bidirectionally(spinner, spinner.getValueFactory().valueProperty(), property.asObject());
        return spinner;
    }

    private static String describe(java.nio.file.Path path) {
        return path == null ? "not found (the embedded texts are missing)" : path.toString();
    }
}
