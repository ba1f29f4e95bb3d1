package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --decomposition-cache is offered by compress and sweep, and compress fills the folder with one file per matrix. */
class DecompositionCacheOptionTest {

    @TempDir
    Path tmp;

    @Test
    void compressWritesOneFilePerSelectedMatrixAndLeavesTheResultAlone() throws Exception {
        Path folder = tmp.resolve("decompositions");
        String[] args = {"compress", "--no-progress", "--method", "svd", "--ratio", "0.4", "--layers", "0",
            "--decomposition-cache", folder.toString()};
        CliRunner first = CliRunner.run(args);
        assertThat(first.exitCode()).as(first.err()).isZero();
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".safetensors")).count()).isEqualTo(7);
        }
        CliRunner second = CliRunner.run(args);
        assertThat(second.exitCode()).as(second.err()).isZero();
        // the report (ranks, ratios, losses) is the same whether the decompositions were computed or read; only
        // the timing line may differ
        assertThat(withoutTimes(second.out())).isEqualTo(withoutTimes(first.out()));
    }

    @Test
    void helpOfCompressAndSweepDescribesTheOption() {
        for (String command : new String[] {"compress", "sweep"}) {
            CliRunner help = CliRunner.run(command, "--help");
            assertThat(help.out()).as(command).contains("--decomposition-cache=DIR", "several hundred MB per matrix");
        }
    }

    private static String withoutTimes(String report) {
        return report.lines().filter(l -> !l.matches("(?i).*\\b(time|seconds)\\b.*")).reduce("", (a, b) -> a + b + "\n");
    }
}
