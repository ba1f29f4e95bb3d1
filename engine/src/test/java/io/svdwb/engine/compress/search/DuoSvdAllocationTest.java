package io.svdwb.engine.compress.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Duo-SVD's allocation (docs/METHODS.md §4.6 step 3) on synthetic Delta tables against brute force over every
 * combination. Costs are integers and losses sums of the same doubles, so cost is exact and loss 1e-12.
 */
class DuoSvdAllocationTest {

    @Test
    void candidatesAreTheGridPlusRho0() {
        assertThat(DuoSvdSensitivity.candidates(0.75))
                .containsExactly(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0);
        double rho0 = 1 - 0.2;
        assertThat(DuoSvdSensitivity.candidates(rho0)).hasSize(10).contains(rho0);
        assertThatThrownBy(() -> DuoSvdSensitivity.candidates(1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void allocationEqualsBruteForceOnSmallInstances() {
        Random rng = new Random(21L);
        for (int trial = 0; trial < 60; trial++) {
            double rho0 = 0.2 + 0.7 * rng.nextDouble();
            DuoSvdSensitivity s = randomSensitivity(rng, 1 + rng.nextInt(4), rho0, 40);
            // exact cost axis (one unit per parameter) so the DP's "closest at or below budget" is brute force's
            DuoSvdAllocation.Result r = DuoSvdAllocation.allocate(s, DuoSvdAllocation.MIN_RATIO, Integer.MAX_VALUE - 2);
            double[] best = bruteForce(s.delta(), r.budget(), DuoSvdAllocation.MIN_RATIO);
            assertThat(r.keptParameters()).isEqualTo((long) best[0]).isLessThanOrEqualTo(r.budget());
            assertThat(r.predictedKlIncrease()).isCloseTo(best[1], within(1e-12));
            assertThat(r.budget()).isEqualTo((long) Math.floor(rho0 * s.delta().originalParameters()));
            assertSumsMatch(s.delta(), r);
        }
    }

    @Test
    void theDefaultDiscretisationNeverExceedsTheBudget() {
        Random rng = new Random(22L);
        for (int trial = 0; trial < 40; trial++) {
            DuoSvdSensitivity s = randomSensitivity(rng, 2 + rng.nextInt(30), 0.2 + 0.7 * rng.nextDouble(), 4000);
            DuoSvdAllocation.Result r = DuoSvdAllocation.allocate(s, DuoSvdAllocation.MIN_RATIO, DuoSvdAllocation.MAX_STATES);
            assertThat(r.keptParameters()).isLessThanOrEqualTo(r.budget());
            assertSumsMatch(s.delta(), r);
        }
    }

    @Test
    void ratiosBelowTheMinimumAreNotOffered() {
        DuoSvdSensitivity s = randomSensitivity(new Random(23L), 4, 0.5, 60);
        DuoSvdAllocation.Result r = DuoSvdAllocation.allocate(s, 0.3, Integer.MAX_VALUE - 2);
        assertThat(java.util.Arrays.stream(r.keptRatios()).min().orElseThrow()).isGreaterThanOrEqualTo(0.3);
        double[] best = bruteForce(s.delta(), r.budget(), 0.3);
        assertThat(r.keptParameters()).isEqualTo((long) best[0]);
        assertThat(r.predictedKlIncrease()).isCloseTo(best[1], within(1e-12));
    }

    /** The reported totals are the chosen table entries' sums. */
    private static void assertSumsMatch(SensitivityTable t, DuoSvdAllocation.Result r) {
        long cost = 0;
        double loss = 0;
        double[] ratios = t.keptRatios();
        for (int j = 0; j < r.keptRatios().length; j++) {
            int i = java.util.Arrays.binarySearch(ratios, r.keptRatios()[j]);
            cost += t.stored(j, i);
            loss += t.value(j, i);
        }
        assertThat(r.keptParameters()).isEqualTo(cost);
        assertThat(r.predictedKlIncrease()).isCloseTo(loss, within(1e-9));
    }

    private static DuoSvdSensitivity randomSensitivity(Random rng, int modules, double rho0, int maxDim) {
        double[] ratios = DuoSvdSensitivity.candidates(rho0);
        List<MatrixSpec> specs = new ArrayList<>();
        double[][] delta = new double[modules][ratios.length];
        long[][] stored = new long[modules][ratios.length];
        for (int j = 0; j < modules; j++) {
            MatrixSpec m = new MatrixSpec(j, ProjectionKind.V, ProjectionKind.V.weightName(j),
                    4 + rng.nextInt(maxDim), 4 + rng.nextInt(maxDim));
            specs.add(m);
            for (int i = 0; i < ratios.length; i++) {
                stored[j][i] = StoredParameters.at(m, ratios[i]);
                // roughly decreasing in p like real KL increases, with noise; zero at rho0 by definition
                delta[j][i] = ratios[i] == rho0 ? 0 : (rho0 - ratios[i]) * (1 + rng.nextDouble()) + 0.1 * rng.nextGaussian();
            }
        }
        return new DuoSvdSensitivity(new SensitivityTable(specs, ratios, delta, stored), 1.0, rho0);
    }

    /** {max cost <= budget, min loss at that cost} over every combination of kept ratios >= minRatio. */
    private static double[] bruteForce(SensitivityTable t, long budget, double minRatio) {
        int nm = t.matrices().size();
        int nr = t.keptRatios().length;
        double[] best = null;
        int[] idx = new int[nm];
        while (true) {
            long cost = 0;
            double loss = 0;
            for (int j = 0; j < nm; j++) {
                cost += t.stored(j, idx[j]);
                loss += t.value(j, idx[j]);
            }
            boolean offered = true;
            for (int j = 0; j < nm; j++) {
                offered &= t.keptRatios()[idx[j]] >= minRatio;
            }
            if (offered && cost <= budget && (best == null || cost > best[0] || cost == best[0] && loss < best[1])) {
                best = new double[] {cost, loss};
            }
            int j = 0;
            while (j < nm && ++idx[j] == nr) {
                idx[j++] = 0;
            }
            if (j == nm) {
                return best;
            }
        }
    }
}
