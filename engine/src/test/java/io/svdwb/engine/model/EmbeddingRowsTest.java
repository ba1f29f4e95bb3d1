package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.linalg.LinearAlgebra;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An untied embedding is read row by row as tokens need it, a tied one from the output projection's table: either way a
 * looked-up row is exactly the stored row (the reference here is the whole tensor read at once), and a NaN in a row a
 * run uses is refused by tensor and row.
 */
class EmbeddingRowsTest {

    @TempDir
    Path tmp;

    private static final int[][] WINDOWS = {{1, 5, 9, 13, 1}, {2, 6, 10, 14, 5}};

    @Test
    void looksUpEveryTokenAsTheStoredRowTiedOrNot() throws Exception {
        for (boolean tied : new boolean[] {false, true}) {
            Path dir = TinyCheckpoint.write(tmp.resolve("tied-" + tied), tied, m -> m);
            try (Checkpoint checkpoint = Checkpoint.open(dir)) {
                float[] table = checkpoint.store().readFloats(Checkpoint.EMBED);
                int width = checkpoint.config().hiddenSize();
                LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM);
                for (int pass = 0; pass < 2; pass++) { // the second pass finds the untied rows already read
                    float[] hidden = model.embed(WINDOWS);
                    for (int s = 0; s < WINDOWS.length; s++) {
                        for (int t = 0; t < WINDOWS[s].length; t++) {
                            int token = WINDOWS[s][t];
                            int at = (s * WINDOWS[s].length + t) * width;
                            assertThat(Arrays.copyOfRange(hidden, at, at + width)).as("tied %s, token %d", tied, token)
                                    .containsExactly(Arrays.copyOfRange(table, token * width, (token + 1) * width));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aNanInAnUntiedRowIsRefusedByRowWhenATokenUsesIt() throws Exception {
        // TinyCheckpoint plants the NaN in the middle element of the tensor: vocab 16, so row 8
        Path dir = TinyCheckpoint.write(tmp, false, m -> m, Checkpoint.EMBED);
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
            float[] logits = model.forward(new int[][] {{1, 2, 3}});
            for (float logit : logits) {
                assertThat(Float.isFinite(logit)).isTrue();
            }
            assertThatThrownBy(() -> model.forward(new int[][] {{1, 8}}))
                    .rootCause().isInstanceOf(ModelConfigException.class)
                    .hasMessageContaining("tensor " + Checkpoint.EMBED + " holds 1 non-finite values (NaN or Inf) in row 8");
        }
    }

    @Test
    void aTokenOutsideTheVocabularyIsRefused() throws Exception {
        Path dir = TinyCheckpoint.write(tmp, false, m -> m);
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
            assertThatThrownBy(() -> model.embed(new int[][] {{1, 16}}))
                    .hasMessageContaining("token id 16 is outside the vocabulary of 16");
        }
    }
}
