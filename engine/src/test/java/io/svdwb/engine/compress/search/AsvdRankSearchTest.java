package io.svdwb.engine.compress.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.compress.search.AsvdRankSearch.Counting;
import io.svdwb.engine.compress.search.AsvdRankSearch.Result;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The threshold rule of docs/METHODS.md §4.3 step 3 on synthetic perplexity tables; counts are integers, so exact. */
class AsvdRankSearchTest {

    private static final double[] THREE = {0.4, 0.6, 0.8};

    private static MatrixSpec matrix(int layer, int rows, int cols) {
        return new MatrixSpec(layer, ProjectionKind.Q, ProjectionKind.Q.weightName(layer), rows, cols);
    }

    private static SensitivityTable table(List<MatrixSpec> matrices, double[] ratios, double[][] ppl) {
        long[][] stored = new long[matrices.size()][ratios.length];
        for (int j = 0; j < matrices.size(); j++) {
            for (int i = 0; i < ratios.length; i++) {
                stored[j][i] = StoredParameters.at(matrices.get(j), ratios[i]);
            }
        }
        return new SensitivityTable(matrices, ratios, ppl, stored);
    }

    /**
     * A: 10 x 10 (k(p) = floor(5p): stores 40, 60, 80 at p = .4, .6, .8), B: 10 x 30 (k = floor(7.5p): 120, 160, 240).
     * Sorted: (A,.4,30) (B,.4,20) (B,.6,15) (A,.6,12) (A,.8,11) (B,.8,10.5). Kept parameters of the suffix from
     * t = 6..0: 400, 340, 320, 300, 220, 180, 160 out of 400.
     */
    private static final SensitivityTable HAND = table(List.of(matrix(0, 10, 10), matrix(1, 10, 30)), THREE,
            new double[][] {{30, 12, 11}, {20, 15, 10.5}});

    @Test
    void handWorkedCase() {
        Result r80 = AsvdRankSearch.allocate(HAND, 0.80, 0.002, Counting.STORED);
        assertThat(r80.keptRatios()).containsExactly(0.8, 0.8);
        assertThat(r80.keptParameters()).isEqualTo(320);
        assertThat(r80.threshold()).isEqualTo(4);

        Result r78 = AsvdRankSearch.allocate(HAND, 0.78, 0.002, Counting.STORED);
        assertThat(r78.keptRatios()).containsExactly(0.6, 0.8);
        assertThat(r78.keptParameters()).isEqualTo(300);

        assertThat(AsvdRankSearch.allocate(HAND, 0.70, 0.002, Counting.STORED).keptRatios()).containsExactly(0.6, 0.6);
        assertThat(AsvdRankSearch.allocate(HAND, 0.45, 0.0, Counting.STORED).keptParameters()).isEqualTo(180);
        assertThat(AsvdRankSearch.allocate(HAND, 1.0, 0.0, Counting.STORED).keptRatios()).containsExactly(1.0, 1.0);
    }

    @Test
    void nominalCountingReproducesTheReferenceRatio() {
        // budget 220: stored counting fits (A,.6)+(B,.6) = 60+160; nominal counts B at .6 as 180 -> 240 > 220, so t = 1
        assertThat(AsvdRankSearch.allocate(HAND, 0.55, 0.0, Counting.STORED).keptRatios()).containsExactly(0.6, 0.6);
        Result nominal = AsvdRankSearch.allocate(HAND, 0.55, 0.0, Counting.NOMINAL);
        assertThat(nominal.keptRatios()).containsExactly(0.6, 0.4);
        assertThat(nominal.keptParameters()).isEqualTo(60 + 120);
    }

