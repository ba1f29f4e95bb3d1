package io.svdwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoModelLocatorTest {

    @Test
    void propertyWinsEvenForAMissingFolderSoThatOpeningItReportsTheProblem() {
        String before = System.getProperty(DemoModelLocator.PROPERTY);
        try {
            System.setProperty(DemoModelLocator.PROPERTY, "/nowhere/model");
            assertThat(DemoModelLocator.find()).contains(Path.of("/nowhere/model"));
        } finally {
            if (before == null) {
                System.clearProperty(DemoModelLocator.PROPERTY);
            } else {
                System.setProperty(DemoModelLocator.PROPERTY, before);
            }
        }
    }

    @Test
    void findsTheRepositoryDemoModelFromTheModuleFolder() throws Exception {
        // Surefire runs in app/, one level below the repository root.
        Path expected = Path.of(System.getProperty("svdwb.root", "..")).resolve(DemoModelLocator.DEMO_MODEL);
        Path found = DemoModelLocator.find().orElseThrow();
        assertThat(found.toRealPath()).isEqualTo(expected.toRealPath());
    }
}
