package io.svdwb.app;

import io.svdwb.app.background.CoalescingProgress;
import io.svdwb.app.background.LatestWins;
import io.svdwb.app.background.SessionHolder;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.workbench.WorkbenchSession;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Loads the spectra of the selected matrix's layer in the background (latest wins: clicking through layers
 * never queues up work), with the whitened values once the session is calibrated.
 */
final class SpectrumLoader {

    /** The layer to load, for which session, with or without the whitened values. */
    record Request(SessionKey key, int layer, boolean whitened) {
    }

    private final WorkbenchModel model;
    private final JobState job;
    private final LatestWins<Request, LayerSpectra> latest;
    private Request lastRequested;

    SpectrumLoader(WorkbenchModel model, ScheduledExecutorService thread, SessionHolder<SessionKey, WorkbenchSession> sessions,
            Executor fx) {
        this.model = model;
        this.job = model.results().spectraJob();
        CoalescingProgress progress = new CoalescingProgress(fx, snapshot -> job.progressProperty().set(snapshot.fraction()));
        this.latest = new LatestWins<>(thread, fx, Duration.ZERO, (request, listener) -> {
            try (var lease = sessions.acquire(request.key())) {
                return new LayerSpectra(request.layer(), lease.session().layerSpectra(request.layer(), request.whitened(), listener));
            }
        }, progress, this::publish);
        model.selectedMatrixProperty().addListener((observable, before, now) -> request());
        model.sessionKeyProperty().addListener((observable, before, now) -> request());
        model.results().calibratedProperty().addListener((observable, before, now) -> request());
    }

    /** Asks for the selected layer's spectra unless they are shown or on their way; call on the FX thread. */
    void request() {
        MatrixSpec selected = model.getSelectedMatrix();
        SessionKey key = model.getSessionKey();
        if (selected == null || key == null) {
            lastRequested = null;
            latest.cancel();
            job.finished(null);
            return;
        }
        Request request = new Request(key, selected.layer(), model.results().isCalibrated());
        if (Objects.equals(request, lastRequested)) {
            return;
        }
        lastRequested = request;
        job.started();
        latest.request(request);
    }

    void cancel() {
        latest.cancel();
    }

    private void publish(LatestWins.Outcome<Request, LayerSpectra> outcome) {
        if (outcome.failed()) {
            // Asking again for the same layer should retry, not be skipped as already on its way.
            lastRequested = null;
            job.finished("Spectra of layer " + outcome.request().layer() + ": " + Failures.describe(outcome.error()));
            return;
        }
        model.results().layerSpectraProperty().set(outcome.result());
        job.finished(null);
    }
}
