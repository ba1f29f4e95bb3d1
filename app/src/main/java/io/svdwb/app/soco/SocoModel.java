package io.svdwb.app.soco;

import io.svdwb.app.CompressionSetting;
import io.svdwb.engine.progress.TrainingStep;
import io.svdwb.engine.soco.SocoSchedule;
import io.svdwb.engine.soco.SocoScores;
import io.svdwb.engine.soco.SocoSettings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

/**
 * SoCo's part of the workbench model: the learned scores shown (from training in this session or from an opened
 * export's scores file), the loss curve of the current or last training run, and which settings have been
 * trained (only those get an automatic estimate: training takes minutes, so a slider move must not start it).
 * FX thread only. The views call {@link #train()} and {@link #cancelTraining()}; the runner registers what they do.
 */
public final class SocoModel {

    /**
     * The workbench's starting point [OURS]: 20 / 40 / 40 steps on batches of 4 windows x 128 tokens, about a tenth
     * of docs/METHODS.md §4.8's 200 / 400 / 400 steps on 4 calibration windows, so that a first run on a small model ends
     * in minutes, with 20 polish steps after the prune (the command line's default is 100). The knobs reach the paper's
     * schedule.
     */
    public static final SocoSettings WORKBENCH_DEFAULT = SocoSettings.DEFAULTS.withSchedule(SocoSchedule.DEFAULT.withSteps(20, 40, 40))
            .withBatch(4, 128).withPolish(20);

    private final ObjectProperty<SocoScores> scores = new SimpleObjectProperty<>(this, "scores");
    private final StringProperty scoresSource = new SimpleStringProperty(this, "scoresSource", "");
    private final ObservableList<TrainingStep> steps = FXCollections.observableArrayList();
    private final ObservableSet<CompressionSetting> trained = FXCollections.observableSet();
    private final BooleanProperty training = new SimpleBooleanProperty(this, "training");
    private final StringProperty trainingStatus = new SimpleStringProperty(this, "trainingStatus", "");
    private Runnable train = () -> { };
    private Runnable cancel = () -> { };

    /** The learned scores shown in the spectrum and the rank view; null when there are none. */
    public ObjectProperty<SocoScores> scoresProperty() {
        return scores;
    }

    public SocoScores getScores() {
        return scores.get();
    }

    /** Where the shown scores come from, e.g. "trained in this session" or the scores file's path. */
    public StringProperty scoresSourceProperty() {
        return scoresSource;
    }

    /** The steps of the current (or last) training run, in order, as the engine reported them. */
    public ObservableList<TrainingStep> steps() {
        return steps;
    }

    /** Settings whose training finished in the current engine session: their estimates are cheap now. */
    public ObservableSet<CompressionSetting> trained() {
        return trained;
    }

    public boolean isTrained(CompressionSetting setting) {
        return trained.contains(setting);
    }

    /** True while a training run is queued or running. */
    public BooleanProperty trainingProperty() {
        return training;
    }

    /** What the last training run did ("Cancelled", "Trained in 12.3 s", a failure), for the SoCo panel. */
    public StringProperty trainingStatusProperty() {
        return trainingStatus;
    }

    /** Trains the current setting in the background (the Train button). */
    public void train() {
        train.run();
    }

    public void cancelTraining() {
        cancel.run();
    }

    /** Called once by whoever runs the training. */
    public void setCommands(Runnable trainCommand, Runnable cancelCommand) {
        this.train = trainCommand;
        this.cancel = cancelCommand;
    }
}
