package io.svdwb.app;

import static io.svdwb.app.FxTestSupport.onFx;
import static io.svdwb.app.FxTestSupport.runFx;
import static io.svdwb.app.FxTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.support.Truncation;
import io.svdwb.engine.compress.method.MethodId;


import java.util.ArrayList;
import java.util.List;

import javafx.scene.control.TabPane;

import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * At the default window size no label of the main view is cut off with an ellipsis: the estimate line, the size line, the
 * small multiples' legend and the rest, after each method's estimate (and with SoCo's tab in front for soco). Set
 * {@code -Dsvdwb.layoutSnapshots=DIR} to write a snapshot per method.
 */
@ExtendWith(ApplicationExtension.class)
class DefaultSizeLabelsTest {

    private Workbench workbench;
    private FxTestSupport fx;

    @Start
    void start(Stage stage) {
        fx = FxTestSupport.showDemo(stage, TestEngineSettings.settings(), model -> model.compression().methodProperty().set(MethodId.SVD));
        workbench = fx.workbench();
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @Test
    void noLabelIsCutOffAfterAnyMethodsEstimate() throws Exception {
        fx.awaitDemoModel();
        List<String> cut = new ArrayList<>();
        for (MethodId method : List.of(MethodId.SVD, MethodId.DUO_SVD, MethodId.SOCO)) {
            runFx(() -> fx.model().compression().methodProperty().set(method));
            if (method != MethodId.SOCO) {
                waitUntil(() -> fx.model().currentEstimateProperty().getValue() != null && fx.model().results().getLayerSpectra() != null);
            }
            waitUntil(() -> true);
            fx.layoutSnapshot("main-default-" + method.cliName());
            for (String label : onFx(() -> Truncation.cutLabels(workbench.stage().getScene().getRoot()))) {
                cut.add(method.cliName() + ": " + label);
            }
            runFx(() -> fx.node("#lowerTabs", TabPane.class).getSelectionModel().select(0));
        }
        assertThat(cut).isEmpty();
    }
}
