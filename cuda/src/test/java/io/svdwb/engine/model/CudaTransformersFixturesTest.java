package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.cuda.FakeCuda;
import io.svdwb.engine.eval.TokenLogProbabilities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole decoder layers on the CUDA backend (over the fake libraries: the kernels are layer_kernels.cu run as C, the
 * products cuBLAS calls) against Hugging Face transformers' own float32 log-probabilities for five small random models
 * (the engine's fixtures: q/k norms, biases, grouped-query attention, llama3/linear/yarn RoPE). Tolerance 1e-5
 * relative, as the CPU backend's TransformersFixturesTest.
 */
class CudaTransformersFixturesTest {

    private static final double RELATIVE_TOLERANCE = 1e-5;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"qwen3-tied", "qwen3-untied-bias", "llama-llama3-rope", "mistral-linear-rope", "qwen2-yarn-rope"})
    void logProbabilitiesEqualTransformersWithTheLayersOnTheDevice(String fixture) throws Exception {
        Path source = TransformersFixturesTest.fixtures().resolve(fixture);
        Path model = temp.resolve(fixture);
        Files.createDirectories(model);
        Files.copy(source.resolve("model.safetensors"), model.resolve("model.safetensors"));
        Files.copy(source.resolve("config.json"), model.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        JsonNode expected = new ObjectMapper().readTree(source.resolve("expected.json").toFile());
        int[] tokens = new ObjectMapper().convertValue(expected.get("tokens"), int[].class);

        long launches = FakeCuda.real() ? 0 : FakeCuda.calls("cuLaunchKernel");
        try (Checkpoint checkpoint = Checkpoint.open(model)) {
            LlamaModel llama = new LlamaModel(checkpoint, FakeCuda.backend(), LlamaModel.Residency.KEEP);
            float[] logits = llama.forward(new int[][] {tokens});
            if (!FakeCuda.real()) {
                assertThat(FakeCuda.calls("cuLaunchKernel")).as("the layers ran on the device").isGreaterThan(launches);
            }
            int vocab = llama.config().vocabSize();
            JsonNode reference = expected.get("logprobs_float32");
            for (int t = 0; t < tokens.length - 1; t++) {
                double logProb = logits[t * vocab + tokens[t + 1]] - TokenLogProbabilities.logSumExp(logits, t * vocab, vocab);
                double want = reference.get(t).asDouble();
                assertThat(logProb).as("log p(token %d | prefix) of %s", t + 1, fixture)
                        .isCloseTo(want, within(Math.abs(want) * RELATIVE_TOLERANCE));
            }
        }
    }
}
