package io.svdwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoModelLocatorTest {

    @Test
    void propertyWinsEvenForAMissingFolderSoThatOpeningItReportsTheProblem(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere");
        assertThat(DemoModelLocator.find(missing.toString(), List.of(dir))).contains(missing);
    }

    @Test
    void searchesUpwardFromTheJarFolder(@TempDir Path repo) throws Exception {
        Path model = Files.createDirectories(repo.resolve("resources/models/stories260K"));
        Path jarFolder = Files.createDirectories(repo.resolve("app/target"));
        Path elsewhere = Files.createDirectories(repo.resolve("unrelated"));
        assertThat(DemoModelLocator.find(null, List.of(jarFolder))).contains(model);
        assertThat(DemoModelLocator.find("", List.of(elsewhere.resolve("deeper"), jarFolder))).contains(model);
    }

    @Test
    void findsTheRepositoryDemoModelFromTheModuleFolder() throws Exception {
        // Surefire runs in app/, one level below the repository root.
        Path expected = Path.of(System.getProperty("svdwb.root", "..")).resolve(DemoModelLocator.DEMO_MODEL);
        Path found = DemoModelLocator.find().orElseThrow();
        assertThat(found.toRealPath()).isEqualTo(expected.toRealPath());
    }
}
