package io.svdwb.app.session;

import static io.svdwb.app.support.Fx.onFx;
import static io.svdwb.app.support.Fx.runFx;
import static io.svdwb.app.support.Fx.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.app.support.DemoEngine;
import io.svdwb.app.view.ErrorDialog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The recent-models list and its File menu, with the list kept in a test folder. */
@ExtendWith(ApplicationExtension.class)
class RecentModelsTest {

    @TempDir
    static Path config;

    private final List<Path> opened = new ArrayList<>();
    private RecentModels recent;

    @Start
    void start(Stage stage) throws Exception {
        Files.deleteIfExists(config.resolve(RecentModels.FILE));
        recent = new RecentModels(config);
        RecentModelsMenu menu = new RecentModelsMenu(recent, opened::add);
        stage.setScene(new Scene(new BorderPane(null, new MenuBar(new Menu("File", null, menu.menu())), null, null, null), 700, 400));
        stage.show();
    }

    @Test
    void anOpenedFolderIsListedInTheMenuAndOpensFromIt(FxRobot robot) throws Exception {
        assertThat(onFx(() -> itemTexts(robot))).containsExactly("No models opened yet");
        runFx(() -> record(DemoEngine.MODEL));

        assertThat(onFx(() -> List.copyOf(recent.folders()))).containsExactly(DemoEngine.MODEL.toAbsolutePath().normalize());
        assertThat(new RecentModels(config).folders()).as("read back from the file").containsExactly(DemoEngine.MODEL.toAbsolutePath().normalize());
        robot.clickOn("File").clickOn("Recent models").clickOn(DemoEngine.MODEL.toAbsolutePath().normalize().toString());
        waitUntil(() -> opened.size() == 1);
        assertThat(opened).containsExactly(DemoEngine.MODEL.toAbsolutePath().normalize());
    }

    @Test
    void theListKeepsTheLastEightNewestFirstWithoutRepeats(@TempDir Path models) throws Exception {
        List<Path> folders = IntStream.range(0, 10).mapToObj(i -> models.resolve("model-" + i)).toList();
        runFx(() -> folders.forEach(this::record));
        runFx(() -> record(folders.get(5)));

        List<Path> expected = List.of(folders.get(5), folders.get(9), folders.get(8), folders.get(7), folders.get(6), folders.get(4),
                folders.get(3), folders.get(2));
        assertThat(onFx(() -> List.copyOf(recent.folders()))).containsExactlyElementsOf(expected);
        assertThat(new RecentModels(config).folders()).containsExactlyElementsOf(expected);
    }

    @Test
    void aVanishedFolderShowsTheErrorDialogAndLeavesTheList(FxRobot robot, @TempDir Path models) throws Exception {
        Path gone = Files.createDirectories(models.resolve("gone"));
        runFx(() -> record(gone));
        Files.delete(gone);

        robot.clickOn("File").clickOn("Recent models").clickOn(gone.toString());
        waitUntil(() -> robot.lookup("#" + ErrorDialog.ID).tryQuery().isPresent());
        DialogPane dialog = robot.lookup("#" + ErrorDialog.ID).queryAs(DialogPane.class);
        assertThat(onFx(() -> ((Label) dialog.lookup("#errorMessage")).getText()))
                .isEqualTo(gone + " no longer exists (moved or deleted); it was removed from the recent models.");
        assertThat(opened).isEmpty();
        assertThat(onFx(() -> List.copyOf(recent.folders()))).isEmpty();
        assertThat(new RecentModels(config).folders()).isEmpty();
        robot.clickOn(onFx(() -> (Button) dialog.lookupButton(ButtonType.OK)));
    }

    @Test
    void anUnreadableListIsAnEmptyList() throws Exception {
        Files.writeString(config.resolve(RecentModels.FILE), "{not json");
        assertThat(new RecentModels(config).folders()).isEmpty();
    }

    private void record(Path folder) {
        try {
            recent.record(folder);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> itemTexts(FxRobot robot) {
        MenuBar bar = robot.lookup(".menu-bar").queryAs(MenuBar.class);
        Menu recentMenu = (Menu) bar.getMenus().get(0).getItems().get(0);
        return recentMenu.getItems().stream().map(MenuItem::getText).toList();
    }
}
