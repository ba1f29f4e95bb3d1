package io.svdwb.engine.compress.duo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** §2.4/§4.6 exchange and golden-section search. */
class ColumnExchangeTest {

    @Test
    void floorSplitNeverExceedsTheRankBudget() {
        Random rng = new Random(11L);
        for (int t = 0; t < 20000; t++) {
            int m = 1 + rng.nextInt(200);
            int n = 1 + rng.nextInt(200);
            int k = rng.nextInt(Math.max(1, m * n / (m + n)) + 1);
            int delta = rng.nextInt(k + 1);
            ColumnExchange.Split s = ColumnExchange.split(m, n, k, delta, ColumnExchange.Rounding.FLOOR);
            if (s == null) {
                continue;
            }
            assertThat(ColumnExchange.stored(m, n, s.kc(), s.q())).isLessThanOrEqualTo((long) k * (m + n));
            assertThat(s.q()).isBetween(0, n - s.kc());
        }
    }

    @Test
    void goldenSectionFindsKnownMinimaToItsTolerance() {
        double tol = 1e-8; // the final bracket is below tol, so |x - x*| < tol
        assertThat(GoldenSection.minimize(x -> (x - 0.3) * (x - 0.3), 0, 1, tol, 200)).isCloseTo(0.3, within(tol));
        assertThat(GoldenSection.minimize(x -> Math.abs(x - 0.71), 0, 1, tol, 200)).isCloseTo(0.71, within(tol));
    }

    @Test
    void integerSearchFindsUnimodalMinimumWithinBracketWidth() {
        for (int target = 1; target < 100; target++) {
            int tt = target;
            int d = GoldenSection.searchDelta(x -> Math.abs(x - tt), 100, 1000, 3, 100, true);
            assertThat(d).isEqualTo(target); // final bracket scanned: exact integer minimiser
        }
        assertThat(GoldenSection.searchDelta(x -> 5.0 + x, 100, 5.0, 3, 100, false)).isZero(); // no gain: delta 0
    }
}
