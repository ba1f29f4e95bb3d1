package io.svdwb.engine.linalg;

import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.array;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.descending;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.ejmlSingularValues;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.frobenius;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.frobeniusOfDifference;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.identity;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.maxAbsDifference;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.multiply;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.orthonormalityError;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.random;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.scale;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.transpose;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.unitRoundoff;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.values;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.vector;
import static io.svdwb.engine.linalg.LinearAlgebraTestMatrices.withSingularValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Contract of {@link LinearAlgebra#svd} and {@link LinearAlgebra#singularValues}, in the style of
 * EJML's StandardSvdChecks, for one implementation and one data type. Raw U and V are never compared
 * (their signs are free); only invariants and singular values are.
 *
 * <p>Tolerance: every check uses {@code tol = SAFETY · u · max(m, n)} with u the unit roundoff of the
 * type (2^-24 float, 2^-53 double). Householder bidiagonalisation plus divide and conquer is backward
 * stable with an error growing at most linearly in the dimension (in practice ~sqrt), so
 * ‖A − UΣVᵀ‖ ≤ tol·‖A‖, ‖UᵀU − I‖ ≤ tol, and by Weyl |σ_i − σ_i,ref| ≤ tol·σ_max. SAFETY = 20 leaves
 * about a factor 9 over the worst error measured here (orthogonality of double 30 x 20: 2.3
 * u·max(m,n); reconstruction and σ stay below 1.2; see -Dlinalg.report=true), so a
 * genuinely wrong result (an order or sign bug is O(1)) can never pass. For float that is 1.2e-6 per
 * unit of dimension (3.6e-4 at 300 x 300), for double 2.2e-15 (6.7e-13 at 300).
 */
abstract class LinearAlgebraSvdContract {

    private static final double SAFETY = 20;

    protected abstract LinearAlgebra linearAlgebra();

    protected abstract DataType type();

    private final Random rng = new Random(20261123L);

    private double tol(int m, int n) {
        return SAFETY * unitRoundoff(type()) * Math.max(m, n);
    }

    @Test
    void square() {
        checkSvd(random(120, 120, rng), null);
    }

    @Test
    void wide() {
        checkSvd(random(40, 200, rng), null);
    }

    @Test
    void tall() {
        checkSvd(random(300, 60, rng), null);
    }

    @Test
    void oneByOne() {
        checkSvd(new double[][] {{-3.5}}, new double[] {3.5});
    }

    @Test
    void singleRowAndSingleColumn() {
        double[][] row = {{3, 0, -4, 0, 0}};
        checkSvd(row, new double[] {5});
        checkSvd(transpose(row), new double[] {5});
    }

    @Test
    void zeroMatrix() {
        checkSvd(new double[5][7], new double[5]);
    }

    @Test
    void identityMatrix() {
        checkSvd(identity(6), new double[] {1, 1, 1, 1, 1, 1});
    }

    @Test
    void diagonalWithPermutedAndNegativeEntriesGivesSortedAbsoluteValues() {
        double[][] a = new double[5][6];
        double[] diagonal = {0.5, -7, 3, 0, -2};
        for (int i = 0; i < diagonal.length; i++) {
            a[i][i] = diagonal[i];
        }
        checkSvd(a, new double[] {7, 3, 2, 0.5, 0});
    }

    @Test
    void rankDeficient() {
        double[][] a = multiply(random(60, 10, rng), random(10, 40, rng));
        double[] s = checkSvd(a, null);
        // Exact rank 10: the 30 trailing singular values are rounding noise, bounded like any other error.
        for (int i = 10; i < s.length; i++) {
            assertThat(s[i]).as("sigma_%d of a rank-10 matrix", i).isLessThanOrEqualTo(tol(60, 40) * s[0]);
        }
    }

    @Test
    void tinyValues() {
        // 1e-30 is a normal number in both types, but its square underflows in float: gesdd must
        // scale internally, and the relative tolerances below must still hold.
        checkSvd(scale(random(30, 20, rng), 1e-30), null);
    }

    @Test
    void illConditionedWithKnownSpectrum() {
        int k = 50;
        double[] sigma = new double[k];
        for (int i = 0; i < k; i++) {
            sigma[i] = Math.pow(10, -8.0 * i / (k - 1)); // 1 down to 1e-8: condition number 1e8
        }
        checkSvd(withSingularValues(80, k, sigma, rng), sigma);
    }

    @Test
    void viewsAsInput() {
        INDArray base = array(random(50, 70, rng), type());
        INDArray columnSlice = base.get(NDArrayIndex.all(), NDArrayIndex.interval(5, 45));
        checkSvdOf(columnSlice, null);
        checkSvdOf(base.transpose(), null);
    }

    @Test
    void resultShapesAndType() {
        SvdResult r = linearAlgebra().svd(array(random(7, 4, rng), type()));
        assertThat(r.u().shape()).containsExactly(7, 4);
        assertThat(r.s().shape()).containsExactly(4);
        assertThat(r.vt().shape()).containsExactly(4, 4);
        assertThat(r.k()).isEqualTo(4);
        assertThat(r.u().dataType()).isEqualTo(type());
        assertThat(r.s().dataType()).isEqualTo(type());
        assertThat(r.vt().dataType()).isEqualTo(type());
    }

    @Test
    void inputIsNotModified() {
        INDArray a = array(random(9, 6, rng), type());
        INDArray before = a.dup();
        linearAlgebra().svd(a);
        linearAlgebra().singularValues(a);
        assertThat(a.equals(before)).isTrue();
    }

    @Test
    void emptyMatrixIsRejected() {
        INDArray empty = Nd4j.create(type(), 0, 4);
        assertThatThrownBy(() -> linearAlgebra().svd(empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> linearAlgebra().singularValues(empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void nonFiniteInputIsRejected() {
        double[][] a = random(4, 3, rng);
        a[2][1] = Double.NaN;
        assertThatThrownBy(() -> linearAlgebra().svd(array(a, type())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite").hasMessageContaining("(2, 1)");
        a[2][1] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> linearAlgebra().singularValues(array(a, type())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
    }

    /** Runs every invariant on A (as held in the working type); returns the singular values. */
    private double[] checkSvd(double[][] a, double[] expected) {
        return checkSvdOf(array(a, type()), expected);
    }

    private double[] checkSvdOf(INDArray input, double[] expected) {
        double[][] a = values(input);
        int m = a.length;
        int n = a[0].length;
        int k = Math.min(m, n);
        double tol = tol(m, n);
        SvdResult r = linearAlgebra().svd(input);
        double[][] u = values(r.u());
        double[] s = vector(r.s());
        double[][] vt = values(r.vt());
        assertThat(s).hasSize(k);
        assertThat(s).as("descending").isEqualTo(descending(s));
        assertThat(s[k - 1]).as("smallest singular value").isGreaterThanOrEqualTo(0.0);
        double sigmaMax = s[0];

        double[][] usv = new double[m][k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                usv[i][j] = u[i][j] * s[j];
            }
        }
        double reconstruction = frobeniusOfDifference(a, multiply(usv, vt));
        assertThat(reconstruction).as("‖A − UΣVᵀ‖_F").isLessThanOrEqualTo(tol * frobenius(a));
        assertThat(orthonormalityError(u)).as("‖UᵀU − I‖_F").isLessThanOrEqualTo(tol);
        assertThat(orthonormalityError(transpose(vt))).as("‖VᵀV − I‖_F").isLessThanOrEqualTo(tol);

        double[] reference = ejmlSingularValues(a);
        assertThat(maxAbsDifference(s, reference)).as("max |σ − σ_EJML|").isLessThanOrEqualTo(tol * sigmaMax);
        if (expected != null) {
            // The input's rounding to the working type moves σ by at most u·‖A‖_F (Weyl).
            double bound = tol * sigmaMax + unitRoundoff(type()) * frobenius(a);
            assertThat(maxAbsDifference(s, expected)).as("max |σ − σ_known|").isLessThanOrEqualTo(bound);
        }
        double[] valuesOnly = vector(linearAlgebra().singularValues(input));
        assertThat(maxAbsDifference(valuesOnly, s)).as("singularValues vs svd().s").isLessThanOrEqualTo(tol * sigmaMax);
        report(m, n, reconstruction / Math.max(frobenius(a), Double.MIN_NORMAL), maxAbsDifference(s, reference) / Math.max(sigmaMax, Double.MIN_NORMAL),
                Math.max(orthonormalityError(u), orthonormalityError(transpose(vt))));
        return s;
    }

    /** With -Dlinalg.report=true, prints measured errors in units of u·max(m,n) (to calibrate SAFETY). */
    private void report(int m, int n, double reconstruction, double singularValues, double orthogonality) {
        if (Boolean.getBoolean("linalg.report")) {
            double unit = unitRoundoff(type()) * Math.max(m, n);
            System.out.printf("svd %s %dx%d: recon %.2e (%.2f), sv %.2e (%.2f), orth %.2e (%.2f)%n", type(), m, n,
                    reconstruction, reconstruction / unit, singularValues, singularValues / unit,
                    orthogonality, orthogonality / unit);
        }
    }
}
