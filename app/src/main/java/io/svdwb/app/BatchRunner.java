package io.svdwb.app;

import io.svdwb.app.background.CoalescingProgress;
import io.svdwb.app.background.LatestWins;
import io.svdwb.app.background.SessionHolder;
import io.svdwb.engine.workbench.PerplexityEstimate;
import io.svdwb.engine.workbench.WorkbenchSession;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The explicit long runs, started by a button, one at a time, with progress and a cancel button: the full
 * evaluation (the estimate's protocol on the whole evaluation text) and calibrating ahead of time. They share
 * the engine thread with the estimates, so they never compete with them for the session's models.
 */
final class BatchRunner {

    private final WorkbenchModel model;
    private final JobState job;
    private final LatestWins<EstimateRunner.Request, PerplexityEstimate> fullEvaluation;
    private final LatestWins<SessionKey, Boolean> calibration;

    BatchRunner(WorkbenchModel model, ScheduledExecutorService engineThread, SessionHolder<SessionKey, WorkbenchSession> sessions,
            Executor fx) {
        this.model = model;
        this.job = model.results().batchJob();
        CoalescingProgress progress = new CoalescingProgress(fx, snapshot -> {
            job.progressProperty().set(snapshot.fraction());
            job.phaseProperty().set(snapshot.phase());
        });
        fullEvaluation = new LatestWins<>(engineThread, fx, Duration.ZERO, (request, listener) -> {
            try (var lease = sessions.acquire(request.key())) {
                return lease.session().estimate(request.compression(), request.protocol(), listener);
            }
        }, progress, this::publishEvaluation);
        calibration = new LatestWins<>(engineThread, fx, Duration.ZERO, (key, listener) -> {
            try (var lease = sessions.acquire(key)) {
                return lease.session().calibrate(listener).fromCache();
            }
        }, progress, this::publishCalibration);
    }

    /** Evaluates the current setting on the whole evaluation text; call on the FX thread. */
    void startFullEvaluation() {
        SessionKey key = model.getSessionKey();
        CompressionSetting setting = model.compression().getSetting();
        if (model.getOpenedModel() == null || model.getOpenedModel().isFactoredExport() || key == null || setting == null || job.isRunning()) {
            return;
        }
        EstimateRunner.Request request;
        try {
            request = new EstimateRunner.Request(key, setting.request(),
                    model.runSettings().estimateProtocol(model.getOpenedModel().config()).wholeText());
        } catch (IllegalArgumentException impossible) {
            job.finished(model.describe(setting) + ": " + Failures.describe(impossible));
            return;
        }
        model.results().fullEvaluationNoteProperty().set("Evaluating " + model.describe(setting) + " on " + request.protocol().describe() + " …");
        job.started();
        fullEvaluation.request(request);
    }

    /** Runs (or loads from the disk cache) the calibration of the current session; call on the FX thread. */
    void calibrate() {
        SessionKey key = model.getSessionKey();
        if (key == null || job.isRunning()) {
            return;
        }
        model.results().fullEvaluationNoteProperty().set("Calibrating on " + key.calibration().samples() + " windows …");
        job.started();
        calibration.request(key);
    }

    /** Stops whichever run is going (the engine stops at its next check); call on the FX thread. */
    void cancel() {
        if (!job.isRunning()) {
            return;
        }
        fullEvaluation.cancel();
        calibration.cancel();
        job.finished(null);
        model.results().fullEvaluationNoteProperty().set("Cancelled");
    }

    private void publishEvaluation(LatestWins.Outcome<EstimateRunner.Request, PerplexityEstimate> outcome) {
        if (outcome.failed()) {
            String message = model.describe(CompressionSetting.of(outcome.request().compression())) + ": " + Failures.describe(outcome.error());
            model.results().fullEvaluationNoteProperty().set("");
            job.finished(message);
            model.setStatus("Full evaluation failed: " + message);
            return;
        }
        model.results().fullEvaluationProperty().set(outcome.result());
        model.results().fullEvaluationNoteProperty().set("");
        job.finished(null);
        if (outcome.result().request().method().needsCalibration() && outcome.request().key().equals(model.getSessionKey())) {
            model.results().calibratedProperty().set(true);
        }
    }

    private void publishCalibration(LatestWins.Outcome<SessionKey, Boolean> outcome) {
        if (outcome.failed()) {
            model.results().fullEvaluationNoteProperty().set("");
            job.finished("Calibration: " + Failures.describe(outcome.error()));
            return;
        }
        job.finished(null);
        model.results().fullEvaluationNoteProperty().set(outcome.result() ? "Calibration statistics loaded from the cache" : "Calibrated");
        if (outcome.request().equals(model.getSessionKey())) {
            model.results().calibratedProperty().set(true);
        }
    }
}
