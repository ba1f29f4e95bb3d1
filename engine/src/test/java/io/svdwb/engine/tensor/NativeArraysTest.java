package io.svdwb.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arrays over malloc'd memory start on a cache line, behave as ND4J's own in ND4J's operations, and free() releases
 * only what it owns.
 */
class NativeArraysTest {

    @Test
    void anArrayOverMallocdMemoryHoldsWhatIsWrittenAndMultipliesAsNd4jsOwn() {
        long rows = 3;
        long cols = 4;
        INDArray ours = NativeArrays.uninitializedFloat(rows, cols);
        float[] values = new float[(int) (rows * cols)];
        for (int i = 0; i < values.length; i++) {
            values[i] = i - 5.5f;
        }
        ((org.bytedeco.javacpp.FloatPointer) ours.data().addressPointer()).put(values, 0, values.length);
        INDArray theirs = Nd4j.create(values, new long[] {rows, cols}, 'c');

        assertThat(ours.shape()).containsExactly(rows, cols);
        assertThat(ours.data().address() % 64).as("starts on a cache line").isZero();
        assertThat(ours.ordering()).isEqualTo('c');
        assertThat(ours.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(ours.getFloat(2, 1)).isEqualTo(values[2 * 4 + 1]); // row-major: element (2, 1) is 9
        // small integers: exact in float32, so the products must be equal, not close
        assertThat(NdArrays.toFloats(ours.mmul(ours.transpose()))).containsExactly(NdArrays.toFloats(theirs.mmul(theirs.transpose())));
        assertThat(NativeArrays.isOwned(ours)).isTrue();
        assertThat(NativeArrays.isOwned(theirs)).isFalse();

        NativeArrays.free(ours);
        NativeArrays.free(theirs);
        assertThat(ours.wasClosed()).isTrue();
        assertThat(theirs.wasClosed()).isTrue();
    }

    @Test
    void anEmptyShapeIsAllowed() {
        INDArray empty = NativeArrays.uninitializedFloat(0, 5);
        assertThat(empty.length()).isZero();
        NativeArrays.free(empty);
    }
}
