package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's side of the PyTorch comparison on the demo model: the windows it hands over have the count and length
 * it used, every stage is timed and the stages do not add up to more than the whole. (That its perplexity equals
 * PyTorch's on the same windows is the comparison's own check, scripts/bench-vs-pytorch.sh.)
 */
class BenchPipelineCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void reportsEveryStageForTheWindowsItWritesOut() throws Exception {
        Path windows = tmp.resolve("windows.json");
        Path result = tmp.resolve("engine.json");
        CliRunner r = CliRunner.run("bench", "pipeline", "--model", TestData.demoModel().toString(), "--calib-samples", "3",
                "--calib-length", "64", "--eval-tokens", "256", "--ctx", "128", "--layers", "1-3", "--gemm-size", "128",
                "--windows-out", windows.toString(), "--json-out", result.toString(), "--no-progress");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode w = JSON.readTree(windows.toFile());
        assertThat(w.get("calibration")).hasSize(3);
        assertThat(w.get("calibration").get(0)).hasSize(64);
        assertThat(w.get("evaluation")).hasSize(2);
        assertThat(w.get("evaluation").get(1)).hasSize(128);

        JsonNode e = JSON.readTree(result.toFile());
        assertThat(e.get("implementation").asText()).isEqualTo("svdwb");
        assertThat(e.get("layers").asInt()).isEqualTo(3);
        assertThat(e.get("calibration_tokens").asLong()).isEqualTo(3 * 64);
        assertThat(e.get("evaluation_tokens").asLong()).isEqualTo(256);
        double parts = 0;
        for (String stage : new String[] {"load", "calibration_forward", "gram", "cholesky", "svd", "evaluation"}) {
            assertThat(e.get("stages").get(stage).asDouble()).as(stage).isGreaterThanOrEqualTo(0);
            parts += e.get("stages").get(stage).asDouble();
        }
        assertThat(parts).isLessThanOrEqualTo(e.get("stages").get("total").asDouble() * 1.001);
        assertThat(e.get("peak_rss_bytes").asLong()).isPositive();
        assertThat(e.get("sgemm_gflops").asDouble()).isPositive();
        assertThat(e.get("perplexity").asDouble()).isFinite().isGreaterThan(1);
    }
}
