package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.tensor.NdArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Factors written to disk and read back are the same floats, so the projection gives the same outputs bit for bit. */
class SpilledLowRankLinearTest {

    @TempDir
    Path tmp;

    @Test
    void spilledFactorsReadBackBitForBitAndProjectIdentically() throws Exception {
        Nd4j.getRandom().setSeed(7);
        INDArray a = Nd4j.rand(DataType.FLOAT, 11, 3).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 3, 5).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, 11);
        LowRankLinear inMemory = new LowRankLinear(a, b, bias, LinearAlgebra.cpu());
        Path file = tmp.resolve("q_proj.f32");
        SpilledLowRankLinear spilled = SpilledLowRankLinear.spill(inMemory, file);

        assertThat(Files.size(file)).isEqualTo((11L * 3 + 3L * 5) * Float.BYTES);
        assertThat(spilled.rank()).isEqualTo(3);
        assertThat(spilled.inFeatures()).isEqualTo(5);
        assertThat(spilled.outFeatures()).isEqualTo(11);
        assertThat(spilled.storedWeightParameters()).isEqualTo(inMemory.storedWeightParameters());
        assertThat(NdArrays.toFloats(spilled.loadA())).containsExactly(NdArrays.toFloats(a));
        assertThat(NdArrays.toFloats(spilled.loadB())).containsExactly(NdArrays.toFloats(b));

        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 5);
        assertThat(NdArrays.toFloats(spilled.forward(x))).containsExactly(NdArrays.toFloats(inMemory.forward(x)));
    }
}
