package io.svdwb.app.soco;

import io.svdwb.app.CompressionSetting;
import io.svdwb.app.SessionKey;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.app.background.SessionHolder;
import io.svdwb.app.tasks.BackgroundTasks;
import io.svdwb.app.tasks.EngineTask;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.progress.TrainingStep;
import io.svdwb.engine.soco.SocoScores;
import io.svdwb.engine.workbench.WorkbenchSession;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.concurrent.WorkerStateEvent;

/**
 * The Train button's work: compresses the current SoCo setting in the main view's engine session as a background
 * task (in the task list, with progress and cancel), streams its training steps into the model's loss curve, and
 * then marks the setting trained. The engine memoises the trained scores in the session's context, so the estimate
 * that follows (and any later one at the same ratio and settings) only prunes, folds and evaluates. FX thread only.
 */
public final class SocoTraining {

    private final WorkbenchModel model;
    private final BackgroundTasks tasks;
    private final SessionHolder<SessionKey, WorkbenchSession> sessions;
    private final Executor fx;
    private EngineTask<SocoScores> running;
    private long run;
    private volatile Consumer<TrainingStep> observer = step -> { };

    public SocoTraining(WorkbenchModel model, BackgroundTasks tasks, SessionHolder<SessionKey, WorkbenchSession> sessions, Executor fx) {
        this.model = model;
        this.tasks = tasks;
        this.sessions = sessions;
        this.fx = fx;
        model.soco().setCommands(this::train, this::cancel);
    }

    /** Trains the current setting if it is a SoCo setting not yet trained and no training runs. */
    public void train() {
        CompressionSetting setting = model.compression().getSetting();
        SessionKey key = model.getSessionKey();
        SocoModel soco = model.soco();
        if (setting == null || key == null || setting.method() != MethodId.SOCO || running != null) {
            return;
        }
        long mine = ++run;
        soco.steps().clear();
        soco.trainingProperty().set(true);
        soco.trainingStatusProperty().set("Training " + model.describe(setting) + " …");
        StepBuffer buffer = new StepBuffer(fx, batch -> {
            if (mine == run) {
                soco.steps().addAll(batch);
            }
        });
        long started = System.nanoTime();
        EngineTask<SocoScores> task = tasks.submit("SoCo training: " + model.describe(setting), progress -> {
            try (var lease = sessions.acquire(key)) {
                CompressionResult result = new Compressor(lease.session().context()).compress(setting.request(),
                        new TrainingStepTap(progress, step -> {
                            observer.accept(step);
                            buffer.offer(step);
                        }));
                return result.learnedScores();
            }
        });
        running = task;
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_SUCCEEDED, event -> {
            finished(String.format(Locale.ROOT, "Trained %s in %.1f s", model.describe(setting), (System.nanoTime() - started) / 1e9));
            soco.scoresSourceProperty().set("trained in this session");
            soco.scoresProperty().set(task.getValue());
            // Last: the estimate runner hears of it and asks for the (now cheap) estimate.
            soco.trained().add(setting);
        });
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, event -> finished("Training cancelled"));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, event -> finished("Training failed: "
                + (task.getException() == null ? "unknown error" : String.valueOf(task.getException().getMessage()))));
    }

    /** Cancels the running training; the engine stops at its next step. */
    public void cancel() {
        if (running != null) {
            running.cancel();
        }
    }

    /** Tests: sees every step exactly as the engine reported it, on the worker thread. */
    public void observeSteps(Consumer<TrainingStep> stepObserver) {
        this.observer = stepObserver;
    }

    private void finished(String status) {
        running = null;
        model.soco().trainingProperty().set(false);
        model.soco().trainingStatusProperty().set(status);
    }
}