    @Test
    void anUnreachableTargetIsRefusedWithTheReachableFraction() {
        assertThatThrownBy(() -> AsvdRankSearch.allocate(HAND, 0.30, 0.002, Counting.STORED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.4000").hasMessageContaining("0.1..0.9");
    }

    @Test
    void randomTablesMatchTheDefinitionAndNeverExceedTheBudget() {
        Random rng = new Random(11L);
        for (int trial = 0; trial < 400; trial++) {
            SensitivityTable t = randomTable(rng);
            double target = 0.05 + 0.95 * rng.nextDouble();
            int expected = largestFeasibleThreshold(t, target + AsvdRankSearch.DEFAULT_TOLERANCE);
            if (expected < 0) {
                assertThatThrownBy(() -> AsvdRankSearch.allocate(t, target, AsvdRankSearch.DEFAULT_TOLERANCE, Counting.STORED))
                        .isInstanceOf(IllegalArgumentException.class);
                continue;
            }
            Result r = AsvdRankSearch.allocate(t, target, AsvdRankSearch.DEFAULT_TOLERANCE, Counting.STORED);
            assertThat(r.keptParameters()).isLessThanOrEqualTo((long) Math.floor((target + 0.002) * t.originalParameters()));
            assertThat(r.threshold()).isEqualTo(expected);
            assertThat(r.keptRatios()).containsExactly(choiceAt(t, expected));
        }
    }

    @Test
    void aLowerTargetNeverKeepsMoreParameters() {
        Random rng = new Random(12L);
        for (int trial = 0; trial < 100; trial++) {
            SensitivityTable t = randomTable(rng);
            long previous = -1;
            for (double target = 0.05; target <= 1.0; target += 0.01) {
                Result r;
                try {
                    r = AsvdRankSearch.allocate(t, target, 0.0, Counting.STORED);
                } catch (IllegalArgumentException unreachable) {
                    assertThat(previous).as("reachable at a lower target, unreachable at a higher one").isEqualTo(-1);
                    continue;
                }
                assertThat(r.keptParameters()).isGreaterThanOrEqualTo(previous);
                previous = r.keptParameters();
            }
        }
    }

    private static SensitivityTable randomTable(Random rng) {
        double[] ratios = rng.nextBoolean() ? AsvdRankSearch.DEFAULT_CANDIDATES : AsvdRankSearch.HIGH_RATIO_CANDIDATES;
        int nm = 1 + rng.nextInt(8);
        List<MatrixSpec> matrices = new ArrayList<>();
        double[][] ppl = new double[nm][ratios.length];
        for (int j = 0; j < nm; j++) {
            matrices.add(matrix(j, 4 + rng.nextInt(300), 4 + rng.nextInt(300)));
            for (int i = 0; i < ratios.length; i++) {
                ppl[j][i] = rng.nextInt(20) == 0 ? Double.NaN : 5 + rng.nextInt(40) + (rng.nextBoolean() ? 0.5 : 0);
            }
        }
        return table(matrices, ratios, ppl);
    }

    /** The sorted (j, i) list written out independently: NaN first, then ppl descending, ties in table order. */
    private static List<int[]> sortedEntries(SensitivityTable t) {
        List<int[]> entries = new ArrayList<>();
        for (int j = 0; j < t.matrices().size(); j++) {
            for (int i = 0; i < t.keptRatios().length; i++) {
                entries.add(new int[] {j, i});
            }
        }
        entries.sort((a, b) -> {
            double pa = t.value(a[0], a[1]);
            double pb = t.value(b[0], b[1]);
            if (Double.isNaN(pa) != Double.isNaN(pb)) {
                return Double.isNaN(pa) ? -1 : 1;
            }
            if (!Double.isNaN(pa) && pa != pb) {
                return pa > pb ? -1 : 1;
            }
            return a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
        });
        return entries;
    }

    /** Each matrix's smallest p among entries t.. of the sorted list, 1.0 if none. */
    private static double[] choiceAt(SensitivityTable t, int threshold) {
        double[] kept = new double[t.matrices().size()];
        Arrays.fill(kept, 1.0);
        List<int[]> entries = sortedEntries(t);
        for (int[] e : entries.subList(threshold, entries.size())) {
            kept[e[0]] = Math.min(kept[e[0]], t.keptRatios()[e[1]]);
        }
        return kept;
    }

    private static int largestFeasibleThreshold(SensitivityTable t, double fraction) {
        int n = t.matrices().size() * t.keptRatios().length;
        for (int threshold = n; threshold >= 0; threshold--) {
            double[] kept = choiceAt(t, threshold);
            long stored = 0;
            for (int j = 0; j < kept.length; j++) {
                stored += StoredParameters.at(t.matrices().get(j), kept[j]);
            }
            if (stored <= fraction * t.originalParameters()) {
                return threshold;
            }
        }
        return -1;
    }
}
