package io.svdwb.engine.compress.duo;

import static io.svdwb.engine.compress.duo.DuoTestMatrices.LA;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The storage bound over many random shapes and budgets (docs/METHODS.md §2.4 budget identity):
 * {@code stored - k (m+n) = (q - delta (m+n)/(m-kc)) (m - kc)}, so what {@link ColumnExchange} guarantees is
 * exactly: FLOOR never exceeds {@code k (m+n)}; ROUND exceeds it by at most half a column,
 * {@code (m - kc) / 2} (q is within 1/2 of the exact quotient). Both are asserted in integers.
 */
class ColumnPreservingBudgetTest {

    @ParameterizedTest
    @EnumSource(ColumnExchange.Rounding.class)
    void storedNeverExceedsTheBudgetBeyondWhatTheRoundingAllows(ColumnExchange.Rounding rounding) {
        Random rng = new Random(5L);
        ColumnPreservingSvd.Options options = ColumnPreservingSvd.Options.REFERENCE.withRounding(rounding);
        int split = 0;
        for (int t = 0; t < 40; t++) {
            int m = 4 + rng.nextInt(37);
            int n = 4 + rng.nextInt(37);
            int breakEven = m * n / (m + n);
            int k = 1 + rng.nextInt(breakEven);
            // a few heavy columns in half of the cases, so that many budgets really are split
            INDArray w = DuoTestMatrices.lowRankPlusNoise(m, n, Math.max(1, Math.min(m, n) / 4), 100 + t);
            if (t % 2 == 0) {
                w = DuoTestMatrices.plantColumns(w, new int[] {0, n / 2, n - 1}, 2, 200 + t);
            }
            DuoTestMatrices.Problem p = DuoTestMatrices.Problem.of(w, 300 + t);
            ColumnPreservingFactors f = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), k, options, "T" + t);

            long budget = (long) k * (m + n);
            String where = "m=" + m + " n=" + n + " k=" + k + " kc=" + f.kc() + " q=" + f.q();
            if (rounding == ColumnExchange.Rounding.FLOOR) {
                assertThat(f.stored()).as(where).isLessThanOrEqualTo(budget);
            } else {
                assertThat(2 * f.stored()).as(where).isLessThanOrEqualTo(2 * budget + (m - f.kc()));
            }
            assertThat(f.stored()).as(where).isEqualTo(f.lowRank().a().length() + f.lowRank().b().length() + f.keptWeight().length());
            assertThat(f.kc()).as(where).isBetween(1, k);
            assertThat(f.q()).as(where).isBetween(0, n - f.kc());
            if (f.delta() > 0) {
                split++;
            }
        }
        assertThat(split).as("budgets that were really split").isGreaterThanOrEqualTo(5);
    }
}
