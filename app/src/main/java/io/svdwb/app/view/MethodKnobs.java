package io.svdwb.app.view;

import io.svdwb.engine.compress.method.CompressionMethod;
import io.svdwb.engine.compress.method.MethodOption;
import io.svdwb.engine.compress.method.MethodSettings;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;

/**
 * The controls of a method's workbench knobs, built from the options the method declares: each edits one option of the
 * method's settings property and follows it when the settings change elsewhere (a restored session). Each control's id
 * is its option's name.
 */
final class MethodKnobs {

    private MethodKnobs() {
    }

    static Node[] nodes(CompressionMethod method, ObjectProperty<MethodSettings> settings) {
        List<Node> nodes = new ArrayList<>();
        for (CompressionMethod.Knob knob : method.workbenchKnobs()) {
            MethodOption option = knob.option();
            Node control = switch (option) {
                case MethodOption.Number n -> spinner(n, knob.step(), settings);
                case MethodOption.Choice c when c.choices().equals(List.of("on", "off")) -> checkBox(c, knob.caption(), settings);
                case MethodOption.Choice c -> choiceBox(c, settings);
                default -> throw new IllegalArgumentException(option.name() + ": the workbench has no control for " + option);
            };
            control.setId(option.name());
            Tooltip.install(control, new Tooltip(option.description()));
            if (!(control instanceof CheckBox)) {
                Label caption = new Label(knob.caption());
                caption.setMinWidth(Region.USE_PREF_SIZE);
                nodes.add(caption);
            }
            nodes.add(control);
        }
        return nodes.toArray(Node[]::new);
    }

    private static Spinner<Double> spinner(MethodOption.Number option, double step, ObjectProperty<MethodSettings> settings) {
        Spinner<Double> spinner = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(option.min(), option.max(),
                settings.get().number(option), step));
        if (option.integral()) {
            spinner.getValueFactory().setConverter(new javafx.util.converter.DoubleStringConverter() {
                @Override
                public String toString(Double value) {
                    return value == null ? "" : Long.toString(Math.round(value));
                }
            });
        }
        spinner.setEditable(true);
        spinner.setPrefWidth(90);
        follow(spinner, settings, s -> spinner.getValueFactory().setValue(s.number(option)));
        spinner.valueProperty().addListener((observable, before, now) -> {
            if (now != null && now != settings.get().number(option)) {
                settings.set(settings.get().with(option, option.integral() ? Math.rint(now) : now));
            }
        });
        return spinner;
    }

    private static CheckBox checkBox(MethodOption.Choice onOff, String caption, ObjectProperty<MethodSettings> settings) {
        CheckBox box = new CheckBox(caption);
        box.setSelected(settings.get().on(onOff));
        follow(box, settings, s -> box.setSelected(s.on(onOff)));
        box.selectedProperty().addListener((observable, before, now) -> {
            if (now != settings.get().on(onOff)) {
                settings.set(settings.get().with(onOff, now));
            }
        });
        return box;
    }

    private static ChoiceBox<String> choiceBox(MethodOption.Choice option, ObjectProperty<MethodSettings> settings) {
        ChoiceBox<String> box = new ChoiceBox<>();
        box.getItems().setAll(option.choices());
        box.setValue(settings.get().choice(option));
        follow(box, settings, s -> box.setValue(s.choice(option)));
        box.valueProperty().addListener((observable, before, now) -> {
            if (now != null && !now.equals(settings.get().choice(option))) {
                settings.set(settings.get().with(option, now));
            }
        });
        return box;
    }

    /**
     * Shows later changes of the settings in {@code control}. The listener is kept by the control and removed with it
     * (a method switch replaces the controls), so the settings property does not keep every control ever built.
     */
    private static void follow(Node control, ObjectProperty<MethodSettings> settings, java.util.function.Consumer<MethodSettings> show) {
        ChangeListener<MethodSettings> listener = (observable, before, now) -> show.accept(now);
        settings.addListener(new javafx.beans.value.WeakChangeListener<>(listener));
        control.getProperties().put(MethodKnobs.class.getName(), listener);
    }
}
