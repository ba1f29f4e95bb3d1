package io.svdwb.app;

import io.svdwb.app.background.CoalescingProgress;
import io.svdwb.app.background.LatestWins;
import io.svdwb.app.background.SessionHolder;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.workbench.PerplexityEstimate;
import io.svdwb.engine.workbench.WorkbenchSession;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The quick perplexity estimate, latest wins: every change of the compression setting or of the estimate's
 * protocol asks again after the debounce delay; a newer change cancels the running estimate, and only the
 * newest one is published (with the setting it belongs to). Calibration runs inside the first estimate of a
 * calibrating method, with its progress shown like the rest.
 */
final class EstimateRunner {

    /** Everything an estimate depends on. */
    record Request(SessionKey key, CompressionRequest compression, EvaluationProtocol protocol) {
    }

    /** An estimate and whether the session was calibrated by then. */
    record Result(PerplexityEstimate estimate, boolean calibrated) {
    }

    private static final String FAILED = "Estimate failed: ";

    private final WorkbenchModel model;
    private final JobState job;
    private final LatestWins<Request, Result> latest;
    private Request lastRequested;

    EstimateRunner(WorkbenchModel model, ScheduledExecutorService engineThread, SessionHolder<SessionKey, WorkbenchSession> sessions,
            Executor fx) {
        this.model = model;
        this.job = model.results().estimateJob();
        CoalescingProgress progress = new CoalescingProgress(fx, snapshot -> {
            job.progressProperty().set(snapshot.fraction());
            job.phaseProperty().set(snapshot.phase());
        });
        RunSettingsModel settings = model.runSettings();
        this.latest = new LatestWins<>(engineThread, fx, debounce(settings), (request, listener) -> {
            try (var lease = sessions.acquire(request.key())) {
                WorkbenchSession session = lease.session();
                PerplexityEstimate estimate = session.estimate(request.compression(), request.protocol(), listener);
                return new Result(estimate, session.isCalibrated());
            }
        }, progress, this::publish);
        model.compression().settingProperty().addListener((observable, before, now) -> request());
        model.sessionKeyProperty().addListener((observable, before, now) -> request());
        settings.estimateTokensProperty().addListener((observable, before, now) -> request());
        settings.evaluationContextProperty().addListener((observable, before, now) -> request());
        settings.evaluationTextProperty().addListener((observable, before, now) -> request());
        settings.debounceMillisProperty().addListener((observable, before, now) -> latest.setDebounce(debounce(settings)));
        // A finished SoCo training makes its setting's estimate cheap: ask for it now.
        model.soco().trained().addListener((javafx.collections.SetChangeListener<CompressionSetting>) change -> request());
    }

    private static Duration debounce(RunSettingsModel settings) {
        return Duration.ofMillis(Math.max(0, settings.debounceMillisProperty().get()));
    }

    /** Asks for an estimate of the current setting unless it is shown or on its way; call on the FX thread. */
    void request() {
        SessionKey key = model.getSessionKey();
        CompressionSetting setting = model.compression().getSetting();
        if (key == null || model.getOpenedModel() == null || setting == null) {
            stop(null);
            return;
        }
        if (model.getOpenedModel().isFactoredExport()) {
            // An export's modules are already factors: it is opened for looking, never compressed (or estimated) again.
            stop(null);
            return;
        }
        if (setting.method() == MethodId.SOCO && !model.soco().isTrained(setting)) {
            // SoCo trains for minutes: only the Train button starts that, never a slider move.
            stop(null);
            return;
        }
        Request request;
        try {
            request = new Request(key, setting.request(), model.runSettings().estimateProtocol(model.getOpenedModel().config()));
        } catch (IllegalArgumentException impossible) {
            stop(model.describe(setting) + ": " + Failures.describe(impossible));
            return;
        }
        if (Objects.equals(request, lastRequested)) {
            return;
        }
        if (model.results().shows(key, request.compression(), request.protocol())) {
            // Shown already (computed before, or restored from a session): a newer request on its way is void.
            stop(null);
            return;
        }
        lastRequested = request;
        job.started();
        latest.request(request);
    }

    void cancel() {
        stop(null);
    }

    private void stop(String failure) {
        lastRequested = null;
        latest.cancel();
        job.finished(failure);
    }

    private void publish(LatestWins.Outcome<Request, Result> outcome) {
        if (outcome.failed()) {
            lastRequested = null;
            String message = model.describe(CompressionSetting.of(outcome.request().compression())) + ": " + Failures.describe(outcome.error());
            job.finished(message);
            model.setStatus(FAILED + message);
            return;
        }
        model.results().showEstimate(outcome.result().estimate(), outcome.request().key());
        if (model.statusProperty().get().startsWith(FAILED)) {
            // Only a failure message is replaced: other news in the status line (a model opened) stays.
            model.setStatus("Estimate ready: " + model.describe(CompressionSetting.of(outcome.request().compression())));
        }
        if (outcome.result().calibrated()) {
            model.results().calibratedProperty().set(true);
        }
        job.finished(null);
    }
}
