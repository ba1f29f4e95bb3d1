package io.svdwb.engine.compress.duo;

import static io.svdwb.engine.compress.duo.DuoTestMatrices.LA;
import static io.svdwb.engine.compress.duo.DuoTestMatrices.frobenius;
import static io.svdwb.engine.compress.duo.DuoTestMatrices.gaussian;
import static io.svdwb.engine.compress.duo.DuoTestMatrices.outputError;
import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.kernels.WhitenedSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * docs/METHODS.md §4.6 step 4 on problems whose answer is known by construction.
 *
 * <p>Tolerance for the loss identity: 1e-8 relative to the loss itself, in double. In the planted problem
 * the loss is ~3e-3 of ‖W X‖_F (the noise level); the reported loss comes from a backward-stable Cholesky
 * and SVD (error ~ n·u·‖W S‖ ≈ 1e-14 ‖W X‖), the direct one from forming W − W' and one product (same
 * order), so both agree to ~1e-11 relative to the loss (measured: 3e-15). A wrong column set, a permuted
 * gather or a missing term changes the error by O(1).
 */
class ColumnPreservingSvdTest {

    private static final double TOL = 1e-8;
    private static final int M = 60;
    private static final int N = 80;
    private static final int[] PLANTED = {3, 17, 18, 41, 62, 79};
    private static final ColumnPreservingSvd.Options REFERENCE = ColumnPreservingSvd.Options.REFERENCE;

    /**
     * W = rank 10 (singular values about 40 to 100) + noise 0.01, with 6 columns replaced by independent
     * content of entries 2 (column norms about 15, so 6 more directions, each weaker than the rank-10 part's).
     * The plain rank-12 truncation keeps the rank-10 part and 2 of the planted directions and drops 4: e0
     * is the size of 4 planted columns. Trading delta = 2 ranks buys q = round(2·140/50) = 6 columns: all
     * planted columns exact, the rank-10 part exact at kc = 10, only the noise is lost. Trading more drops
     * directions of the rank-10 part, fewer leaves planted ones. The columns' residuals, hence their scores,
     * are large exactly on the planted columns.
     */
    private static DuoTestMatrices.Problem planted() {
        return DuoTestMatrices.Problem.of(DuoTestMatrices.plantColumns(DuoTestMatrices.lowRankPlusNoise(M, N, 10, 1), PLANTED, 2, 7), 9);
    }

    @Test
    void plantedColumnsAreKeptAndTheReportedLossIsTheTrueOutputError() {
        DuoTestMatrices.Problem p = planted();
        ColumnPreservingFactors f = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 12, REFERENCE, "L0.q");

