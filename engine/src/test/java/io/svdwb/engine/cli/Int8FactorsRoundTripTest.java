package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.TestData;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.SafetensorsFile;
import io.svdwb.engine.tensor.NdArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/METHODS.md §2.6: SVD-LLM at 0.4 with int8 factors on the demo model. The export reloads to the in-memory
 * perplexity, stores I8 codes and F32 row scales that dequantise to what the loader computes with, and the reported
 * ratio is the hand count in bits.
 */
class Int8FactorsRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EVAL = List.of("--ctx", "256", "--max-tokens", "4096", "--text", TestData.wikiTestRaw().toString());

    @TempDir
    Path tmp;

    @Test
    void int8FactorsReloadToTheInMemoryPerplexity() throws Exception {
        Path out = tmp.resolve("int8");
        CliRunner r = CliRunner.run(concat(List.of("compress", "--method", "svd-llm", "--ratio", "0.4", "--factor-dtype", "int8",
                "--calib-samples", "16", "--calib-length", "128", "--format", "factored", "--out", out.toString(), "--eval", "--json",
                "--no-progress"), EVAL));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode c = JSON.readTree(r.out());
        double inMemory = c.get("perplexity").asDouble();

        CliRunner reloaded = CliRunner.run(concat(List.of("eval", "--model", out.toString(), "--json", "--no-progress"), EVAL));
        assertThat(reloaded.exitCode()).as(reloaded.err()).isZero();
        // the loader dequantises the same codes and scales to the same float32 values, and computes A(Bx) in the same
        // order as the in-memory model: only summation order may differ, 1e-6 relative (as the float factored round trip)
        assertThat(JSON.readTree(reloaded.out()).get("perplexity").asDouble()).isCloseTo(inMemory, within(1e-6 * inMemory));

        // the ratio in bits by hand: 8 bits per code, 32 per row scale (m rows of A, k of B), 16 per dense weight; the
        // rank of each module is the largest whose bits fit 0.6 of its dense bits (found by a search here)
        long keptBits = 0;
        long originalBits = 0;
        long codes = 0;
        long scales = 0;
        for (JsonNode m : c.get("modules")) {
            int rows = m.get("rows").asInt();
            int cols = m.get("cols").asInt();
            int k = m.get("rank").asInt();
            int largest = 0;
            for (int j = 1; j <= Math.min(rows, cols); j++) {
                if (8L * j * (rows + cols) + 32L * (rows + j) <= 0.6 * rows * cols * 16) {
                    largest = j;
                }
            }
            assertThat(k).as(m.get("module").asText()).isEqualTo(largest);
            keptBits += 8L * k * (rows + cols) + 32L * (rows + k);
            originalBits += 16L * rows * cols;
            codes += (long) k * (rows + cols);
            scales += rows + k;
        }
        assertThat(c.get("factor_dtype").asText()).isEqualTo("int8");
        assertThat(c.get("kept_bits_selected").asLong()).isEqualTo(keptBits);
        assertThat(c.get("original_bits_selected").asLong()).isEqualTo(originalBits);
        assertThat(c.get("achieved_ratio_selected").asDouble()).isCloseTo(1 - (double) keptBits / originalBits, within(1e-12));
        assertThat(c.get("meets_target").asBoolean()).isTrue();
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.get("factor_dtype").asText()).isEqualTo("int8");
        assertThat(manifest.get("ratio_unit").asText()).isEqualTo("bits");
        assertThat(manifest.get("int8_rounding").asText()).isEqualTo("nearest");
        assertThat(manifest.get("achieved_ratio_compressible").asDouble()).isCloseTo(1 - (double) keptBits / originalBits, within(1e-12));

        try (Checkpoint checkpoint = FactoredCheckpoint.open(out)) {
            // the demo model: 260,032 parameters, 226,560 of them in the compressible matrices; the export holds the
            // codes and the scales instead
            assertThat(checkpoint.totalParameters()).isEqualTo(260_032L - 226_560L + codes + scales);
            assertThat(c.get("export_parameters").asLong()).isEqualTo(checkpoint.totalParameters());
            assertThat(checkpoint.int8Modules()).hasSize(c.get("modules").size());
            assertLoaderComputesWithTheStoredCodes(out, checkpoint);
        }
    }

    /**
     * Layer 2's down_proj, decoded by hand from the file's bytes (I8 codes, little-endian F32 scales) and multiplied in
     * double, against the product A·B of the factors the loader built. Tolerance: the loader's float32 product of rank
     * k <= 64 terms, 1e-5 of the largest entry.
     */
    private static void assertLoaderComputesWithTheStoredCodes(Path out, Checkpoint checkpoint) throws Exception {
        String module = ProjectionKind.DOWN.moduleName(2);
        double[][] a;
        double[][] b;
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertThat(file.info(module + ".ALinear.weight").dtype()).isEqualTo(DType.I8);
            assertThat(file.info(module + ".BLinear.weight").dtype()).isEqualTo(DType.I8);
            assertThat(file.info(module + ".ALinear.weight_scale").dtype()).isEqualTo(DType.F32);
            a = decode(file, module + ".ALinear");
            b = decode(file, module + ".BLinear");
        }
        float[] loaded = NdArrays.toFloats(new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP)
                .loadDense(2, ProjectionKind.DOWN).weight());
        int cols = b[0].length;
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int t = 0; t < b.length; t++) {
                    sum += a[i][t] * b[t][j];
                }
                largest = Math.max(largest, Math.abs(sum));
                worst = Math.max(worst, Math.abs(sum - loaded[i * cols + j]));
            }
        }
        assertThat(largest).isPositive();
        assertThat(worst).isLessThanOrEqualTo(1e-5 * largest);
    }

    private static double[][] decode(SafetensorsFile file, String factor) throws Exception {
        long[] shape = file.info(factor + ".weight").shape();
        byte[] codes = file.readRaw(factor + ".weight");
        java.nio.ByteBuffer scales = java.nio.ByteBuffer.wrap(file.readRaw(factor + ".weight_scale")).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        double[][] m = new double[(int) shape[0]][(int) shape[1]];
        for (int i = 0; i < shape[0]; i++) {
            float s = scales.getFloat(4 * i);
            for (int j = 0; j < shape[1]; j++) {
                m[i][j] = (double) (s * codes[(int) (i * shape[1] + j)]);
            }
        }
        return m;
    }

    /**
     * GPTQ-rounded codes (§2.6) are stored and reloaded the same way: the reloaded export gives the in-memory perplexity
     * (1e-6 relative, as above). A data-free method has no Hessian for GPTQ and is refused before any work.
     */
    @Test
    void gptqCodesReloadToTheInMemoryPerplexity() throws Exception {
        Path out = tmp.resolve("gptq");
        CliRunner r = CliRunner.run(concat(List.of("compress", "--method", "svd-llm", "--ratio", "0.6", "--factor-dtype", "int8",
                "--int8-rounding", "gptq", "--layers", "3-4", "--calib-samples", "16", "--calib-length", "128", "--format", "factored",
                "--out", out.toString(), "--eval", "--json", "--no-progress"), EVAL));
        assertThat(r.exitCode()).as(r.err()).isZero();
        double inMemory = JSON.readTree(r.out()).get("perplexity").asDouble();
        CliRunner reloaded = CliRunner.run(concat(List.of("eval", "--model", out.toString(), "--json", "--no-progress"), EVAL));
        assertThat(reloaded.exitCode()).as(reloaded.err()).isZero();
        assertThat(JSON.readTree(reloaded.out()).get("perplexity").asDouble()).isCloseTo(inMemory, within(1e-6 * inMemory));
        assertThat(JSON.readTree(out.resolve("manifest.json").toFile()).get("int8_rounding").asText()).isEqualTo("gptq");

        CliRunner refused = CliRunner.run("compress", "--method", "svd", "--ratio", "0.4", "--factor-dtype", "int8", "--int8-rounding",
                "gptq", "--no-progress");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("--int8-rounding gptq needs the calibration Gram matrices").contains("svd is data-free");
    }

    /** Without config.json's int8_factors, the I8 codes would be read as weights: the loader refuses, naming one. */
    @Test
    void codesWithoutTheirConfigEntryAreRefused() throws Exception {
        Path out = tmp.resolve("int8-svd");
        CliRunner r = CliRunner.run("compress", "--method", "svd", "--ratio", "0.6", "--factor-dtype", "int8", "--modules", "q",
                "--layers", "0", "--format", "factored", "--out", out.toString(), "--json", "--no-progress");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path config = out.resolve("config.json");
        ObjectNode node = (ObjectNode) JSON.readTree(config.toFile());
        assertThat(node.get("int8_factors").toString()).isEqualTo("[\"model.layers.0.self_attn.q_proj\"]");
        node.remove("int8_factors");
        Files.writeString(config, node.toString());
        assertThatThrownBy(() -> FactoredCheckpoint.open(out)).hasMessageContaining("model.layers.0.self_attn.q_proj.ALinear.weight is I8");
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
