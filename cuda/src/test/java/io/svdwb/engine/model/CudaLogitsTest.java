package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.cuda.FakeCuda;
import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;

/**
 * The output projection goes to the GPU once per model, not once per chunk of logits (the LLaMA-7B head is 524 MB),
 * and the logits are the CPU's to float32 rounding (products of 64 terms: 1e-5 relative to the largest logit).
 */
class CudaLogitsTest {

    @Test
    void theHeadIsUploadedOnceAndTheLogitsAreTheCpus() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel())) {
            LlamaModel gpu = new LlamaModel(checkpoint, FakeCuda.backend(), LlamaModel.Residency.KEEP);
            LlamaModel cpu = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
            int[][] windows = {{1, 5, 9, 13, 200, 7, 3, 44}};
            float[] hidden = cpu.embed(windows);
            int rows = windows[0].length;
            int width = cpu.config().hiddenSize();
            float[] first = gpu.logits(hidden, rows);
            long[] before = FakeCuda.backend().runtime().transfers();
            float[] second = gpu.logits(hidden, rows);
            long[] after = FakeCuda.backend().runtime().transfers();
            assertThat(after[1] - before[1]).as("bytes uploaded by the second call: the rows only").isEqualTo((long) rows * width * 4);
            assertThat(second).containsExactly(first);
            float[] expected = cpu.logits(hidden, rows);
            float largest = 0;
            for (float v : expected) {
                largest = Math.max(largest, Math.abs(v));
            }
            for (int i = 0; i < expected.length; i++) {
                assertThat(Math.abs(first[i] - expected[i])).as("logit %d", i).isLessThanOrEqualTo(1e-5f * largest);
            }
        }
    }
}
