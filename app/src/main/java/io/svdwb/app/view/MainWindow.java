package io.svdwb.app.view;

import io.svdwb.app.EngineSettings;
import io.svdwb.app.FileDialogs;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.app.soco.SocoPanel;
import java.util.List;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The main window's layout: menus; on the left the model summary, the layer tree and the layer selection; on the right the
 * compression controls, the selected matrix's spectrum above its layer's small multiples, the perplexity
 * estimate and the run settings; the status bar. It only binds to the model.
 */
public final class MainWindow {

    /** What the menus and buttons do. */
    public record Actions(Runnable openFolder, Runnable quit, Runnable fullEvaluation, Runnable calibrate, Runnable cancel) {
    }

    static final double LEFT_MIN_WIDTH = 370;
    static final double SPECTRUM_MIN_HEIGHT = 200;
    static final double LOWER_TABS_MIN_HEIGHT = 130;

    private final BorderPane root = new BorderPane();
    private final MenuBar menuBar;
    private final StatusBar statusBar;

    /** {@code dialogs} ask where the charts' exports go. */
    public MainWindow(WorkbenchModel model, EngineSettings engine, Actions actions, FileDialogs dialogs) {
        menuBar = menuBar(actions.openFolder(), actions.quit());
        root.setTop(menuBar);

        ScrollPane summary = new ScrollPane(new ModelSummaryPane(model).node());
        summary.setFitToWidth(true);
        summary.setMinHeight(120);
        summary.setMaxHeight(Region.USE_PREF_SIZE);

        // A large spinner over the tree while a model loads; the status bar has a small one too.
        ProgressIndicator loading = new ProgressIndicator();
        loading.setMaxSize(64, 64);
        loading.visibleProperty().bind(model.loadingProperty());
        // Behind a layout barrier: a new text in a tree cell changes the bounds of the virtual flow's rows, which asks the
        // flow, and without the barrier every ancestor up to the window's root, to lay out again in the next pulse.
        StackPane tree = new StackPane(LayoutBarrier.around(new LayerTreeTable(model).node()), loading);
        VBox.setVgrow(tree, Priority.ALWAYS);
        // The run settings sit under the tree: expanded, they take the tree's room (it scrolls), not the charts'.
        VBox left = new VBox(summary, tree, new LayerSelectionBar(model).node(), new SettingsPane(model.runSettings(), engine).node());
        // Wide enough for the tree's Rank and Kept columns at their minimum widths.
        left.setMinWidth(LEFT_MIN_WIDTH);

        // Under the spectrum: the selected layer's small multiples, or SoCo's training curves and ranks.
        Tab layer = new Tab("Layer's matrices", new SmallMultiplesView(model, dialogs).node());
        layer.setClosable(false);
        TabPane lower = new TabPane(layer, new ChosenRanksView(model).tab(), new SocoPanel(model).tab());
        lower.setId("lowerTabs");
        // Neither chart area gives way below a readable height: at 1024 x 700 both still show their charts, and the lines
        // under the spectrum (losses, SoCo's summary) scroll into view instead of sliding under the tabs.
        ScrollPane spectrum = new ScrollPane(new SpectrumView(model, dialogs).node());
        spectrum.setFitToWidth(true);
        spectrum.setFitToHeight(true);
        spectrum.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        spectrum.setMinHeight(SPECTRUM_MIN_HEIGHT);
        lower.setMinHeight(LOWER_TABS_MIN_HEIGHT);
        SplitPane charts = new SplitPane(spectrum, lower);
        charts.setOrientation(Orientation.VERTICAL);
        charts.setDividerPositions(0.55);
        BorderPane right = new BorderPane(charts);
        right.setTop(new ControlsPane(model).node());
        EstimatePane estimate = new EstimatePane(model, new EstimatePane.Actions(actions.fullEvaluation(), actions.calibrate(), actions.cancel()));
        right.setBottom(estimate.node());

        SplitPane center = new SplitPane(left, right);
        center.setDividerPositions(0.37);
        // Both sides follow the window in proportion: a fixed-width tree would leave too little room for the controls
        // in a small window (at 1024 x 700 the method's knobs would be pushed out).
        root.setCenter(center);
        statusBar = new StatusBar(model);
        root.setBottom(statusBar.node());
    }

    /** Adds {@code items} to the File menu after "Open model folder…", and {@code menu} after File. */
    public void addMenus(List<MenuItem> items, Menu menu) {
        menuBar.getMenus().get(0).getItems().addAll(1, items);
        menuBar.getMenus().add(menu);
    }

    /** Shows {@code node} in the status bar, left of the memory readout. */
    public void addStatusItem(Node node) {
        statusBar.add(node);
    }

    public Region root() {
        return root;
    }

    private static MenuBar menuBar(Runnable openFolder, Runnable quit) {
        MenuItem open = new MenuItem("Open model folder…");
        open.setId("openModelFolder");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(event -> openFolder.run());
        MenuItem exit = new MenuItem("Quit");
        exit.setId("quit");
        exit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        exit.setOnAction(event -> quit.run());
        Menu file = new Menu("File", null, open, exit);
        file.setId("fileMenu");
        MenuBar bar = new MenuBar(file);
        bar.setId("menuBar");
        return bar;
    }
}
