package io.svdwb.engine.compress.duo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** §4.6 score; small integers, so the arithmetic is exact and compared exactly. */
class ColumnScoresTest {

    @Test
    void scoreIsColumnResidualNormTimesGramDiagonal() {
        double[][] e = {{1, 0, 2}, {1, 3, 0}};
        double[] s = ColumnScores.scores(e, new double[] {4, 1, 0.5});
        assertThat(s).containsExactly(8, 9, 2);
        int[] order = ColumnScores.descendingOrder(s);
        assertThat(order).containsExactly(1, 0, 2);
        assertThat(ColumnScores.keptColumns(order, 2)).containsExactly(0, 1);
        assertThat(ColumnScores.descendingOrder(new double[] {1, 1, 2})).containsExactly(2, 0, 1);
    }
}
