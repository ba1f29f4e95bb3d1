package io.svdwb.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reads the embedded demo model (stories260K), a real file written by the Hugging Face tooling chain. */
class SafetensorsRealModelTest {

    private static Path model() {
        return Path.of(System.getProperty("svdwb.root", "."), "resources/models/stories260K/model.safetensors");
    }

    @Test
    void stories260kHas48TensorsAnd292800Elements() throws IOException {
        Path file = model();
        assumeTrue(Files.isRegularFile(file), "demo model not present at " + file);
        // Independent count from the architecture: hidden 64, vocab 512, 5 layers, 4 KV heads of 8, MLP 172.
        long embed = 512 * 64;
        long lmHead = 512 * 64;
        long perLayer = 64 * 64 + 32 * 64 + 32 * 64 + 64 * 64 + 172 * 64 + 172 * 64 + 64 * 172 + 64 + 64;
        long expected = embed + lmHead + 5 * perLayer + 64;
        assertThat(expected).isEqualTo(292_800);

        try (TensorStore store = CheckpointFiles.open(file.getParent())) {
            assertThat(store.names()).hasSize(48);
            long total = 0;
            for (String name : store.names()) {
                total += store.info(name).elementCount();
            }
            assertThat(total).isEqualTo(expected);
            assertThat(store.metadata()).containsEntry("format", "pt");
            float[] embedding = store.readFloats("model.embed_tokens.weight");
            assertThat(embedding).hasSize(512 * 64);
            assertThat(store.info("model.layers.4.mlp.down_proj.weight").shape()).containsExactly(64, 172);
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.warnings()).isEmpty();
        }
    }
}
