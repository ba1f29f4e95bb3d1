package io.svdwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The launcher drops JavaFX's class-path warning, and only that (WorkbenchSmokeIT checks a real start). */
class LauncherTest {

    @Test
    void theClassPathWarningIsDroppedAndOtherJavaFxWarningsPass() {
        Launcher.quietStartUp();
        Logger javafx = Logger.getLogger("javafx");
        List<String> published = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                published.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        javafx.addHandler(capture);
        boolean toConsole = javafx.getUseParentHandlers();
        javafx.setUseParentHandlers(false);
        try {
            javafx.warning("Unsupported JavaFX configuration: classes were loaded from 'unnamed module @323b8772'");
            javafx.log(Level.WARNING, "some other JavaFX warning");
        } finally {
            javafx.removeHandler(capture);
            javafx.setUseParentHandlers(toConsole);
        }
        assertThat(published).containsExactly("some other JavaFX warning");
    }
}
