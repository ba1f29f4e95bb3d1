package io.svdwb.app.compare;

import io.svdwb.app.FileDialogs;
import io.svdwb.app.tasks.EngineTask;
import io.svdwb.engine.compress.method.MethodId;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Compare methods: pick methods and ratios, run a sweep in the background, and read perplexity against
 * parameters kept (chart), the numbers (table, filled row by row) and one row's per-matrix losses (heat map).
 */
public final class CompareView {

    private final BorderPane root = new BorderPane();
    private final PerplexityChart perplexity;
    private final LayerErrorHeatMap heatMap;
    private final SweepTable table;

    public CompareView(CompareModel model, SweepRunner runner, FileDialogs dialogs) {
        root.setId("compareView");
        perplexity = new PerplexityChart(model.rows());
        heatMap = new LayerErrorHeatMap(model.heatMapRowProperty());
        table = new SweepTable(model.rows());

        ChartPane.ExportListener exported = file -> model.statusProperty().set("Wrote " + file);
        ChartPane perplexityPane = new ChartPane(perplexity.chart(), "perplexityChart", "perplexity", dialogs, exported);
        ChartPane heatMapPane = new ChartPane(heatMap.chart(), "heatMap", "layer-losses", dialogs, exported);

        table.node().getSelectionModel().selectedItemProperty().addListener((observable, before, row) -> {
            if (row != null && !row.baseline()) {
                model.heatMapRowProperty().set(row);
            }
        });

        SplitPane charts = new SplitPane(perplexityPane.node(), heatMapPane.node());
        charts.setDividerPositions(0.55);
        SplitPane center = new SplitPane(charts, table.node());
        center.setOrientation(Orientation.VERTICAL);
        center.setDividerPositions(0.66);
        root.setTop(controls(model, runner));
        root.setCenter(center);
    }

    private static VBox controls(CompareModel model, SweepRunner runner) {
        FlowPane methods = new FlowPane(10, 4);
        methods.setId("methodChoices");
        methods.getChildren().add(new Label("Methods:"));
        for (MethodId method : MethodId.values()) {
            CheckBox box = new CheckBox(method.cliName());
            box.setId("method-" + method.cliName());
            box.setTooltip(new Tooltip(method.summary()));
            box.setSelected(model.methods().contains(method));
            box.selectedProperty().addListener((observable, was, selected) -> {
                if (selected && !model.methods().contains(method)) {
                    model.methods().add(method);
                } else if (!selected) {
                    model.methods().remove(method);
                }
            });
            model.methods().addListener((javafx.collections.ListChangeListener<MethodId>) change -> box.setSelected(model.methods().contains(method)));
            methods.getChildren().add(box);
        }

        TextField ratios = new TextField();
        ratios.setId("ratiosField");
        ratios.setPrefColumnCount(14);
        ratios.textProperty().bindBidirectional(model.ratiosTextProperty());
        Label ratiosProblem = new Label();
        ratiosProblem.setId("ratiosProblem");
        ratiosProblem.setStyle("-fx-text-fill: #b00020;");
        ratiosProblem.textProperty().bind(Bindings.createStringBinding(
                () -> model.ratiosProblemProperty().get() == null ? "" : model.ratiosProblemProperty().get(), model.ratiosProblemProperty()));
        ratiosProblem.setWrapText(true);
        ratiosProblem.managedProperty().bind(ratiosProblem.textProperty().isNotEmpty());

        Button run = new Button("Run sweep");
        run.setId("runSweep");
        run.setDefaultButton(true);
        run.disableProperty().bind(model.runningProperty().or(model.setupProperty().isNull())
                .or(model.ratiosProblemProperty().isNotNull()).or(Bindings.isEmpty(model.methods())));
        run.setOnAction(event -> runner.start());
        Button cancel = new Button("Cancel");
        cancel.setId("cancelSweep");
        cancel.disableProperty().bind(model.runningProperty().not());
        cancel.setOnAction(event -> runner.cancel());

        ProgressBar progress = new ProgressBar(0);
        progress.setId("sweepProgress");
        progress.setPrefWidth(160);
        progress.visibleProperty().bind(model.runningProperty());
        Label phase = new Label();
        phase.setId("sweepPhase");
        phase.setMinWidth(0);
        runner.currentProperty().addListener((observable, before, task) -> bindProgress(progress, phase, model, task));

        HBox ratioRow = new HBox(8, new Label("Ratios:"), ratios, run, cancel, progress, phase);
        ratioRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(phase, Priority.ALWAYS);

        Label protocol = new Label();
        protocol.setId("sweepProtocol");
        protocol.setStyle("-fx-text-fill: -fx-mid-text-color;");
        protocol.textProperty().bind(Bindings.createStringBinding(
                () -> model.protocolProperty().get().isEmpty() ? "" : "Perplexity: " + model.protocolProperty().get(), model.protocolProperty()));
        Label status = new Label();
        status.setId("compareStatus");
        status.textProperty().bind(model.statusProperty());

        VBox box = new VBox(6, methods, ratioRow, ratiosProblem, protocol, status);
        box.setPadding(new Insets(8));
        return box;
    }

    private static void bindProgress(ProgressBar progress, Label phase, CompareModel model, EngineTask<Integer> task) {
        progress.progressProperty().unbind();
        phase.textProperty().unbind();
        if (task != null) {
            progress.progressProperty().bind(task.progressProperty());
            phase.textProperty().bind(task.messageProperty());
        } else {
            phase.setText("");
        }
    }

    public Region node() {
        return root;
    }

    public PerplexityChart perplexityChart() {
        return perplexity;
    }

    public LayerErrorHeatMap heatMap() {
        return heatMap;
    }

    public SweepTable table() {
        return table;
    }
}
