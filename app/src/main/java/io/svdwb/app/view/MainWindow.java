package io.svdwb.app.view;

import io.svdwb.app.WorkbenchModel;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/** The main window's layout: menus, model summary, layer tree, status bar. It only binds to the model. */
public final class MainWindow {

    private final BorderPane root = new BorderPane();
    private final MenuBar menuBar;
    private final StatusBar statusBar;

    /** {@code openFolder} and {@code quit} are what the File menu does. */
    public MainWindow(WorkbenchModel model, Runnable openFolder, Runnable quit) {
        menuBar = menuBar(openFolder, quit);
        root.setTop(menuBar);

        ScrollPane summary = new ScrollPane(new ModelSummaryPane(model).node());
        summary.setFitToWidth(true);
        summary.setMinWidth(Region.USE_PREF_SIZE);

        // A large spinner over the tree while a model loads; the status bar has a small one too.
        ProgressIndicator loading = new ProgressIndicator();
        loading.setMaxSize(64, 64);
        loading.visibleProperty().bind(model.loadingProperty());
        StackPane tree = new StackPane(new LayerTreeTable(model).node(), loading);

        SplitPane center = new SplitPane(summary, tree);
        center.setDividerPositions(0.28);
        SplitPane.setResizableWithParent(summary, false);
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
