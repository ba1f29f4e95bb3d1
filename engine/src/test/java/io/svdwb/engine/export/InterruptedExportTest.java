package io.svdwb.engine.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what Ctrl-C's SIGINT also does: both run the JVM's shutdown hooks) stops an export halfway through
 * writing its weights: the hidden temporary folder is removed and the target never appears.
 */
class InterruptedExportTest {

    @TempDir
    Path tmp;

    @Test
    void sigtermDuringTheWeightsRemovesTheTemporaryFolder() throws Exception {
        Path target = tmp.resolve("out");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                PausedExportMain.class.getName(), target.toString())
                .redirectError(tmp.resolve("child-stderr.txt").toFile()).start();
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = stdout.readLine();
            assertThat(line).as(Files.readString(tmp.resolve("child-stderr.txt"))).isEqualTo(PausedExportMain.PAUSED);
        }
        assertThat(exportTemporaries()).as("the export is half written when the signal comes").hasSize(1);

        child.destroy();   // SIGTERM on Unix
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();

        assertThat(child.exitValue()).isEqualTo(128 + 15);
        assertThat(exportTemporaries()).isEmpty();
        assertThat(target).doesNotExist();
    }

    private List<String> exportTemporaries() throws Exception {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".out.export-")).toList();
        }
    }
}
