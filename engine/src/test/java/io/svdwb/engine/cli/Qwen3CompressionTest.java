package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.TestData;
import io.svdwb.engine.model.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Qwen3's projections compress like the others: a random-weight qwen3 (head_dim 16 != hidden/heads, q_norm
 * and k_norm, untied lm_head) with the demo model's 512-token tokenizer, compressed by SVD-LLM and exported
 * factored, reopens with its q_norm/k_norm and evaluates to the in-memory perplexity (same factors, same order
 * of operations: 1e-6 relative, as in CompressExportRoundTripTest).
 */
class Qwen3CompressionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"model_type":"qwen3","hidden_size":64,"intermediate_size":96,"num_hidden_layers":2,"num_attention_heads":4,
             "num_key_value_heads":2,"head_dim":16,"vocab_size":512,"max_position_embeddings":512,"rms_norm_eps":1e-6,
             "rope_parameters":{"rope_type":"default","rope_theta":1000000.0},"tie_word_embeddings":false,
             "use_sliding_window":false,"sliding_window":null,"max_window_layers":2,"bos_token_id":1,"eos_token_id":2}""";

    @TempDir
    Path tmp;

    @Test
    void svdLlmFactoredExportOfQwen3ReopensToTheInMemoryPerplexity() throws Exception {
        Path model = TinyCheckpoint.write(tmp.resolve("qwen3"), CONFIG);
        for (String file : new String[] {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
            Files.copy(TestData.demoModel().resolve(file), model.resolve(file));
        }
        List<String> eval = List.of("--ctx", "128", "--max-tokens", "1024", "--text", TestData.wikiTestRaw().toString());
        Path out = tmp.resolve("factored");
        CliRunner compressed = CliRunner.run(concat(List.of("compress", "--model", model.toString(), "--method", "svd-llm",
                "--ratio", "0.4", "--calib-samples", "8", "--calib-length", "64", "--calib-cache", tmp.resolve("cache").toString(),
                "--format", "factored", "--out", out.toString(), "--eval", "--json", "--no-progress"), eval));
        assertThat(compressed.exitCode()).as(compressed.err()).isZero();
        double inMemory = JSON.readTree(compressed.out()).get("perplexity").asDouble();
        assertThat(Files.readString(out.resolve("model.safetensors"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("model.layers.1.self_attn.q_norm.weight").contains("model.layers.1.self_attn.k_norm.weight");

        CliRunner reloaded = CliRunner.run(concat(List.of("eval", "--model", out.toString(), "--json", "--no-progress"), eval));
        assertThat(reloaded.exitCode()).as(reloaded.err()).isZero();
        JsonNode result = JSON.readTree(reloaded.out());
        assertThat(result.get("perplexity").asDouble()).isCloseTo(inMemory, within(1e-6 * inMemory));
    }

    private static String[] concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
