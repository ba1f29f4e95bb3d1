package io.svdwb.app.soco;

import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.soco.SocoSchedule;
import io.svdwb.engine.soco.SocoSettings;
import java.util.function.BiFunction;
import javafx.beans.property.ObjectProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;

/**
 * SoCo's knobs in the controls row: steps per phase, batch (windows x tokens), a learning-rate scale on the schedule's
 * three rates, the seed, and Train / Cancel. Each knob writes the one {@link SocoSettings} of the compression
 * settings; training starts only from the button, since it takes minutes.
 */
public final class SocoKnobs {

    private SocoKnobs() {
    }

    /** The nodes for the controls row; built anew whenever SoCo is chosen. */
    public static Node[] nodes(WorkbenchModel model) {
        ObjectProperty<SocoSettings> settings = model.compression().socoSettingsProperty();
        SocoSettings now = settings.get();
        SocoSchedule schedule = now.schedule();
        Spinner<Integer> exploration = intKnob("socoExplorationSteps", 0, 5000, schedule.explorationSteps(), settings,
                (s, v) -> s.withSchedule(s.schedule().withSteps(v, s.schedule().refinementSteps(), s.schedule().sparsificationSteps())));
        Spinner<Integer> refinement = intKnob("socoRefinementSteps", 0, 5000, schedule.refinementSteps(), settings,
                (s, v) -> s.withSchedule(s.schedule().withSteps(s.schedule().explorationSteps(), v, s.schedule().sparsificationSteps())));
        Spinner<Integer> sparsification = intKnob("socoSparsificationSteps", 0, 5000, schedule.sparsificationSteps(), settings,
                (s, v) -> s.withSchedule(s.schedule().withSteps(s.schedule().explorationSteps(), s.schedule().refinementSteps(), v)));
        Spinner<Integer> windows = intKnob("socoBatchWindows", 1, 64, now.batchWindows(), settings,
                (s, v) -> s.withBatch(v, s.batchLength()));
        Spinner<Integer> length = intKnob("socoBatchLength", 0, 4096, now.batchLength(), settings,
                (s, v) -> s.withBatch(s.batchWindows(), v));
        exploration.setTooltip(new Tooltip("exploration steps (phase 1: reach the budget)"));
        refinement.setTooltip(new Tooltip("refinement steps (phase 2: trade components, temperature falls)"));
        sparsification.setTooltip(new Tooltip("sparsification steps (phase 3: polarise the scores)"));
        length.setTooltip(new Tooltip("tokens per window; 0 = the calibration window length"));
        Spinner<Integer> seed = intKnob("socoSeed", 0, Integer.MAX_VALUE, (int) now.seed(), settings, (s, v) -> s.withSeed(v));
        // One scale on the three phases' rates keeps their ratio (docs/METHODS.md §4.8's 1e-2, 5e-3, 2e-3).
        SocoSchedule base = SocoSchedule.DEFAULT;
        Spinner<Double> lrScale = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(0.01, 100, schedule.lr1() / base.lr1(), 0.25));
        lrScale.setId("socoLearningRateScale");
        lrScale.setEditable(true);
        lrScale.setPrefWidth(66);
        lrScale.setMinWidth(Region.USE_PREF_SIZE);
        lrScale.setTooltip(new Tooltip("multiplies the learning rates 1e-2, 5e-3, 2e-3 of the three phases"));
        lrScale.valueProperty().addListener((o, before, v) -> settings.set(settings.get().withSchedule(settings.get().schedule()
                .withLearningRates(base.lr1() * v, base.lr2() * v, base.lr3() * v))));

        Button train = new Button("Train");
        train.setId("socoTrain");
        train.setMinWidth(Region.USE_PREF_SIZE);
        train.disableProperty().bind(model.openedModelProperty().isNull().or(io.svdwb.app.OpenedForLooking.of(model)));
        train.setOnAction(event -> model.soco().train());
        train.setTooltip(new Tooltip("trains SoCo's scores at this ratio in the background (see the task list); "
                + "the ratio slider never starts training"));
        Button cancel = new Button("Cancel");
        cancel.setId("socoCancel");
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        // One slot for both: Train while idle, Cancel while training (the controls row has no room to spare).
        cancel.visibleProperty().bind(model.soco().trainingProperty());
        cancel.managedProperty().bind(model.soco().trainingProperty());
        train.visibleProperty().bind(model.soco().trainingProperty().not());
        train.managedProperty().bind(model.soco().trainingProperty().not());
        cancel.setOnAction(event -> model.soco().cancelTraining());
        return new Node[] {caption("steps"), exploration, refinement, sparsification, caption("batch"), windows, caption("×"), length,
                caption("lr×"), lrScale, caption("seed"), seed, train, cancel};
    }

    private static Spinner<Integer> intKnob(String id, int min, int max, int value, ObjectProperty<SocoSettings> settings,
            BiFunction<SocoSettings, Integer, SocoSettings> with) {
        Spinner<Integer> spinner = new Spinner<>(min, max, value);
        spinner.setId(id);
        spinner.setEditable(true);
        spinner.setPrefWidth(id.endsWith("Seed") ? 76 : 62);
        // The row is crowded: the method's summary gives way first, never the values.
        spinner.setMinWidth(Region.USE_PREF_SIZE);
        spinner.valueProperty().addListener((o, before, v) -> {
            try {
                settings.set(with.apply(settings.get(), v));
            } catch (IllegalArgumentException invalid) {
                // e.g. all three phases at 0 steps: the engine's rule; the spinner goes back to the value in force
                spinner.getValueFactory().setValue(before);
            }
        });
        return spinner;
    }

    private static Label caption(String text) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }
}
