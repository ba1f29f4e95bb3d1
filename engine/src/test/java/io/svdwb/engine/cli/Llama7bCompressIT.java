package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SVD-LLM at LLaMA-7B scale inside an 8 GB memory budget, through the real launcher (which bounds the heap by the
 * budget): one decoder layer of the synthetic fp16 checkpoint compressed with 8 x 2048 calibration tokens, the whole
 * model exported factored. The command's own peak-memory line must stay under 8 GB. Slow (minutes; 13.5 GB written
 * unless {@code -Dsvdwb.synth7b=DIR} names a checkpoint from {@code svdwb bench synth}), so it runs only with
 * {@code mvn -pl engine verify -Dsvdwb.excludedGroups= -Dit.test=Llama7bCompressIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}. docs/BENCHMARKS.md has the all-layer run.
 */
@Tag("slow")
class Llama7bCompressIT {

    private static final Path LAUNCHER = Path.of("target", "svdwb").toAbsolutePath();
    private static final double BUDGET_GB = 8.0;

    @Test
    void oneLayerOfSvdLlmAt7bFitsAnEightGigabyteBudget() throws Exception {
        String reuse = System.getProperty("svdwb.synth7b");
        Path dir = reuse != null ? Path.of(reuse) : Files.createTempDirectory("llama7b-synth");
        Path out = Files.createTempDirectory("llama7b-compressed").resolve("out");
        Path root = Path.of(System.getProperty("svdwb.root", ".."));
        try {
            if (reuse == null) {
                // written by the launcher: this JVM has a 256 MB heap (failsafe's argLine)
                Process synth = new ProcessBuilder(LAUNCHER.toString(), "bench", "synth", "--out", dir.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                assertThat(synth.waitFor(60, TimeUnit.MINUTES)).isTrue();
                assertThat(synth.exitValue()).isZero();
            }
            Process p = new ProcessBuilder(List.of(LAUNCHER.toString(), "compress", "--model", dir.toString(),
                    "--method", "svd-llm", "--ratio", "0.4", "--layers", "0", "--memory-budget", "8g",
                    "--calib", root.resolve("resources/data/wikitext-2/wiki.train.head.tokens").toString(),
                    "--calib-samples", "8", "--calib-length", "2048", "--format", "factored", "--out", out.toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(stdout).isZero();
            // SVD-LLM's ranks at ratio 0.4: floor(0.6 m n / (m + n)), docs/METHODS.md §2.3
            assertThat(stdout).contains("L0   q 1228 k 1228 v 1228 o 1228 gate 1791 up 1791 down 1791");
            Matcher peak = Pattern.compile("peak memory +([0-9.]+) GB resident").matcher(stdout);
            assertThat(peak.find()).as(stdout).isTrue();
            assertThat(Double.parseDouble(peak.group(1))).isLessThan(BUDGET_GB);
        } finally {
            deleteTree(out.getParent());
            if (reuse == null) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
