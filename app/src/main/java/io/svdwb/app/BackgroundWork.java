package io.svdwb.app;

import io.svdwb.app.background.SessionHolder;
import io.svdwb.app.setup.SharedContexts;
import io.svdwb.engine.workbench.WorkbenchSession;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The workbench's engine work off the FX thread: one engine thread for estimates, full evaluations and
 * calibration (they share the session's evaluation model, so one at a time), one for spectra (decompositions
 * only, which the compression context allows from any thread), and the sessions both use.
 */
final class BackgroundWork implements AutoCloseable {

    private final ScheduledExecutorService engineThread = Executors.newSingleThreadScheduledExecutor(daemon("svdwb-engine"));
    private final ScheduledExecutorService spectrumThread = Executors.newSingleThreadScheduledExecutor(daemon("svdwb-spectra"));
    private final SessionHolder<SessionKey, WorkbenchSession> sessions;
    private final SpectrumLoader spectra;
    private final EstimateRunner estimates;
    private final BatchRunner batch;

    /** {@code contexts} gives the sessions their engine contexts, the same ones the workbench's tools use. */
    BackgroundWork(WorkbenchModel model, EngineSettings settings, SharedContexts contexts, Executor fx) {
        sessions = new SessionHolder<>(key -> {
            SharedContexts.Handle handle = contexts.acquire(new SharedContexts.Key(key.modelDir(), settings.calibrationText(),
                    key.calibration(), settings.calibrationCache().root(), key.device()));
            return new WorkbenchSession(handle.context(), handle);
        });
        spectra = new SpectrumLoader(model, spectrumThread, sessions, fx);
        estimates = new EstimateRunner(model, engineThread, sessions, fx);
        batch = new BatchRunner(model, engineThread, sessions, fx);
    }

    /** The engine sessions of the main view (SoCo's training runs in them, so that its estimate reuses the scores). */
    SessionHolder<SessionKey, WorkbenchSession> sessions() {
        return sessions;
    }

    BatchRunner batch() {
        return batch;
    }

    /** Stops the running estimate (the task list's cancel button); the next change of the setting asks again. */
    void cancelEstimate() {
        estimates.cancel();
    }

    /** Requests what the current state needs (after the window is built); call on the FX thread. */
    void start() {
        spectra.request();
        estimates.request();
    }

    /** Supersedes all work and lets the threads end; sessions close once no task uses them. Call on the FX thread. */
    @Override
    public void close() {
        spectra.cancel();
        estimates.cancel();
        batch.cancel();
        // shutdown(), not shutdownNow(): an interrupt would close the channels a running task reads from.
        engineThread.shutdown();
        spectrumThread.shutdown();
        sessions.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
