package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heap too small for the run ends with exit code 4 and one error line saying what was being done and how to give
 * Java more memory: no stack trace, no JVM abort. Run in child JVMs with -Xmx, as a user would.
 */
class OutOfMemoryCliTest {

    @TempDir
    Path tmp;

    private record Run(int exitCode, List<String> errorLines, String stderr) {
    }

    private Run compressWithHeap(String maxHeap) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SvdwbCli.class.getName(), "compress", "--model", TestData.demoModel().toString(), "--method", "svd-llm",
                "--ratio", "0.5", "--calib-cache", tmp.resolve("cache").toString(), "--no-progress"));
        Path stderr = tmp.resolve("stderr-" + maxHeap + ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(tmp.resolve("stdout.txt").toFile()).redirectError(stderr.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String err = Files.readString(stderr);
        return new Run(p.exitValue(), err.lines().filter(l -> l.startsWith("error: ")).toList(), err);
    }

    private static void assertOneLineAndNoTrace(Run r) {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(4);
        assertThat(r.errorLines()).as(r.stderr()).hasSize(1);
        assertThat(r.stderr()).doesNotContain("\tat ", "Exception in thread", "java.lang.OutOfMemoryError", "panicked", "malloc");
        assertThat(r.errorLines().get(0)).contains("e.g. java -Xmx2g -jar svdwb.jar");
    }

    @Test
    void aHeapTooSmallToTokenizeTheCalibrationTextIsRefusedBeforeTheNativeTokenizerRuns() throws Exception {
        // DJL's JNI aborted the JVM ("panicked ... JavaException", exit 134) when a Java array could not be allocated
        Run r = compressWithHeap("16m");
        assertOneLineAndNoTrace(r);
        assertThat(r.errorLines().get(0)).matches("error: out of memory while tokenizing 997,983 characters of text "
                + "\\(needs about 12 MB more, \\d+ MB are free\\); the Java heap is at most \\d+ MB: .*");
    }

    @Test
    void runningOutDuringTheCalibrationNamesThePhase() throws Exception {
        // with javacpp's physical-memory check on, this heap ended in glibc's "malloc(): unaligned fastbin chunk" (exit 134)
        Run r = compressWithHeap("32m");
        assertOneLineAndNoTrace(r);
        assertThat(r.errorLines().get(0)).startsWith("error: out of memory while collecting calibration statistics, at ");
    }
}
