package io.svdwb.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.api.FxAssert.verifyThat;
import static org.testfx.matcher.control.LabeledMatchers.hasText;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

/** The window before any model is open: placeholders, not stale or made-up values. */
@ExtendWith(ApplicationExtension.class)
class EmptyWorkbenchTest {

    private Workbench workbench;

    @Start
    void start(Stage stage) {
        workbench = Workbench.show(stage, owner -> Optional.empty(), TestEngineSettings.settings());
    }

    @Stop
    void stop() {
        workbench.close();
    }

    @Test
    void showsPlaceholdersUntilAModelIsOpened(FxRobot robot) throws Exception {
        verifyThat("#totalParameters", hasText("–"));
        verifyThat("#compressibleParameters", hasText("–"));
        verifyThat("#statusLabel", hasText("Ready"));
        Node placeholder = robot.lookup("No model open").query();
        assertThat(WaitForAsyncUtils.asyncFx(placeholder::isVisible).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(WaitForAsyncUtils.asyncFx(() -> workbench.stage().getTitle()).get(10, TimeUnit.SECONDS)).isEqualTo("SVD Workbench");
    }
}
