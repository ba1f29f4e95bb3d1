package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.runFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.support.OnScreen;
import io.svdwb.engine.compress.method.MethodId;


import java.util.ArrayList;
import java.util.List;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TabPane;

import javafx.stage.Stage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * The main view at 1024 x 700, for every method: every control of the controls row, the method's knobs, the estimate
 * pane and the SoCo panel is shown, inside the window and not clipped by a scroll area, and enabled where it applies; the
 * tree keeps its Rank and Kept columns; the charts keep a usable height. Set {@code -Dsvdwb.layoutSnapshots=DIR} to
 * write a snapshot per method (for looking at the layout headless).
 */
@ExtendWith(ApplicationExtension.class)
class SmallWindowLayoutTest {

    static final double WIDTH = 1024;
    static final double HEIGHT = 700;
    /** Below this the spectrum can no longer be read. */
    static final double MIN_SPECTRUM_HEIGHT = 140;
    /** A small multiple or a SoCo chart below this is a sliver. */
    static final double MIN_LOWER_CHART_HEIGHT = 90;

    private Workbench workbench;
    private FxTestSupport fx;

    @Start
    void start(Stage stage) {
        fx = FxTestSupport.showDemo(stage, TestEngineSettings.settings(), model -> model.compression().methodProperty().set(MethodId.SVD));
        workbench = fx.workbench();
        stage.setWidth(WIDTH);
        stage.setHeight(HEIGHT);
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @BeforeEach
    void waitForTheDemoModel() throws Exception {
        fx.awaitDemoModel();
        waitUntil(() -> fx.model().results().getLayerSpectra() != null);
        assertThat(onFx(() -> workbench.stage().getScene().getWidth())).isEqualTo(WIDTH);
        assertThat(onFx(() -> workbench.stage().getScene().getHeight())).isEqualTo(HEIGHT);
    }

    @Test
    void everyControlOfEveryMethodIsInsideTheWindow() throws Exception {
        List<String> problems = new ArrayList<>();
        for (MethodId method : MethodId.values()) {
            runFx(() -> fx.model().compression().methodProperty().set(method));
            waitUntil(() -> true);
            fx.layoutSnapshot("main-1024x700-" + method.cliName());
            problems.addAll(onFx(() -> unreachable(method, fx.node("#controls", Parent.class))));
            problems.addAll(onFx(() -> unreachable(method, fx.node("#estimatePane", Parent.class))));
            problems.addAll(onFx(() -> unreachable(method, fx.node("#layerSelection", Parent.class))));
            problems.addAll(onFx(() -> treeColumnsCut(method)));
            problems.addAll(onFx(() -> chartsTooSmall(method)));
            if (method == MethodId.SOCO) {
                // The SoCo tab comes to the front when SoCo is chosen.
                assertThat(onFx(() -> fx.node("#lowerTabs", TabPane.class).getSelectionModel().getSelectedItem().getId())).isEqualTo("socoTab");
                problems.addAll(onFx(() -> unreachable(method, fx.node("#socoTrainingStatus", Node.class).getParent())));
                assertThat(onFx(() -> fx.node("#socoTrain", ButtonBase.class).isDisabled())).isFalse();
            }
            runFx(() -> fx.node("#lowerTabs", TabPane.class).getSelectionModel().select(0));
        }
        assertThat(problems).isEmpty();
    }

    /** Controls under {@code root} that are shown but out of the window, clipped, or (the compression knobs) disabled. */
    private static List<String> unreachable(MethodId method, Parent root) {
        List<String> problems = new ArrayList<>();
        for (Control control : controls(root)) {
            if (!OnScreen.shown(control)) {
                continue;
            }
            if (!OnScreen.insideWindow(control) || !OnScreen.notClipped(control)) {
                problems.add(method.cliName() + ": " + OnScreen.describe(control) + " " + control.getClass().getSimpleName()
                        + " is out of reach");
            }
            boolean knob = control instanceof Spinner || control instanceof ComboBox || control instanceof Slider
                    || control instanceof javafx.scene.control.CheckBox;
            if (knob && control.isDisabled()) {
                problems.add(method.cliName() + ": " + control.getId() + " is disabled");
            }
        }
        return problems;
    }

    /** The interactive controls under {@code root} (not the labels, not the parts of a control). */
    private static List<Control> controls(Parent root) {
        List<Control> found = new ArrayList<>();
        for (Node child : root.getChildrenUnmodifiable()) {
            if (child instanceof ButtonBase || child instanceof ComboBox || child instanceof Slider || child instanceof Spinner) {
                found.add((Control) child);
            } else if (child instanceof Parent parent && !(child instanceof Control && !(child instanceof javafx.scene.control.ScrollPane)
                    && !(child instanceof javafx.scene.control.TitledPane))) {
                found.addAll(controls(parent));
            }
        }
        return found;
    }

    private List<String> treeColumnsCut(MethodId method) {
        List<String> problems = new ArrayList<>();
        Node tree = fx.node("#layerTree", Node.class);
        for (String id : List.of("rankColumn", "keptColumn", "labelColumn")) {
            Node header = tree.lookupAll(".column-header").stream().filter(h -> id.equals(h.getId())).findFirst().orElse(null);
            if (header == null || !OnScreen.shown(header) || header.getLayoutBounds().getWidth() < 40
                    || OnScreen.inScene(header).getMaxX() > OnScreen.inScene(tree).getMaxX() + 0.5) {
                problems.add(method.cliName() + ": tree column " + id + " is cut or missing"
                        + (header == null ? "" : " " + OnScreen.describe(header) + " in tree " + OnScreen.describe(tree)));
            }
        }
        return problems;
    }

    private List<String> chartsTooSmall(MethodId method) {
        List<String> problems = new ArrayList<>();
        Node spectrum = fx.node("#spectrumChart", Node.class);
        if (spectrum.getLayoutBounds().getHeight() < MIN_SPECTRUM_HEIGHT) {
            problems.add(method.cliName() + ": spectrum chart " + OnScreen.describe(spectrum));
        }
        TabPane lower = fx.node("#lowerTabs", TabPane.class);
        Node content = lower.getSelectionModel().getSelectedItem().getContent();
        for (Node chart : chartViewers(content)) {
            if (OnScreen.shown(chart) && chart.getLayoutBounds().getHeight() < MIN_LOWER_CHART_HEIGHT) {
                problems.add(method.cliName() + ": lower chart " + OnScreen.describe(chart));
            }
        }
        return problems;
    }

    private static List<Node> chartViewers(Node root) {
        List<Node> found = new ArrayList<>();
        if (root instanceof org.jfree.chart.fx.ChartViewer) {
            found.add(root);
        } else if (root instanceof Parent parent) {
            parent.getChildrenUnmodifiable().forEach(child -> found.addAll(chartViewers(child)));
        }
        return found;
    }
}
