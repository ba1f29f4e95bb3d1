package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.cuda.FakeCuda;
import io.svdwb.engine.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands with {@code --device cuda:0}, over the fake CUDA libraries: every projection, Gram, Cholesky and SVD of
 * the run goes through the CUDA backend's calls, and the numbers are the CPU's. Perplexity: the same float32 products
 * summed by the same BLAS in another memory layout agree to far better than the 1e-4 (relative), and both stay
 * within 5e-4 of reference_ppl.json (the independent float64 implementation, as EvalCommandReferenceTest).
 */
class GpuCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void useTheFakeLibraries() {
        if (!FakeCuda.real()) {
            System.setProperty("svdwb.cuda.libraryPath", FakeCuda.libraries().toString());
        }
    }

    private static JsonNode run(String... args) throws Exception {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void evalOnTheGpuMatchesTheCpuAndTheReference() throws Exception {
        String[] eval = {"eval", "--model", TestData.demoModel().toString(), "--ctx", "256", "--max-tokens", "20480",
            "--json", "--no-progress", "--text", TestData.tinyStories().toString(), "--doc-sep", "<|endoftext|>"};
        boolean counted = !FakeCuda.real();
        long gemms = counted ? FakeCuda.calls("cublasSgemm_v2") : 0;
        long attention = counted ? FakeCuda.calls("cublasSgemmStridedBatched") : 0;
        long launches = counted ? FakeCuda.calls("cuLaunchKernel") : 0;
        JsonNode gpu = run(concat(eval, "--device", "cuda:0"));
        // whole layers on the device: 80 windows in 10 batches of 8, 5 layers of 7 projections; attention as two
        // batched products per window and key/value head; the norms, RoPE, softmax, SwiGLU and residuals as kernels
        if (counted) {
            assertThat(FakeCuda.calls("cublasSgemm_v2") - gemms).as("projections run by cuBLAS").isGreaterThanOrEqualTo(10 * 5 * 7);
            assertThat(FakeCuda.calls("cublasSgemmStridedBatched") - attention).as("attention products")
                    .isGreaterThanOrEqualTo(80 * 5 * 2);
            assertThat(FakeCuda.calls("cuLaunchKernel") - launches).as("layer kernels").isGreaterThanOrEqualTo(10 * 5 * 7);
        }
        JsonNode cpu = run(concat(eval, "--device", "cpu"));
        double reference = JSON.readTree(TestData.demoModel().resolve("reference_ppl.json").toFile())
                .get("ppl").get("TinyStories-valid.head.txt").get("ppl").asDouble();
        double onGpu = gpu.get("perplexity").asDouble();
        assertThat(onGpu).isCloseTo(cpu.get("perplexity").asDouble(), within(cpu.get("perplexity").asDouble() * 1e-4));
        assertThat(onGpu).isCloseTo(reference, within(reference * 5e-4));
    }

    @Test
    void svdLlmOnTheGpuGivesTheCpusPerplexity(@TempDir Path cache) throws Exception {
        String[] compress = {"compress", "--model", TestData.demoModel().toString(), "--method", "svd-llm", "--ratio", "0.4",
            "--calib", TestData.wikiTrainHead().toString(), "--calib-samples", "8", "--calib-length", "64",
            "--eval", "--text", TestData.wikiTestRaw().toString(), "--ctx", "256", "--max-tokens", "4096", "--json",
            "--no-progress"};
        boolean counted = !FakeCuda.real();
        long potrf = counted ? FakeCuda.calls("cusolverDnDpotrf") : 0;
        long gesvd = counted ? FakeCuda.calls("cusolverDnDgesvd") + FakeCuda.calls("cusolverDnDsyevd") : 0;
        JsonNode gpu = run(concat(compress, "--device", "cuda", "--calib-cache", cache.resolve("gpu").toString()));
        if (counted) {
            assertThat(FakeCuda.calls("cusolverDnDpotrf")).as("whitening by cuSOLVER").isGreaterThan(potrf);
            assertThat(FakeCuda.calls("cusolverDnDgesvd") + FakeCuda.calls("cusolverDnDsyevd")).as("SVDs by cuSOLVER")
                    .isGreaterThan(gesvd);
        }
        JsonNode cpu = run(concat(compress, "--device", "cpu", "--calib-cache", cache.resolve("cpu").toString()));
        double expected = cpu.get("perplexity").asDouble();
        // gesvd (QR iteration) on the device, gesdd (divide and conquer) on the CPU: the kept subspaces agree to
        // rounding, so the compressed model's perplexity does too
        assertThat(gpu.get("perplexity").asDouble()).isCloseTo(expected, within(expected * 1e-4));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
