package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.safetensors.CheckpointFiles;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import io.svdwb.engine.safetensors.TensorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights that are huge but finite: the demo model with its final norm weight times 1e30. Its logits
 * (about 1e30, below float32's 3.4e38) and so every NLL stay finite, but their mean is about 1e30 nats and
 * exp() of it overflows: perplexity Infinity with no non-finite prediction. That must fail with exit code 3
 * (README: non-finite predictions exit 3) and say why, not print Infinity and exit 0.
 */
class NonFinitePerplexityTest {

    @TempDir
    Path temp;

    @Test
    void anInfinitePerplexityFromFiniteLogitsExitsThree() throws Exception {
        Path model = temp.resolve("huge");
        Files.createDirectories(model);
        Path demo = TestData.demoModel();
        for (String file : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
            Files.copy(demo.resolve(file), model.resolve(file));
        }
        SafetensorsWriter writer = SafetensorsWriter.to(model.resolve("model.safetensors"));
        try (TensorStore store = CheckpointFiles.open(demo)) {
            for (String name : store.names()) {
                float[] values = store.readFloats(name);
                if (name.equals(Checkpoint.FINAL_NORM)) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] *= 1e30f;
                    }
                }
                writer.addFloats(name, DType.F32, store.info(name).shape(), values);
            }
            writer.write();
        }
        CliRunner r = CliRunner.run("eval", "--model", model.toString(), "--text", TestData.wikiTestRaw().toString(),
                "--ctx", "64", "--max-tokens", "256", "--no-progress");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.out()).contains("non-finite        0").contains("Infinity");
        assertThat(r.err().strip()).startsWith("error: ").contains("perplexity Infinity is not finite")
                .contains("exp(mean NLL) overflows").doesNotContain("\n");
    }
}
