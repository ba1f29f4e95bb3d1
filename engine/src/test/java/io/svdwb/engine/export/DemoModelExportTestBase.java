package io.svdwb.engine.export;

import io.svdwb.engine.TestData;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.Linear;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The demo model opened once per test class, with the rank-8 truncated-SVD replacements every export test uses. */
abstract class DemoModelExportTestBase {

    static Checkpoint source;
    static Map<String, Linear> replacements;

    @TempDir
    Path tmp;

    @BeforeAll
    static void openSource() throws Exception {
        source = Checkpoint.open(TestData.demoModel());
        replacements = ExportFixtures.truncatedSvd(source);
    }

    @AfterAll
    static void closeSource() throws Exception {
        source.close();
    }
}
