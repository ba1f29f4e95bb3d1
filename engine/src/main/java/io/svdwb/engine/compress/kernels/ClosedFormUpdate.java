package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.LinearAlgebra;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SVD-LLM's closed-form update of the output factor (docs/METHODS.md §4.4, arXiv v1 "whitening then update"): with the
 * input factor {@code B} (k x n) kept fixed, the output factor {@code A} (m x k) that best maps the compressed inputs
 * {@code Xc} (n x T) to the target outputs {@code Y = W X} (X n x T, paired token by token with Xc) is the
 * least-squares solution of {@code min_A ||W X - A B Xc||_F}:
 *
 * <pre>
 *   G = B Hc Bᵀ           (k x k, Hc = Xc Xcᵀ)
 *   R = W (X Xcᵀ) Bᵀ      (m x k)
 *   A = R G⁻¹             by a Cholesky factor of G and two triangular solves, never an inverse (§6.3)
 * </pre>
 *
 * Everything goes through statistics: the Gram {@code Hc} and the cross-Gram {@code K = X Xcᵀ} (both n x n), so no
 * token-level matrix is kept. With the reference's target (the original projection applied to the current inputs,
 * {@code X = Xc}) K is Hc itself. G is positive semi-definite; when its Cholesky fails (fewer effective tokens than k,
 * dead input directions) a relative ridge {@code 1e-6 mean(diag G)} is added, as {@link Whitening} does for H, and
 * the result says so. Memory per call: G (k²), R and A (m k), {@code B Hc} and {@code K Bᵀ} (k n) in double; at a
 * LLaMA-7B MLP matrix (k = 2388 at 20 %) about 0.9 GB beside the caller's n x n statistics.
 */
public final class ClosedFormUpdate {

    /** Plain Cholesky of G first, then a ridge of 1e-6 mean(diag G) if it is not numerically positive definite. */
    static final Whitening.Options GRAM_OPTIONS = new Whitening.Options(0, List.of(Whitening.Fallback.DAMPING), 1e-6, 1e-6);

    private ClosedFormUpdate() {
    }

    /**
     * @param a             the updated output factor, m x k DOUBLE
     * @param relativeRidge the ridge added to G relative to mean(diag G): 0 unless G was not positive definite
     */
    public record Result(INDArray a, double relativeRidge) {
    }

    /**
     * The least-squares output factor for a fixed input factor.
     *
     * @param w     m x n original weight ([out, in])
     * @param cross n x n cross-Gram {@code K = X Xcᵀ} of the target's inputs against the compressed inputs ({@code Hc}
     *              itself when the target is the original projection on the compressed inputs)
     * @param b     k x n fixed input factor
     * @param hc    n x n Gram {@code Xc Xcᵀ} of the compressed inputs
     * @param label names the matrix in messages
     * @throws IllegalArgumentException on a shape mismatch, a non-finite entry, or a G without signal (B Xc = 0)
     */
    public static Result solve(LinearAlgebra linalg, INDArray w, INDArray cross, INDArray b, INDArray hc, String label) {
        KernelChecks.requireLabel(label);
        requireShapes(w, cross, b, hc, label);
        try (Doubles d = new Doubles(w, cross, b, hc)) {
            INDArray wd = d.get(0);
            INDArray bd = d.get(2);
            INDArray bh = linalg.matmul(bd, false, d.get(3), false);                       // B Hc, k x n
            INDArray gemm = linalg.matmul(bh, false, bd, true);                             // B Hc Bᵀ, k x k
            INDArray g = LinearAlgebra.symmetricPart(gemm);
            INDArray kb = linalg.matmul(d.get(1), false, bd, true);                         // K Bᵀ, n x k
            INDArray r = linalg.matmul(wd, false, kb, false);                               // W K Bᵀ, m x k
            close(bh, gemm, kb);
            Whitening.Result chol = Whitening.factor(linalg, g, label + " update Gram B Hc Bᵀ", GRAM_OPTIONS);
            g.close();
            // A L Lᵀ = R: first Y Lᵀ = R, then A L = Y
            INDArray y = linalg.solveTriangular(chol.factor(), true, true, r, false);
            INDArray a = linalg.solveTriangular(chol.factor(), true, false, y, false);
            close(y, r, chol.factor());
            KernelChecks.requireFinite(a, label, "the updated factor A", true);
            return new Result(a, chol.relativeShift());
        }
    }

