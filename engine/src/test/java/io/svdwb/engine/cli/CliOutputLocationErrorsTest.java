package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders and files the CLI writes are checked before the work that fills them: a file where a folder belongs (or
 * above it), a folder where a file belongs, each named in one line. Before these checks some of these cases ended
 * with a bare path ("error: /tmp/x"), "Not a directory", or only after the whole benchmark or SoCo training.
 */
class CliOutputLocationErrorsTest {

    @TempDir
    Path tmp;

    private Path aFile;
    private Path aFolder;

    @BeforeEach
    void files() throws Exception {
        aFile = Files.writeString(tmp.resolve("a-file"), "x");
        aFolder = Files.createDirectory(tmp.resolve("a-folder"));
    }

    private static void assertOneLineError(CliRunner r, String expected) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: " + expected);
        assertThat(r.out()).isEmpty();
    }

    private static CliRunner compress(String... extra) {
        String[] base = {"compress", "--model", TestData.demoModel().toString(), "--ratio", "0.5", "--no-progress"};
        return CliRunner.run(java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                .toArray(String[]::new));
    }

    @Test
    void anExportBelowAFile() {
        Path out = aFile.resolve("export");
        assertOneLineError(compress("--method", "svd", "--out", out.toString()), out + ": " + aFile + " is a file, not a folder");
    }

    @Test
    void aFileAsCalibrationCache() {
        assertOneLineError(compress("--method", "svd-llm", "--calib-cache", aFile.toString()),
                aFile + ": is a file, not a folder (--calib-cache)");
    }

    @Test
    void aFileAsDecompositionCache() {
        // this one used to warn once per matrix and carry on without the cache
        assertOneLineError(compress("--method", "svd", "--decomposition-cache", aFile.toString()),
                aFile + ": is a file, not a folder (--decomposition-cache)");
    }

    @Test
    void aFolderAsSocoCheckpoint() {
        assertOneLineError(compress("--method", "soco", "--soco-checkpoint", aFolder.toString(), "--calib-samples", "4"),
                aFolder + ": is a folder, not a file (--soco-checkpoint)");
    }

    @Test
    void aFolderAsBenchmarkJson() {
        assertOneLineError(CliRunner.run("bench", "svd", "--json", aFolder.toString(), "--no-progress"), aFolder + ": is a folder, not a file");
    }

    @Test
    void aFileAsSyntheticCheckpointFolder() {
        assertOneLineError(CliRunner.run("bench", "synth", "--out", aFile.toString(), "--layers", "1"),
                aFile + ": is a file, not a folder (--out)");
    }

    @Test
    void aFolderWhereTheWeightsFileBelongs() throws Exception {
        Path model = tmp.resolve("model");
        Files.createDirectories(model.resolve("model.safetensors"));
        Files.copy(TestData.demoModel().resolve("config.json"), model.resolve("config.json"));
        assertOneLineError(CliRunner.run("inspect", "--model", model.toString()),
                model.resolve("model.safetensors") + ": is a folder, not a safetensors file");
    }
}
