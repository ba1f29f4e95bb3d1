package io.svdwb.app.view;

import io.svdwb.app.CompressionSetting;
import io.svdwb.app.JobState;
import io.svdwb.app.ResultsModel;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The perplexity estimate (newest result only, labelled with the setting and protocol it belongs to), its
 * progress and errors; the full evaluation and explicit calibration with progress and a cancel button.
 */
final class EstimatePane {

    /** What the buttons do. */
    record Actions(Runnable fullEvaluation, Runnable calibrate, Runnable cancel) {
    }

    private static final String ERROR_STYLE = "-fx-text-fill: #c62828;";

    private final WorkbenchModel model;
    private final GridPane grid = new GridPane();
    /** The last estimate described and its description: the text is asked for again on every slider move. */
    private PerplexityEstimate described;
    private String description;

    EstimatePane(WorkbenchModel model, Actions actions) {
        this.model = model;
        ResultsModel results = model.results();
        grid.setId("estimatePane");
        grid.setHgap(10);
        grid.setVgap(4);
        grid.setPadding(new Insets(6, 8, 8, 8));

        Label value = new Label();
        value.setId("estimateValue");
        value.setMinWidth(Region.USE_PREF_SIZE);
        value.setStyle("-fx-font-size: 1.5em; -fx-font-weight: bold;");
        value.textProperty().bind(Bindings.createStringBinding(() -> perplexity(results.getEstimate()), results.estimateProperty()));
        Label setting = new Label();
        setting.setId("estimateSetting");
        setting.setMinWidth(0);
        // One line (cut with an ellipsis, whole in the tooltip): a wrapped label would change the pane's height whenever
        // the text or the progress bar beside it comes and goes, and every chart above would be redrawn at its new size.
        setting.setWrapText(false);
        setting.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_WORD_ELLIPSIS);
        javafx.scene.control.Tooltip whole = new javafx.scene.control.Tooltip();
        whole.textProperty().bind(setting.textProperty());
        setting.setTooltip(whole);
        setting.textProperty().bind(Bindings.createStringBinding(this::estimateSettingText, results.estimateProperty(),
                model.compression().settingProperty(), results.estimateJob().runningProperty()));
        // Behind a layout barrier: the text changes on the first slider move after each estimate, which must not lay out the window.
        LayoutBarrier settingSlot = LayoutBarrier.filling(setting);
        HBox estimateRow = new HBox(10, value, settingSlot, progress(results.estimateJob(), "estimateProgress"));
        estimateRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(settingSlot, Priority.ALWAYS);
        grid.add(caption("Perplexity estimate"), 0, 0);
        grid.add(estimateRow, 1, 0);
        grid.add(error(results.estimateJob(), "estimateError"), 1, 1);

        Button full = button("Full evaluation", "fullEvaluationButton", actions.fullEvaluation());
        Button calibrate = button("Calibrate now", "calibrateButton", actions.calibrate());
        Button cancel = button("Cancel", "cancelButton", actions.cancel());
        JobState batch = results.batchJob();
        full.disableProperty().bind(batch.runningProperty().or(model.openedModelProperty().isNull()));
        calibrate.disableProperty().bind(batch.runningProperty().or(model.openedModelProperty().isNull())
                .or(results.calibratedProperty()));
        cancel.disableProperty().bind(batch.runningProperty().not());
        Label fullResult = new Label();
        fullResult.setId("fullEvaluationResult");
        fullResult.setMinWidth(0);
        fullResult.textProperty().bind(Bindings.createStringBinding(() -> {
            String note = results.fullEvaluationNoteProperty().get();
            PerplexityEstimate last = results.getFullEvaluation();
            if (note != null && !note.isEmpty()) {
                return note;
            }
            return last == null ? "" : "Full: " + perplexity(last) + "  ·  " + describe(model, last);
        }, results.fullEvaluationProperty(), results.fullEvaluationNoteProperty()));
        HBox batchRow = new HBox(8, full, calibrate, cancel, progress(batch, "batchProgress"), fullResult);
        batchRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(fullResult, Priority.ALWAYS);
        grid.add(batchRow, 1, 2);
        grid.add(error(batch, "batchError"), 1, 3);
        GridPane.setHgrow(estimateRow, Priority.ALWAYS);
    }

    Region node() {
        return grid;
    }

    private String estimateSettingText() {
        PerplexityEstimate estimate = model.results().getEstimate();
        if (estimate == null) {
            return model.results().estimateJob().isRunning() ? "computing …" : "";
        }
        boolean current = CompressionSetting.of(estimate.request()).equals(model.compression().getSetting());
        if (estimate != described) {
            described = estimate;
            description = describe(model, estimate);
        }
        return description + (current ? "" : "  (for an earlier setting; updating …)");
    }

    /** The setting, the realised ratio and the protocol a number belongs to. */
    static String describe(WorkbenchModel model, PerplexityEstimate estimate) {
        PerplexityResult ppl = estimate.perplexity();
        return String.format(Locale.ROOT, "%s  ·  realised c %.4f  ·  %s (%,d windows)", model.describe(CompressionSetting.of(estimate.request())),
                estimate.realised().effectiveRatio(), estimate.protocol().describe(), ppl.windows());
    }

    /** Four decimals, as the command line prints it. */
    static String perplexity(PerplexityEstimate estimate) {
        return estimate == null ? "–" : String.format(Locale.ROOT, "%.4f", estimate.perplexity().perplexity());
    }

    private static HBox progress(JobState job, String id) {
        ProgressBar bar = new ProgressBar();
        bar.setId(id);
        bar.setPrefWidth(120);
        bar.progressProperty().bind(job.progressProperty());
        Label phase = new Label();
        phase.setId(id + "Phase");
        phase.setMinWidth(0);
        phase.setMaxWidth(260);
        phase.textProperty().bind(job.phaseProperty());
        phase.setStyle("-fx-text-fill: -fx-mid-text-color;");
        // Behind a layout barrier: each new progress asks the bar for layout, which must not lay out the window.
        HBox box = new HBox(6, LayoutBarrier.around(bar), phase);
        box.setAlignment(Pos.CENTER_LEFT);
        box.visibleProperty().bind(job.runningProperty());
        box.managedProperty().bind(job.runningProperty());
        return box;
    }

    private static Label error(JobState job, String id) {
        Label label = new Label();
        label.setId(id);
        label.setWrapText(true);
        label.setStyle(ERROR_STYLE);
        label.textProperty().bind(Bindings.createStringBinding(() -> job.getError() == null ? "" : job.getError(), job.errorProperty()));
        label.visibleProperty().bind(job.errorProperty().isNotNull());
        label.managedProperty().bind(job.errorProperty().isNotNull());
        return label;
    }

    private static Button button(String text, String id, Runnable action) {
        Button button = new Button(text);
        button.setId(id);
        button.setMinWidth(Region.USE_PREF_SIZE);
        button.setOnAction(event -> action.run());
        return button;
    }

    private static Label caption(String text) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        label.setStyle("-fx-font-weight: bold;");
        return label;
    }
}
