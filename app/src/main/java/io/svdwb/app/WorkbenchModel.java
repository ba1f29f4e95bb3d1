package io.svdwb.app;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The state of the workbench window, as JavaFX properties: the single source of truth that the views
 * bind to. Touch it only on the FX thread.
 */
public final class WorkbenchModel {

    private final ReadOnlyObjectWrapper<OpenedModel> openedModel = new ReadOnlyObjectWrapper<>(this, "openedModel");
    private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading");
    private final StringProperty status = new SimpleStringProperty(this, "status", "Ready");
    private final LongProperty usedMemoryBytes = new SimpleLongProperty(this, "usedMemoryBytes");
    private final LongProperty maxMemoryBytes = new SimpleLongProperty(this, "maxMemoryBytes");
    private final ObjectProperty<String> lastError = new SimpleObjectProperty<>(this, "lastError");

    /** The model shown, or null before the first successful load. */
    public ReadOnlyObjectProperty<OpenedModel> openedModelProperty() {
        return openedModel.getReadOnlyProperty();
    }

    public OpenedModel getOpenedModel() {
        return openedModel.get();
    }

    /** Replaces the shown model and returns the previous one, which the caller closes. */
    OpenedModel replaceOpenedModel(OpenedModel model) {
        OpenedModel previous = openedModel.get();
        openedModel.set(model);
        return previous;
    }

    /** True while a model folder is being opened in the background. */
    public BooleanProperty loadingProperty() {
        return loading;
    }

    public boolean isLoading() {
        return loading.get();
    }

    public StringProperty statusProperty() {
        return status;
    }

    public void setStatus(String message) {
        status.set(message);
    }

    public LongProperty usedMemoryBytesProperty() {
        return usedMemoryBytes;
    }

    public LongProperty maxMemoryBytesProperty() {
        return maxMemoryBytes;
    }

    /** The message of the last failed load, or null; cleared by a successful one. */
    public ObjectProperty<String> lastErrorProperty() {
        return lastError;
    }
}
