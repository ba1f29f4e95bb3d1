package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sizes in config.json checked against the safetensors headers before anything sized by the config is
 * built: 2^31 - 1 layers used to end in an OutOfMemoryError, 100,000 in a 52 MB list of missing tensors.
 */
class CheckpointPlausibilityTest {

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "num_hidden_layers, 2147483647, 'num_hidden_layers is 2147483647, but the weights hold 2 decoder layers'",
            "num_hidden_layers, 100000, 'num_hidden_layers is 100000, but the weights hold 2 decoder layers'",
            "num_hidden_layers, 3, 'num_hidden_layers is 3, but the weights hold 2 decoder layers'",
            "vocab_size, 2000000000, 'sizes too large: a weight matrix would exceed 2^31 elements'",
            "vocab_size, 1000, 'vocab_size 1000 x hidden_size 32 does not match model.embed_tokens.weight of shape [128, 32]'",
            "hidden_size, 1000000, 'vocab_size 128 x hidden_size 1000000 does not match model.embed_tokens.weight'",
            "intermediate_size, 4096, 'size mismatch for model.layers.0.mlp.gate_proj.weight'"})
    void implausibleSizesAreOneShortLine(String key, long value, String message) throws Exception {
        Path model = temp.resolve("model");
        Files.createDirectories(model);
        Path source = TransformersFixturesTest.fixtures().resolve("llama-llama3-rope");
        Files.copy(source.resolve("model.safetensors"), model.resolve("model.safetensors"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(source.resolve("config.json").toFile());
        config.put(key, value);
        json.writeValue(model.resolve("config.json").toFile(), config);
        assertThatThrownBy(() -> Checkpoint.open(model).close())
                .isInstanceOf(ModelConfigException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("\n")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage().length()).isLessThan(1200));
    }
}
