package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.FreshJvm;
import io.svdwb.engine.TestData;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.model.Checkpoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round trips: SVD-LLM at 0.4 exported dense evaluates, in a fresh JVM, to the perplexity of the
 * in-memory compressed model; exported factored, it reloads to the same perplexity and parameter count.
 */
class CompressExportRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EVAL = List.of("--ctx", "256", "--max-tokens", "4096", "--text", TestData.wikiTestRaw().toString());

    @TempDir
    Path tmp;

    @Test
    void denseAndFactoredExportsEvaluateToTheInMemoryPerplexity() throws Exception {
        JsonNode dense = compress("dense");
        JsonNode factored = compress("factored");
        double inMemory = dense.get("perplexity").asDouble();
        assertThat(factored.get("perplexity").asDouble()).isEqualTo(inMemory);

        FreshJvm.Result fresh = FreshJvm.run(concat(List.of("eval", "--model", dense.get("export").asText(), "--json", "--no-progress"), EVAL));
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        // the dense file stores the float32 product A·B, memory computes A(Bx): only float rounding differs
        assertThat(JSON.readTree(fresh.out()).get("perplexity").asDouble()).isCloseTo(inMemory, within(1e-4 * inMemory));

        CliRunner reloaded = CliRunner.run(concat(List.of("eval", "--model", factored.get("export").asText(), "--json", "--no-progress"), EVAL));
        assertThat(reloaded.exitCode()).as(reloaded.err()).isZero();
        // the same factors in the same order of operations: identical up to summation order, 1e-6
        assertThat(JSON.readTree(reloaded.out()).get("perplexity").asDouble()).isCloseTo(inMemory, within(1e-6 * inMemory));

        Path factoredDir = Path.of(factored.get("export").asText());
        try (Checkpoint checkpoint = FactoredCheckpoint.open(factoredDir)) {
            long kept = factored.get("kept_parameters_selected").asLong();
            // total = untouched parameters (embedding, norms) + the kept compressible parameters of the report
            assertThat(checkpoint.totalParameters()).isEqualTo(260_032L - 226_560L + kept);
            assertThat(factored.get("export_parameters").asLong()).isEqualTo(checkpoint.totalParameters());
        }
    }

    /**
     * Streamed (one decoder layer at a time, factors spilled to disk as each matrix is done, as for a 7B model on a
     * workstation): the same factors, so the same perplexity bit for bit and the same exported tensors byte for byte.
     */
    @Test
    void aStreamedRunWithSpilledFactorsGivesTheSameResultAndExport() throws Exception {
        JsonNode kept = compress("factored", "keep");
        JsonNode streamed = compress("factored", "stream");
        assertThat(streamed.get("perplexity").asDouble()).isEqualTo(kept.get("perplexity").asDouble());
        assertThat(streamed.get("peak_rss_bytes").asLong()).isPositive();
        Path keptDir = Path.of(kept.get("export").asText());
        Path streamedDir = Path.of(streamed.get("export").asText());
        try (var files = java.nio.file.Files.list(keptDir)) {
            List<Path> weights = files.filter(p -> p.toString().endsWith(".safetensors")).toList();
            assertThat(weights).isNotEmpty();
            for (Path w : weights) {
                assertThat(java.nio.file.Files.readAllBytes(streamedDir.resolve(w.getFileName())))
                        .as(w.getFileName().toString()).isEqualTo(java.nio.file.Files.readAllBytes(w));
            }
        }
    }

    private JsonNode compress(String format) throws Exception {
        return compress(format, "auto");
    }

    private JsonNode compress(String format, String residency) throws Exception {
        Path out = tmp.resolve(format + "-" + residency);
        CliRunner r = CliRunner.run(concat(List.of("compress", "--method", "svd-llm", "--ratio", "0.4", "--calib-samples", "16",
                "--calib-length", "128", "--calib-cache", tmp.resolve("cache").toString(), "--format", format, "--out", out.toString(),
                "--residency", residency, "--eval", "--json", "--no-progress"), EVAL));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
