package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.tensor.NdArrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A streamed layer's released weights are reused for the next tensors of the same shape (ND4J's fill of a new array
 * was half of a 7B layer's load), and what the next load returns is exactly that tensor: never another's values,
 * never one array handed out twice.
 */
class WeightPoolTest {

    @Test
    void aReleasedWeightIsReusedOnceAndHoldsTheNextTensorExactly() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel())) {
            LlamaModel streamed = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM);
            DenseLinear first = streamed.loadDense(0, ProjectionKind.Q);
            INDArray memory = first.weight();
            first.release();
            first.release(); // a second release is a no-op: the array must not enter the pool twice

            DenseLinear second = streamed.loadDense(1, ProjectionKind.Q);
            DenseLinear third = streamed.loadDense(2, ProjectionKind.Q);
            assertThat(second.weight()).isSameAs(memory);
            assertThat(third.weight()).isNotSameAs(memory);

            LlamaModel kept = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
            assertThat(NdArrays.toFloats(second.weight())).containsExactly(NdArrays.toFloats(kept.loadDense(1, ProjectionKind.Q).weight()));
            assertThat(NdArrays.toFloats(third.weight())).containsExactly(NdArrays.toFloats(kept.loadDense(2, ProjectionKind.Q).weight()));
            assertThat(NdArrays.toFloats(second.weight())).isNotEqualTo(NdArrays.toFloats(third.weight()));
        }
    }
}
