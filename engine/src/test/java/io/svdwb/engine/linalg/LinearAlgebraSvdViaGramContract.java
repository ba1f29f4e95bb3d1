package io.svdwb.engine.linalg;

import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.array;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.frobenius;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.frobeniusOfDifference;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.multiply;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.orthonormalityError;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.transpose;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.values;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.vector;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.withSingularValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link LinearAlgebra#svdViaGram} against matrices built with known singular values (Q1 diag(sigma) Q2ᵀ), which
 * decay over eight orders of magnitude, so both its accurate range and its tail are exercised. Tolerances follow the
 * error analysis in {@code GramSvd}: the Gram's eigenvalues carry an absolute error of about n eps sigma_1^2, so
 * sigma_i's relative error is bounded by C n eps (sigma_1 / sigma_i)^2 with C = 10 as safety; products that do not
 * divide by sigma (the full reconstruction, V's orthonormality) are at the plain C n eps level.
 */
abstract class LinearAlgebraSvdViaGramContract {

    /** The backend under test. */
    protected abstract LinearAlgebra linearAlgebra();


    private static final double EPS = 0x1p-52;
    private static final double SAFETY = 10;
    private final LinearAlgebra la = linearAlgebra();

    /** sigma_i = 10^(-8 i / (k - 1)): from 1 down to 1e-8. */
    private static double[] decaying(int k) {
        double[] sigma = new double[k];
        for (int i = 0; i < k; i++) {
            sigma[i] = Math.pow(10, -8.0 * i / (k - 1));
        }
        return sigma;
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"300, 120", "120, 300", "150, 150"})
    void matchesTheKnownSpectrumWhereTheErrorBoundSaysItMust(int m, int n) {
        int k = Math.min(m, n);
        double[] sigma = decaying(k);
        double[][] a = withSingularValues(m, n, sigma, new Random(7L + m));
        SvdResult svd = la.svdViaGram(array(a, DataType.DOUBLE));
        double[] s = vector(svd.s());
        double order = Math.max(m, n);
        for (int i = 0; i < k; i++) {
            double ratio = sigma[0] / sigma[i];
            double bound = SAFETY * order * EPS * ratio * ratio;
            if (bound < 1e-3) { // where the bound says anything: down to about sigma_1 / 1e5 here
                assertThat(Math.abs(s[i] - sigma[i]) / sigma[i]).as("sigma_%d = %g", i, sigma[i]).isLessThan(bound);
            }
        }
        double[][] u = values(svd.u());
        double[][] vt = values(svd.vt());
        // every component's u_i sigma_i = A v_i is exact, so the full rank reproduces A to rounding
        assertThat(frobeniusOfDifference(reconstruct(u, s, vt, k), a) / frobenius(a)).isLessThan(SAFETY * order * EPS);
        // the eigenvector side is orthonormal to rounding
        double[][] eigenSide = m >= n ? transpose(vt) : u;
        assertThat(orthonormalityError(eigenSide)).isLessThan(SAFETY * order * EPS);
        // the divided side is orthonormal among the components a thousandth of sigma_1 or larger
        int accurate = countAtLeast(sigma, 1e-3);
        double[][] dividedSide = m >= n ? leadingColumns(u, accurate) : leadingColumns(transpose(vt), accurate);
        assertThat(orthonormalityError(dividedSide)).isLessThan(SAFETY * order * EPS * 1e6);
    }

    @Test
    void truncationIsTheEckartYoungOptimumInTheAccurateRange() {
        int m = 260;
        int n = 100;
        double[] sigma = decaying(n);
        double[][] a = withSingularValues(m, n, sigma, new Random(11));
        SvdResult svd = la.svdViaGram(array(a, DataType.DOUBLE));
        double[] s = vector(svd.s());
        double[][] u = values(svd.u());
        double[][] vt = values(svd.vt());
        for (int k : new int[] {1, 10, 30}) {
            double optimal = 0;
            for (int i = k; i < n; i++) {
                optimal += sigma[i] * sigma[i];
            }
            optimal = Math.sqrt(optimal);
            double error = frobeniusOfDifference(reconstruct(u, s, vt, k), a);
            // the tolerance: sigma_k's relative error bound from the class comment, relative to the optimum
            double ratio = sigma[0] / sigma[k - 1];
            assertThat(Math.abs(error - optimal) / optimal).as("rank %d", k)
                    .isLessThan(Math.max(1e-10, SAFETY * m * EPS * ratio * ratio));
        }
    }

    @Test
    void zeroSingularValuesGiveZeroColumnsNotNaN() {
        double[] sigma = {3, 2, 1, 0, 0};
        double[][] a = withSingularValues(40, 5, sigma, new Random(3));
        SvdResult svd = la.svdViaGram(array(a, DataType.DOUBLE));
        double[] s = vector(svd.s());
        assertThat(Arrays.stream(s).allMatch(Double::isFinite)).isTrue();
        assertThat(Arrays.stream(values(svd.u())).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite)).isTrue();
        assertThat(s[0]).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-12));
        // the last two are at rounding level: sqrt(n eps) sigma_1 at most
        assertThat(s[4]).isLessThan(Math.sqrt(SAFETY * 40 * EPS) * 3);
        assertThat(frobeniusOfDifference(reconstruct(values(svd.u()), s, values(svd.vt()), 5), a))
                .isLessThan(SAFETY * 40 * EPS * 3);
    }

    @Test
    void refusesFloatMatrices() {
        assertThatThrownBy(() -> la.svdViaGram(array(new double[][] {{1, 2}, {3, 4}}, DataType.FLOAT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DOUBLE");
    }

    private static int countAtLeast(double[] sigma, double fractionOfLargest) {
        return (int) Arrays.stream(sigma).filter(x -> x >= fractionOfLargest * sigma[0]).count();
    }

    private static double[][] leadingColumns(double[][] x, int k) {
        double[][] r = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            r[i] = Arrays.copyOf(x[i], k);
        }
        return r;
    }

    private static double[][] reconstruct(double[][] u, double[] s, double[][] vt, int k) {
        double[][] us = new double[u.length][k];
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < k; j++) {
                us[i][j] = u[i][j] * s[j];
            }
        }
        double[][] vk = Arrays.copyOf(vt, k);
        return multiply(us, vk);
    }
}