        assertThat(f.delta()).isEqualTo(2);
        assertThat(f.keptColumns()).containsExactly(PLANTED);
        assertThat(f.keptColumns()).isSorted();
        assertThat(f.kc()).isEqualTo(12 - f.delta());
        double direct = outputError(p.w(), f.denseEquivalent(LA), p.x());
        assertThat(Math.abs(direct - f.loss()) / f.loss()).isLessThan(TOL);
        // e0 is the plain rank-12 whitened truncation's error, measured directly too
        LowRankFactors plain = WhitenedSvd.decompose(LA, p.w(), LA.cholesky(p.h()), "L0.q").truncate(12);
        assertThat(Math.abs(outputError(p.w(), plain.product(LA), p.x()) - f.e0()) / f.e0()).isLessThan(TOL);
        assertThat(direct).isLessThan(0.99 * f.e0());
        // the kept columns are W's own, bit for bit
        for (int c = 0; c < f.q(); c++) {
            int col = f.keptColumns()[c];
            assertThat(f.keptWeight().getColumn(c).toDoubleVector()).containsExactly(p.w().getColumn(col).toDoubleVector());
        }
    }

    @Test
    void aLowRankMatrixWithoutSpecialColumnsGetsExactlyTheSvdLlmTruncation() {
        // a steeply decaying spectrum spread over all columns: every traded rank costs more than q columns recover
        INDArray w = DuoTestMatrices.lowRankPlusNoise(M, N, 30, 21);
        DuoTestMatrices.Problem p = DuoTestMatrices.Problem.of(w, 23);
        ColumnPreservingFactors f = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 12, REFERENCE, "L1.k");

        assertThat(f.delta()).isZero();
        assertThat(f.q()).isZero();
        assertThat(f.restColumns()).hasSize(N);
        assertThat(f.loss()).isEqualTo(f.e0());
        INDArray svdLlm = WhitenedSvd.decompose(LA, p.w(), Whitening.factor(LA, p.h(), "L1.k", Whitening.Options.DUO_SVD).factor(), "L1.k")
                .truncate(12).product(LA);
        assertThat(frobenius(f.lowRank().product(LA).sub(svdLlm)) / frobenius(svdLlm)).isLessThan(1e-12);
        assertThat(frobenius(f.denseEquivalent(LA).sub(svdLlm)) / frobenius(svdLlm)).isLessThan(1e-12);
        assertThat(f.stored()).isEqualTo(12L * (M + N));
    }

    /** The 1 % rule: a gain equal to the threshold is refused, a gain just above it accepted. */
    @Test
    void aSplitIsAcceptedOnlyIfItGainsMoreThanTheThreshold() {
        DuoTestMatrices.Problem p = planted();
        ColumnPreservingFactors accepted = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 12, REFERENCE, "L0.q");
        double gain = accepted.relativeGain();
        assertThat(gain).isGreaterThan(0.01);

        ColumnPreservingFactors refused = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 12, REFERENCE.withAcceptanceThreshold(gain), "L0.q");
        assertThat(refused.delta()).isZero();
        assertThat(refused.loss()).isEqualTo(refused.e0());
        ColumnPreservingFactors justBelow = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 12,
                REFERENCE.withAcceptanceThreshold(gain * (1 - 1e-9)), "L0.q");
        assertThat(justBelow.delta()).isEqualTo(accepted.delta());
    }

    /** W' reproduces W on the kept columns and A B on the rest, in the right places. */
    @Test
    void denseEquivalentPlacesBothPartsInTheirColumns() {
        DuoTestMatrices.Problem p = planted();
        ColumnPreservingFactors f = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 12, REFERENCE, "L0.q");
        INDArray dense = f.denseEquivalent(LA);
        INDArray product = f.lowRank().product(LA);
        int[] rest = f.restColumns();
        for (int j = 0; j < rest.length; j++) {
            assertThat(dense.getColumn(rest[j]).toDoubleVector()).containsExactly(product.getColumn(j).toDoubleVector());
        }
        for (int col : f.keptColumns()) {
            assertThat(dense.getColumn(col).toDoubleVector()).containsExactly(p.w().getColumn(col).toDoubleVector());
        }
    }

    /** The scanned final bracket can only do as well or better than the reference's two interior points. */
    @Test
    void scanningTheFinalBracketNeverWorsensTheLoss() {
        DuoTestMatrices.Problem p = planted();
        ColumnPreservingFactors reference = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 20, REFERENCE, "L0.q");
        ColumnPreservingFactors scanned = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 20, REFERENCE.withScanFinalBracket(true), "L0.q");
        assertThat(scanned.loss()).isLessThanOrEqualTo(reference.loss() * (1 + 1e-12));
        double direct = outputError(p.w(), scanned.denseEquivalent(LA), p.x());
        assertThat(Math.abs(direct - scanned.loss()) / scanned.loss()).isLessThan(TOL);
    }

    @Test
    void storedNumbersMatchTheArraysAndTheIdentity() {
        DuoTestMatrices.Problem p = planted();
        ColumnPreservingFactors f = ColumnPreservingSvd.decompose(LA, p.w(), p.h(), 12, REFERENCE, "L0.q");
        long arrays = f.lowRank().a().length() + f.lowRank().b().length() + f.keptWeight().length();
        assertThat(f.stored()).isEqualTo(arrays)
                .isEqualTo((long) f.kc() * (M + N - f.q()) + (long) M * f.q());
        assertThat(Arrays.stream(f.restColumns()).noneMatch(r -> Arrays.stream(f.keptColumns()).anyMatch(c -> c == r))).isTrue();
    }
}
