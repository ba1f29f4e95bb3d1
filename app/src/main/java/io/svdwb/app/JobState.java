package io.svdwb.app;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** What one kind of background work is doing, for a progress bar and an error label. */
public final class JobState {

    private final BooleanProperty running = new SimpleBooleanProperty(this, "running");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", -1);
    private final StringProperty phase = new SimpleStringProperty(this, "phase", "");
    private final ObjectProperty<String> error = new SimpleObjectProperty<>(this, "error");

    JobState() {
    }

    /** True from the request until its outcome (or cancellation). */
    public BooleanProperty runningProperty() {
        return running;
    }

    public boolean isRunning() {
        return running.get();
    }

    /** Fraction done of the current phase, or -1 when unknown (a ProgressBar's indeterminate value). */
    public DoubleProperty progressProperty() {
        return progress;
    }

    /** The engine's name of the current phase, e.g. "perplexity". */
    public StringProperty phaseProperty() {
        return phase;
    }

    /** The message of the last failure, naming the setting it belongs to; null after a success. */
    public ObjectProperty<String> errorProperty() {
        return error;
    }

    public String getError() {
        return error.get();
    }

    void started() {
        running.set(true);
        progress.set(-1);
        phase.set("");
    }

    void finished(String failure) {
        running.set(false);
        error.set(failure);
    }
}
