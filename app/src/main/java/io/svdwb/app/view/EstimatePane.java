package io.svdwb.app.view;

import io.svdwb.app.CompressionSetting;
import io.svdwb.app.JobState;
import io.svdwb.app.OpenedForLooking;
import io.svdwb.app.ResultsModel;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
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
    /** About four lines of text: room enough to read an error, never enough to crowd out the charts. */
    static final double ERROR_MAX_HEIGHT = 72;

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
        value.textProperty().bind(Bindings.createStringBinding(() -> OpenedForLooking.now(model) ? "–" : perplexity(results.getEstimate()),
                results.estimateProperty(), model.openedModelProperty()));
        Label setting = new Label();
        setting.setId("estimateSetting");
        setting.setMinWidth(0);
        // Two lines, always (whole in the tooltip too): a label that grew a line when the text or the progress bar beside
        // it comes and goes would change the pane's height, and every chart above would be redrawn at its new size.
        javafx.scene.control.Tooltip whole = new javafx.scene.control.Tooltip();
        whole.textProperty().bind(setting.textProperty());
        setting.setTooltip(whole);
        setting.textProperty().bind(Bindings.createStringBinding(this::estimateSettingText, results.estimateProperty(),
                model.compression().settingProperty(), results.estimateJob().runningProperty(), model.openedModelProperty(),
                results.estimateJob().errorProperty(), model.soco().trainingProperty(), model.soco().trained()));
        // Behind a layout barrier: the text changes on the first slider move after each estimate, which must not lay out the window.
        LayoutBarrier settingSlot = LayoutBarrier.filling(setting, 2);
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
        javafx.beans.binding.BooleanBinding lookingOnly = OpenedForLooking.of(model);
        full.disableProperty().bind(batch.runningProperty().or(model.openedModelProperty().isNull()).or(lookingOnly));
        calibrate.disableProperty().bind(batch.runningProperty().or(model.openedModelProperty().isNull())
                .or(results.calibratedProperty()).or(lookingOnly));
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
        if (OpenedForLooking.now(model)) {
            return "none: a factored export is opened for looking (svdwb eval evaluates it)";
        }
        PerplexityEstimate estimate = model.results().getEstimate();
        if (estimate == null) {
            return model.results().estimateJob().isRunning() ? "computing …" : waitingFor();
        }
        boolean current = CompressionSetting.of(estimate.request()).equals(model.compression().getSetting());
        if (estimate != described) {
            described = estimate;
            description = describe(model, estimate);
        }
        if (current) {
            return description;
        }
        // "updating" only while an estimate really runs; otherwise say what the current setting still needs. The earlier
        // setting is named without its protocol, so that the line fits its two lines.
        String needed = waitingFor();
        String earlier = model.describe(CompressionSetting.of(estimate.request())) + "  (an earlier setting";
        return earlier + (model.results().estimateJob().isRunning() ? "; updating …)" : needed.isEmpty() ? ")" : "; " + needed + ")");
    }

    /** What the current setting needs before it gets an estimate when none is running, or "" if nothing. */
    private String waitingFor() {
        CompressionSetting setting = model.compression().getSetting();
        if (setting == null || model.getOpenedModel() == null) {
            return "";
        }
        if (setting.method() == MethodId.SOCO && !model.soco().isTrained(setting)) {
            return model.soco().trainingProperty().get() ? "SoCo is training; the estimate follows" : "train SoCo to estimate this setting";
        }
        if (model.results().estimateJob().getError() != null) {
            return "this setting's estimate failed";
        }
        return "";
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

    /**
     * The job's error, wrapped, in a scroll area of at most {@link #ERROR_MAX_HEIGHT}: a long message (a stack of causes)
     * scrolls there instead of growing the pane and pushing the controls and menus above it out of the window.
     */
    private static ScrollPane error(JobState job, String id) {
        Label label = new Label();
        label.setId(id);
        label.setWrapText(true);
        label.setStyle(ERROR_STYLE);
        label.setMinWidth(0);
        label.textProperty().bind(Bindings.createStringBinding(() -> job.getError() == null ? "" : job.getError(), job.errorProperty()));
        ScrollPane area = new ScrollPane(label);
        area.setId(id + "Area");
        area.setFitToWidth(true);
        area.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        area.setMinHeight(0);
        area.setMaxHeight(ERROR_MAX_HEIGHT);
        // As tall as the text up to the bound, so that a one-line error takes one line.
        area.prefViewportHeightProperty().bind(Bindings.createDoubleBinding(
                () -> Math.min(ERROR_MAX_HEIGHT - 4, label.prefHeight(Math.max(area.getViewportBounds().getWidth(), 100))),
                label.textProperty(), area.viewportBoundsProperty()));
        area.setStyle("-fx-background-color: transparent; -fx-background: transparent;");
        area.visibleProperty().bind(job.errorProperty().isNotNull());
        area.managedProperty().bind(job.errorProperty().isNotNull());
        return area;
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
