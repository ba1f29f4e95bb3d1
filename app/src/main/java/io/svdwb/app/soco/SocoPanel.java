package io.svdwb.app.soco;

import io.svdwb.app.WorkbenchModel;
import io.svdwb.engine.compress.method.MethodId;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The SoCo tab under the spectrum: the live training curves beside the rank view, with the last training's status.
 * It comes to the front when SoCo is chosen or an export's scores are opened.
 */
public final class SocoPanel {

    /** The captions, the loss chart's legend and a readable plot. */
    private static final double MIN_HEIGHT = 190;

    private final Tab tab;

    public SocoPanel(WorkbenchModel model) {
        Label status = new Label();
        status.setId("socoTrainingStatus");
        status.textProperty().bind(model.soco().trainingStatusProperty());
        // No empty line above the charts before the first training: at 1024 x 700 they need the room.
        status.managedProperty().bind(status.textProperty().isNotEmpty());
        status.visibleProperty().bind(status.managedProperty());
        SplitPane charts = new SplitPane(new LossCurvesChart(model).node(), new SocoRankView(model).node());
        charts.setDividerPositions(0.42);
        VBox.setVgrow(charts, Priority.ALWAYS);
        VBox box = new VBox(4, status, charts);
        box.setPadding(new Insets(4, 6, 4, 6));
        // A smaller window scrolls the tab rather than laying the captions over the charts.
        box.setMinHeight(MIN_HEIGHT);
        ScrollPane scroller = new ScrollPane(box);
        scroller.setFitToWidth(true);
        scroller.setFitToHeight(true);
        scroller.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        tab = new Tab("SoCo: training and ranks", scroller);
        tab.setId("socoTab");
        tab.setClosable(false);
        model.compression().methodProperty().addListener((observable, before, now) -> {
            if (now == MethodId.SOCO) {
                select();
            }
        });
        model.soco().scoresProperty().addListener((observable, before, now) -> {
            if (now != null) {
                select();
            }
        });
    }

    public Tab tab() {
        return tab;
    }

    private void select() {
        if (tab.getTabPane() != null) {
            tab.getTabPane().getSelectionModel().select(tab);
        }
    }
}
