package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import io.svdwb.engine.eval.TokenLogProbabilities;
import io.svdwb.engine.linalg.CpuLinearAlgebra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The forward pass against Hugging Face transformers itself: tiny random-weight checkpoints that
 * transformers built and saved, with transformers' own per-token log-probabilities (made by
 * scripts/make_transformers_fixtures.py, see the fixtures' README). Each checkpoint is read as saved
 * (transformers 5's {@code rope_parameters}) and with the same rotary settings in transformers 4's keys
 * (top-level {@code rope_theta} + {@code rope_scaling}): both must give transformers' numbers.
 *
 * <p>Tolerance 1e-5 relative on each log-probability (and on the perplexity): both sides run in float32,
 * whose rounding over 2 layers of width 32 moves these log-probabilities (about -5) by at most 3.4e-6
 * absolute (the float32 reference against its own float64 run, recorded in expected.json), i.e. < 1e-6
 * relative; a real error (a missing q_norm, the wrong theta or scaling) moves them by more than 1e-2.
 */
class TransformersFixturesTest {

    private static final double RELATIVE_TOLERANCE = 1e-5;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
            "qwen3-tied, config.json", "qwen3-tied, config.old-keys.json",
            "qwen3-untied-bias, config.json", "qwen3-untied-bias, config.old-keys.json",
            "llama-llama3-rope, config.json", "llama-llama3-rope, config.old-keys.json",
            "mistral-linear-rope, config.json", "mistral-linear-rope, config.old-keys.json",
            "qwen2-yarn-rope, config.json", "qwen2-yarn-rope, config.old-keys.json"})
    void logProbabilitiesEqualTransformers(String fixture, String configForm) throws Exception {
        Path source = fixtures().resolve(fixture);
        Path model = temp.resolve(fixture);
        Files.createDirectories(model);
        Files.copy(source.resolve("model.safetensors"), model.resolve("model.safetensors"));
        Files.copy(source.resolve(configForm), model.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        JsonNode expected = new ObjectMapper().readTree(source.resolve("expected.json").toFile());
        int[] tokens = new ObjectMapper().convertValue(expected.get("tokens"), int[].class);

        try (Checkpoint checkpoint = Checkpoint.open(model)) {
            LlamaModel llama = new LlamaModel(checkpoint, new CpuLinearAlgebra(), LlamaModel.Residency.KEEP);
            float[] logits = llama.forward(new int[][] {tokens});
            int vocab = llama.config().vocabSize();
            double nllSum = 0;
            JsonNode reference = expected.get("logprobs_float32");
            for (int t = 0; t < tokens.length - 1; t++) {
                double logProb = logits[t * vocab + tokens[t + 1]] - TokenLogProbabilities.logSumExp(logits, t * vocab, vocab);
                double want = reference.get(t).asDouble();
                assertThat(logProb).as("log p(token %d | prefix) of %s", t + 1, fixture)
                        .isCloseTo(want, within(Math.abs(want) * RELATIVE_TOLERANCE));
                nllSum -= logProb;
            }
            double perplexity = Math.exp(nllSum / (tokens.length - 1));
            double wantPerplexity = expected.get("perplexity_float32").asDouble();
            assertThat(perplexity).isCloseTo(wantPerplexity, within(wantPerplexity * RELATIVE_TOLERANCE));
        }
    }

    static Path fixtures() {
        return TestData.repoRoot().resolve("engine/src/test/resources/transformers-fixtures");
    }
}
