package io.svdwb.engine.compress.duo;

import static io.svdwb.engine.compress.duo.DuoTestMatrices.LA;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Refused inputs: the message names the matrix. */
class ColumnPreservingSvdArgumentsTest {

    private static final ColumnPreservingSvd.Options OPTIONS = ColumnPreservingSvd.Options.REFERENCE;
    private final DuoTestMatrices.Problem p = DuoTestMatrices.Problem.of(DuoTestMatrices.gaussian(20, 30, 1), 2);

    @Test
    void aBudgetBelowOneIsRefused() {
        assertThatThrownBy(() -> ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 0, OPTIONS, "L2.v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2.v").hasMessageContaining("k = 0");
    }

    @Test
    void aBudgetAboveBreakEvenIsRefused() {
        // 20·30/50 = 12: rank 12 stores exactly the dense size, 13 more
        ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 12, OPTIONS, "L2.v");
        assertThatThrownBy(() -> ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 13, OPTIONS, "L2.v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2.v").hasMessageContaining("break-even");
    }

    @Test
    void nonFiniteWeightOrGramIsRefusedWithItsPosition() {
        INDArray w = p.w().dup();
        w.putScalar(3, 4, Double.NaN);
        assertThatThrownBy(() -> ColumnPreservingSvd.decompose(LA, w, p.h(), 5, OPTIONS, "L2.v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2.v: the weight")
                .hasMessageContaining("(3, 4)");
        INDArray h = p.h().dup();
        h.putScalar(7, 7, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> ColumnPreservingSvd.decompose(LA, p.w(), h, 5, OPTIONS, "L2.v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2.v: the Gram matrix H")
                .hasMessageContaining("(7, 7)");
    }

    @Test
    void aGramOfTheWrongSizeOrAMissingLabelIsRefused() {
        assertThatThrownBy(() -> ColumnPreservingSvd.decompose(LA, p.w(), DuoTestMatrices.gaussian(20, 20, 3), 5, OPTIONS, "L2.v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2.v").hasMessageContaining("30 x 30");
        assertThatThrownBy(() -> ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 5, OPTIONS, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
    }
}
