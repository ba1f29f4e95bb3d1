package io.svdwb.engine.compress.kernels;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The finiteness scan runs in parallel chunks but names the first bad element, as a sequential scan would. */
class KernelChecksTest {

    @Test
    void theFirstNonFiniteElementIsNamedEvenWhenALaterChunkFindsOneToo() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1500, 2000); // 3M elements: three 1M chunks
        x.putScalar(1200, 1999, Double.POSITIVE_INFINITY); // element 2,401,999: third chunk
        x.putScalar(900, 7, Double.NaN);                   // element 1,800,007: second chunk, first in order
        assertThatThrownBy(() -> KernelChecks.requireFinite(x, "L3.q", "the weight", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("L3.q: the weight contains a non-finite value (NaN) at (900, 7)");
        assertThatThrownBy(() -> KernelChecks.requireFinite(x.castTo(DataType.FLOAT), "L3.q", "U", true))
                .isInstanceOf(NonFiniteResultException.class).hasMessageContaining("(NaN) at (900, 7)");
    }

    @Test
    void aFiniteMatrixPasses() {
        assertThatCode(() -> KernelChecks.requireFinite(Nd4j.rand(DataType.DOUBLE, 1100, 1000), "L0.o", "the weight", false))
                .doesNotThrowAnyException();
    }
}
