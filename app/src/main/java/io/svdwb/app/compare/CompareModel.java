package io.svdwb.app.compare;

import io.svdwb.app.setup.EngineSetup;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodSettings;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The compare view's state: what to sweep (methods, ratios, and the setup, selection and options it runs with),
 * the rows delivered so far, and which row the heat map shows. Touch it only on the FX thread.
 */
public final class CompareModel {

    private final ObjectProperty<EngineSetup> setup = new SimpleObjectProperty<>(this, "setup");
    private final ObjectProperty<Selection> selection = new SimpleObjectProperty<>(this, "selection");
    private final ObjectProperty<java.util.Map<MethodId, MethodSettings>> settings = new SimpleObjectProperty<>(this, "settings",
            MethodId.values().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(id -> id, MethodId::defaults)));
    private final ObservableList<MethodId> methods = FXCollections.observableArrayList(MethodId.SVD, MethodId.SVD_LLM);
    private final StringProperty ratiosText = new SimpleStringProperty(this, "ratiosText", "0.2,0.4,0.6");
    private final StringBinding ratiosProblem = Bindings.createStringBinding(() -> RatioList.problem(ratiosText.get()), ratiosText);
    private final ObservableList<ComparisonRow> rows = FXCollections.observableArrayList();
    private final ObjectProperty<ComparisonRow> heatMapRow = new SimpleObjectProperty<>(this, "heatMapRow");
    private final StringProperty protocol = new SimpleStringProperty(this, "protocol", "");
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running");
    private final StringProperty status = new SimpleStringProperty(this, "status", "");

    /** The model, calibration and evaluation the sweep runs with; null while no model is open. */
    public ObjectProperty<EngineSetup> setupProperty() {
        return setup;
    }

    /** The matrices compressed; null = every matrix of the model. */
    public ObjectProperty<Selection> selectionProperty() {
        return selection;
    }

    /** Each method's settings for the sweep's rows (the main view's, for every method). */
    public ObjectProperty<java.util.Map<MethodId, MethodSettings>> settingsProperty() {
        return settings;
    }

    /** The methods to sweep, in {@link MethodId} order. */
    public ObservableList<MethodId> methods() {
        return methods;
    }

    public StringProperty ratiosTextProperty() {
        return ratiosText;
    }

    /** Why the ratios text is not usable, or null. */
    public StringBinding ratiosProblemProperty() {
        return ratiosProblem;
    }

    public List<Double> ratios() {
        return RatioList.parse(ratiosText.get());
    }

    /** The uncompressed baseline first, then one row per method and ratio, as the sweep delivered them. */
    public ObservableList<ComparisonRow> rows() {
        return rows;
    }

    /** The compressed row whose per-matrix losses the heat map shows; null for none. */
    public ObjectProperty<ComparisonRow> heatMapRowProperty() {
        return heatMapRow;
    }

    /** How the rows' perplexities were measured. */
    public StringProperty protocolProperty() {
        return protocol;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    public StringProperty statusProperty() {
        return status;
    }

    /** Shows rows that did not come from a sweep here (a reopened session). */
    public void showRows(List<ComparisonRow> restored, String restoredProtocol) {
        rows.setAll(restored);
        protocol.set(restoredProtocol == null ? "" : restoredProtocol);
        heatMapRow.set(restored.stream().filter(r -> !r.baseline()).findFirst().orElse(null));
    }
}
