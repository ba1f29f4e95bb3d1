package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SparsityTermTest {

    @Test
    void meanAbsoluteScoreAndItsSubgradient() {
        SparsityTerm.Value v = SparsityTerm.evaluate(new double[] {2, -1, 0, 0.5});
        assertEquals(3.5 / 4, v.loss(), 1e-15);
        assertArrayEquals(new double[] {0.25, -0.25, 0, 0.25}, v.gradient(), 1e-15);
    }
}
