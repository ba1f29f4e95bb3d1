package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.linalg.LinearAlgebra;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights checked against config.json as transformers does: missing, unexpected and size-mismatched tensors. */
class CheckpointValidationTest {

    @TempDir
    Path tmp;

    @Test
    void aConsistentCheckpointOpensAndRuns() throws Exception {
        Path dir = TinyCheckpoint.write(tmp, true, m -> m);
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertThat(c.lmHeadTensor()).isEqualTo(Checkpoint.EMBED);
            assertThat(c.matrices()).hasSize(14);
            float[] logits = new LlamaModel(c, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP).forward(new int[][] {{1, 2, 3}});
            assertThat(logits).hasSize(3 * 16);
            for (float v : logits) {
                assertThat(v).isFinite();
            }
        }
    }

    @Test
    void aMissingTensorIsNamed() throws Exception {
        Path dir = TinyCheckpoint.write(tmp, true, m -> {
            m.remove("model.layers.1.mlp.down_proj.weight");
            return m;
        });
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("missing tensor model.layers.1.mlp.down_proj.weight");
    }

    @Test
    void aShapeMismatchIsReportedLikeTransformers() throws Exception {
        Path dir = TinyCheckpoint.write(tmp, true, m -> {
            m.put("model.layers.0.self_attn.k_proj.weight", new long[] {8, 8});
            return m;
        });
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .hasMessageContaining("size mismatch for model.layers.0.self_attn.k_proj.weight: the checkpoint has shape [8, 8], the config implies [4, 8]");
    }

    @Test
    void unexpectedTensorsAreRefused() throws Exception {
        Path dir = TinyCheckpoint.write(tmp, true, m -> {
            m.put("model.layers.0.extra.weight", new long[] {2});
            return m;
        });
        assertThatThrownBy(() -> Checkpoint.open(dir)).hasMessageContaining("unexpected tensors [model.layers.0.extra.weight]");
    }

    @Test
    void anUntiedModelNeedsItsLmHead() throws Exception {
        Path dir = TinyCheckpoint.write(tmp, false, m -> {
            m.remove(Checkpoint.LM_HEAD);
            return m;
        });
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .hasMessageContaining("missing tensor lm_head.weight and tie_word_embeddings is false");
    }

    @Test
    void anUntiedModelUsesItsOwnLmHead() throws Exception {
        Path dir = TinyCheckpoint.write(tmp, false, m -> m);
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertThat(c.lmHeadTensor()).isEqualTo(Checkpoint.LM_HEAD);
            assertThat(c.totalParameters()).isEqualTo(Checkpoint.expectedTensors(c.config(), true).values().stream()
                    .mapToLong(s -> java.util.Arrays.stream(s).reduce(1, Math::multiplyExact)).sum());
        }
    }

    @Test
    void nanWeightsAreRefusedByName() throws Exception {
        for (String poisoned : new String[] {"model.layers.1.mlp.up_proj.weight", "model.layers.0.input_layernorm.weight",
                Checkpoint.EMBED}) {
            Path dir = TinyCheckpoint.write(tmp.resolve(poisoned), true, m -> m, poisoned);
            try (Checkpoint c = Checkpoint.open(dir)) {
                LlamaModel model = new LlamaModel(c, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
                assertThatThrownBy(() -> model.forward(new int[][] {{1, 2}}))
                        .rootCause().isInstanceOf(ModelConfigException.class)
                        .hasMessageContaining("tensor " + poisoned + " holds 1 non-finite values");
            }
        }
    }

    @Test
    void aTruncatedWeightsFileFailsAtOpen() throws Exception {
        Path dir = TinyCheckpoint.write(tmp, true, m -> m);
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 2));
        assertThatThrownBy(() -> Checkpoint.open(dir)).hasMessageContaining("model.safetensors");
    }
}
