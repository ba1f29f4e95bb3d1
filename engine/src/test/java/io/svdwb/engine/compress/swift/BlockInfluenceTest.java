package io.svdwb.engine.compress.swift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.progress.ProgressListener;
import org.junit.jupiter.api.Test;

/** docs/METHODS.md §4.10: ShortGPT's Block Influence, Swift-SVD's layer importance. */
class BlockInfluenceTest {

    /** Three tokens: identical (cos 1), orthogonal (cos 0), zero input (the repository's NaN -> 0.5). */
    @Test
    void oneMinusCosinePerTokenWorkedByHand() {
        float[] before = {1, 2, 0, 1, 0, 0, 0, 0, 0};
        float[] after = {2, 4, 0, 0, 3, 0, 1, 1, 1};
        assertThat(BlockInfluence.sumOneMinusCosine(before, after, 3)).isCloseTo(0 + 1 + 0.5, within(1e-15));
    }

    /**
     * The demo model on two fixed windows against transformers (torch float32, forward hooks on each
     * LlamaDecoderLayer's input and output; the script is engine/src/test/resources/swift_block_influence.py). Both sides run the
     * model in float32 with different summation orders; 1e-5 absolute on influences of 0.05-0.5 covers that rounding,
     * and a wrong layer pairing or norm is O(0.1).
     */
    @Test
    void matchesTransformersOnTheDemoModel() throws Exception {
        int[][] windows = windows();
        double[] torch = TORCH_INFLUENCE;
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel())) {
            LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
            double[] together = BlockInfluence.measure(model, windows, 2, 5, ProgressListener.NONE);
            double[] apart = BlockInfluence.measure(model, windows, 1, 5, ProgressListener.NONE);
            for (int layer = 0; layer < 5; layer++) {
                assertThat(together[layer]).as("layer %d", layer).isCloseTo(torch[layer], within(1e-5));
                // batching changes only how the float32 products are blocked: each token's cosine moves by float
                // rounding (1e-7 relative), far below 1e-7 absolute on the mean (observed 3e-11)
                assertThat(apart[layer]).isCloseTo(together[layer], within(1e-7));
            }
        }
    }

    /** Two windows of 48 tokens: {@code (37 t + 11 w + 5) mod 511 + 1}, as the torch script builds them. */
    static int[][] windows() {
        int[][] windows = new int[2][48];
        for (int w = 0; w < 2; w++) {
            for (int t = 0; t < 48; t++) {
                windows[w][t] = (37 * t + 11 * w + 5) % 511 + 1;
            }
        }
        return windows;
    }

    /** Printed by the torch script (transformers, float32 forward, double cosines). */
    private static final double[] TORCH_INFLUENCE = {0.5896746740, 0.1229115123, 0.1219047418, 0.0987009878, 0.0579934122};
}
