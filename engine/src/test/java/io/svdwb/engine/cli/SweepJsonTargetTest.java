package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep --json refuses a bad target before the sweep starts (nothing on stdout) and replaces a file only with --overwrite. */
class SweepJsonTargetTest {

    @TempDir
    Path tmp;

    private static CliRunner sweep(Path json, String... extra) {
        String[] base = {"sweep", "--model", TestData.demoModel().toString(), "--methods", "svd", "--ratios", "0.5",
            "--text", TestData.tinyStories().toString(), "--max-tokens", "64", "--ctx", "32", "--no-progress", "--json", json.toString()};
        return CliRunner.run(Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
    }

    private static void assertRefusedBeforeTheSweep(CliRunner r, String message) {
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: " + message);
        assertThat(r.out()).as("no row was computed").isEmpty();
    }

    @Test
    void aMissingFolderIsRefusedBeforeTheSweep() {
        Path json = tmp.resolve("missing").resolve("rows.json");
        assertRefusedBeforeTheSweep(sweep(json), json + ": the folder " + tmp.resolve("missing") + " does not exist");
    }

    @Test
    void anExistingFileIsRefusedBeforeTheSweepUnlessOverwrite() throws Exception {
        Path json = Files.writeString(tmp.resolve("rows.json"), "earlier sweep");
        assertRefusedBeforeTheSweep(sweep(json), json + ": already exists (pass --overwrite to replace it)");
        assertThat(Files.readString(json)).isEqualTo("earlier sweep");

        CliRunner replaced = sweep(json, "--overwrite");
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(new ObjectMapper().readTree(json.toFile()).get("rows")).hasSize(2);   // dense baseline + svd at 0.5
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("rows.json");
        }
    }

    @Test
    void aFolderIsRefusedAsTarget() throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("rows.json"));
        assertRefusedBeforeTheSweep(sweep(folder), folder + ": is a folder, not a file");
    }
}
