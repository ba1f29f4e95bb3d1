package io.svdwb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedResourcesTest {

    @Test
    void anExplicitFolderWinsEvenIfMissingSoThatUsingItReportsTheProblem(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere");
        assertThat(EmbeddedResources.find(missing.toString(), List.of(dir))).contains(missing);
        assertThat(EmbeddedResources.find(dir + "/app/../resources", List.of())).contains(dir.resolve("resources"));
    }

    @Test
    void searchesUpwardFromTheJarFolder(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("resources/models/stories260K"));
        Path jarFolder = Files.createDirectories(repo.resolve("engine/target"));
        Path elsewhere = Files.createDirectories(repo.resolve("unrelated"));
        assertThat(EmbeddedResources.find(null, List.of(jarFolder))).contains(repo.resolve("resources"));
        assertThat(EmbeddedResources.find("", List.of(elsewhere.resolve("deeper"), jarFolder))).contains(repo.resolve("resources"));
    }

    @Test
    void findsThisRepositorysDemoModel() throws Exception {
        assertThat(EmbeddedResources.demoModel().toRealPath()).isEqualTo(TestData.demoModel().toRealPath());
    }
}