    /**
     * {@code ||W X - A B Xc||_F} from the statistics, {@code sqrt(tr(W Hx Wᵀ) - 2 tr(W K Bᵀ Aᵀ) + tr(A B Hc Bᵀ Aᵀ))}
     * with {@code Hx = X Xᵀ} the Gram of the target's inputs ({@code Hc} when X = Xc): the error before and after the
     * update, for the report. A difference of large terms: accurate to about 1e-7 of {@code ||W X||_F} in double.
     */
    public static double outputError(LinearAlgebra linalg, INDArray w, INDArray hx, INDArray cross, LowRankFactors f,
            INDArray hc) {
        try (Doubles d = new Doubles(w, hx, cross, f.a(), f.b(), hc)) {
            INDArray wd = d.get(0);
            INDArray ad = d.get(3);
            INDArray bd = d.get(4);
            double target = frobeniusInner(linalg.matmul(wd, false, d.get(1), false), wd);
            INDArray kb = linalg.matmul(d.get(2), false, bd, true);
            double crossTerm = frobeniusInner(linalg.matmul(wd, false, kb, false), ad);
            INDArray bh = linalg.matmul(bd, false, d.get(5), false);
            INDArray g = linalg.matmul(bh, false, bd, true);
            double model = frobeniusInner(linalg.matmul(ad, false, g, false), ad);
            close(kb, bh, g);
            return Math.sqrt(Math.max(0, target - 2 * crossTerm + model));
        }
    }

    /** The inputs in DOUBLE: the arrays themselves, or copies of FLOAT ones that are freed on close. */
    private static final class Doubles implements AutoCloseable {
        private final INDArray[] originals;
        private final INDArray[] doubles;

        Doubles(INDArray... originals) {
            this.originals = originals;
            this.doubles = new INDArray[originals.length];
            for (int i = 0; i < originals.length; i++) {
                doubles[i] = KernelChecks.asDouble(originals[i]);
            }
        }

        INDArray get(int i) {
            return doubles[i];
        }

        @Override
        public void close() {
            for (int i = 0; i < doubles.length; i++) {
                if (doubles[i] != originals[i]) {
                    doubles[i].close();
                }
            }
        }
    }

    private static void close(INDArray... temporaries) {
        for (INDArray t : temporaries) {
            t.close();
        }
    }

    /** {@code sum_ij x_ij y_ij}; x is a temporary of the caller's and is freed. */
    private static double frobeniusInner(INDArray x, INDArray y) {
        INDArray product = x.mul(y);
        double sum = product.sumNumber().doubleValue();
        close(product, x);
        return sum;
    }

    private static void requireShapes(INDArray w, INDArray cross, INDArray b, INDArray hc, String label) {
        KernelChecks.requireMatrix(w, label, "the weight W");
        KernelChecks.requireMatrix(cross, label, "the cross-Gram X Xcᵀ");
        KernelChecks.requireMatrix(b, label, "the input factor B");
        KernelChecks.requireMatrix(hc, label, "the Gram Hc");
        long n = w.columns();
        if (b.columns() != n || hc.rows() != n || hc.columns() != n || cross.rows() != n || cross.columns() != n) {
            throw new IllegalArgumentException(label + ": for a weight of shape " + LowRankDecomposition.shape(w)
                    + " B must be k x " + n + " and Hc, X Xcᵀ " + n + " x " + n + "; got B " + LowRankDecomposition.shape(b)
                    + ", Hc " + LowRankDecomposition.shape(hc) + ", X Xcᵀ " + LowRankDecomposition.shape(cross));
        }
        if (b.rows() < 1 || b.rows() > n) {
            throw new IllegalArgumentException(label + ": the rank of B must be in [1, " + n + "], got " + b.rows());
        }
        KernelChecks.requireFinite(w, label, "the weight W", false);
        KernelChecks.requireFinite(b, label, "the input factor B", false);
        KernelChecks.requireFinite(hc, label, "the Gram Hc", false);
        KernelChecks.requireFinite(cross, label, "the cross-Gram X Xcᵀ", false);
    }
}
