package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.CpuLinearAlgebra;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.tensor.NdArrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Swapping a projection for a low-rank one, and streaming layers instead of keeping them, must not
 * change the model's function. An exact factorisation W = W·I (rank = in features) gives the same
 * product up to float32 rounding of the extra multiplication by I, which is exact: tolerance 1e-5
 * absolute on logits of size ~10 covers summation-order differences only.
 */
class LinearSwapTest {

    private static final LinearAlgebra LA = new CpuLinearAlgebra();
    private static final int[][] TOKENS = {{1, 410, 13, 410, 64, 410, 461, 414, 430, 285, 413, 368}};
    private static Checkpoint checkpoint;

    @BeforeAll
    static void open() throws Exception {
        checkpoint = Checkpoint.open(TestData.demoModel());
    }

    @AfterAll
    static void close() throws Exception {
        checkpoint.close();
    }

    @Test
    void lowRankLinearComputesABTimesX() {
        INDArray a = NdArrays.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);   // [out 3, r 2]
        INDArray b = NdArrays.fromFloats(new float[] {1, 0, -1, 0, 1, 2}, 2, 3);  // [r 2, in 3]
        INDArray bias = NdArrays.fromFloats(new float[] {0.5f, 0, -0.5f}, 3);
        LowRankLinear linear = new LowRankLinear(a, b, bias, LA);
        float[] y = NdArrays.toFloats(linear.forward(NdArrays.fromFloats(new float[] {1, 1, 1}, 1, 3)));
        // B x = (0, 3); A (0,3) = (6, 12, 18); plus bias
        assertThat(y).containsExactly(6.5f, 12f, 17.5f);
        assertThat(linear.storedWeightParameters()).isEqualTo(12);
        assertThat(linear.rank()).isEqualTo(2);
    }

    @Test
    void exactLowRankReplacementKeepsTheLogits() throws Exception {
        LlamaModel model = new LlamaModel(checkpoint, LA, LlamaModel.Residency.KEEP);
        float[] before = model.forward(TOKENS);
        for (ProjectionKind kind : ProjectionKind.values()) {
            DenseLinear dense = model.loadDense(2, kind);
            INDArray identity = Nd4j.eye(dense.inFeatures()).castTo(DataType.FLOAT);
            model.replaceProjection(2, kind, new LowRankLinear(dense.weight(), identity, dense.bias(), LA));
        }
        assertThat(model.layer(2).projection(ProjectionKind.DOWN)).isInstanceOf(LowRankLinear.class);
        float[] after = model.forward(TOKENS);
        assertThat(after).containsExactly(before, within(1e-5f));
        model.clearReplacements();
        assertThat(model.layer(2).projection(ProjectionKind.DOWN)).isInstanceOf(DenseLinear.class);
    }

    @Test
    void streamingLayersGivesTheSameLogitsAsKeepingThem() {
        float[] kept = new LlamaModel(checkpoint, LA, LlamaModel.Residency.KEEP).forward(TOKENS);
        float[] streamed = new LlamaModel(checkpoint, LA, LlamaModel.Residency.STREAM).forward(TOKENS);
        assertThat(streamed).containsExactly(kept);
    }

    @Test
    void aReplacementOfTheWrongShapeIsRefused() {
        LlamaModel model = new LlamaModel(checkpoint, LA, LlamaModel.Residency.KEEP);
        INDArray w = Nd4j.zeros(DataType.FLOAT, 64, 64);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> model.replaceProjection(0, ProjectionKind.K, new DenseLinear(w, null, LA)))
                .hasMessageContaining("model.layers.0.self_attn.k_proj").hasMessageContaining("64 -> 32");
    }
}
