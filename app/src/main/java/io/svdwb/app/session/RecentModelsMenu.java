package io.svdwb.app.session;

import io.svdwb.app.view.ErrorDialog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;

/**
 * File > Recent models: one item per remembered folder, newest first. A folder that has vanished since is
 * reported and dropped from the list instead of being opened.
 */
public final class RecentModelsMenu {

    private final Menu menu = new Menu("Recent models");
    private final RecentModels recent;
    private final Consumer<Path> open;

    /** {@code open} opens a model folder (the same action as File > Open model folder…). */
    public RecentModelsMenu(RecentModels recent, Consumer<Path> open) {
        this.recent = recent;
        this.open = open;
        menu.setId("recentModels");
        recent.folders().addListener((ListChangeListener<Path>) change -> rebuild());
        rebuild();
    }

    public Menu menu() {
        return menu;
    }

    private void rebuild() {
        menu.getItems().clear();
        if (recent.folders().isEmpty()) {
            MenuItem none = new MenuItem("No models opened yet");
            none.setDisable(true);
            menu.getItems().add(none);
            return;
        }
        for (Path folder : recent.folders()) {
            // Mnemonic parsing off: underscores in folder names are common and must show as they are.
            MenuItem item = new MenuItem(folder.toString());
            item.setMnemonicParsing(false);
            item.setOnAction(event -> choose(folder));
            menu.getItems().add(item);
        }
    }

    private void choose(Path folder) {
        if (Files.isDirectory(folder)) {
            open.accept(folder);
            return;
        }
        String message = folder + " no longer exists (moved or deleted); it was removed from the recent models.";
        try {
            recent.remove(folder);
        } catch (IOException e) {
            message = folder + " no longer exists (moved or deleted), and the list of recent models could not be saved: " + e.getMessage();
        }
        ErrorDialog.show(menu.getParentPopup() == null ? null : menu.getParentPopup().getOwnerWindow(), "Could not open a recent model",
                message);
    }
}
