package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.GramSvd;
import io.svdwb.engine.linalg.LinearAlgebra;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whitened truncated SVD, the SVD-LLM core (docs/METHODS.md §3.4; reused by ResSVD §4.7, Duo-SVD, SoCo).
 *
 * <p>With {@code S} lower triangular and {@code S Sᵀ = H = X Xᵀ}, {@code S⁻¹ X} has orthonormal rows, so
 * dropping component i of {@code W S = U Sigma Vᵀ} costs exactly {@code sigma_i} in output error and
 * {@code ||W X - W' X||_F = sqrt(sum_{i>k} sigma_i^2)}: truncating the smallest singular values of
 * {@code W S} is optimal for the layer-wise loss.
 *
 * <p>The decomposition stores {@code U}, sigma and {@code R = Vᵀ S⁻¹} (all r components), so any rank is
 * a slice: {@code A = U_k sqrt(Sigma_k)}, {@code B = sqrt(Sigma_k) V_kᵀ S⁻¹}. {@code R} comes from ONE
 * triangular solve {@code Sᵀ Rᵀ = V} (Sᵀ upper triangular), never from an explicit inverse (§3.3, §6.3); on the
 * Gram path, for a W S with no more rows than columns, as {@code Σ⁻¹ Uᵀ W}, which equals it without any solve.
 * Slicing rows of R and scaling them equals the spec's {@code solve(Sᵀ, V_k sqrt(Sigma_k))ᵀ} exactly in
 * exact arithmetic, because the solve acts column by column.
 */
public final class WhitenedSvd {

    private WhitenedSvd() {
    }

    /**
     * Decomposes {@code W S} in DOUBLE.
     *
     * @param linalg the backend that computes {@code W S}, its SVD and the triangular solve
     * @param w     m x n weight ([out, in]), FLOAT or DOUBLE
     * @param s     n x n lower-triangular whitening factor (e.g. from {@link Whitening}); only its lower
     *              triangle is read
     * @param label names the matrix in error messages
     * @throws IllegalArgumentException  on shape mismatch or a non-finite entry in W or S
     * @throws NonFiniteResultException  if W S, its SVD or the triangular solve overflowed (S badly
     *                                   conditioned)
     */
    public static LowRankDecomposition decompose(LinearAlgebra linalg, INDArray w, INDArray s, String label) {
        INDArray wd = SvdKernel.weight(w, label);
        KernelChecks.requireMatrix(s, label, "the whitening factor S");
        if (s.rows() != s.columns() || s.rows() != wd.columns()) {
            throw new IllegalArgumentException(label + ": whitening factor S must be " + wd.columns() + " x "
                    + wd.columns() + " for a weight of shape " + LowRankDecomposition.shape(wd) + ", got "
                    + LowRankDecomposition.shape(s));
        }
        KernelChecks.requireFinite(s, label, "the whitening factor S", false);
        INDArray sd = KernelChecks.asDouble(s);
        // Cholesky's factor is lower triangular already: a copy would be 0.97 GB at a LLaMA-7B MLP width for nothing
        INDArray lower = isDenseLowerTriangular(sd) ? sd : lowerTriangle(sd);
        INDArray ws = linalg.multiplyLowerTriangular(wd, lower);
        try {
            if (ws.rows() <= ws.columns() && SvdSolver.configured().usesGram(ws.rows(), ws.columns())) {
                return throughLeftVectors(linalg, label, ws, wd);
            }
            return SvdKernel.decompose(linalg, label, LowRankDecomposition.Kind.WHITENED, ws, u -> u,
                    // Sᵀ Rᵀ = V  <=>  Rᵀ = S^{-T} V; V = (Vt)ᵀ is n x r
                    vt -> {
                        INDArray solved = linalg.solveTriangular(lower, true, true, vt.transpose(), true);
                        INDArray right = solved.transpose().dup('c');
                        solved.close();
                        return right;
                    });
        } finally {
            // the temporaries of one decomposition, freed now: at 7B widths they are about 1 GB per matrix
            ws.close();
            if (wd != w) {
                wd.close(); // our double copy of a float weight
            }
            if (lower != s) {
                lower.close(); // ours (a copy or a cast), never the caller's S
            }
            if (sd != s && sd != lower) {
                sd.close();
            }
        }
    }

    /**
     * The decomposition of a W S with no more rows than columns through its left vectors alone. From W S = U Σ Vᵀ,
     * Vᵀ = Σ⁻¹ Uᵀ W S, so the right factor Vᵀ S⁻¹ is Σ⁻¹ Uᵀ W: one product instead of forming Vᵀ (2mmn) and solving with
     * the n x n factor (n²m), 6 s of a LLaMA-7B down_proj's 29 s here. Every truncation is then U_k U_kᵀ W, the exact
     * projection of W onto the leading left singular vectors of W S, whatever the rounding in the small sigma_i.
     */
    private static LowRankDecomposition throughLeftVectors(LinearAlgebra linalg, String label, INDArray ws, INDArray wd) {
        KernelChecks.requireFinite(ws, label, "the scaled matrix (" + LowRankDecomposition.Kind.WHITENED + ")", true);
        GramSvd.LeftVectors left = GramSvd.leftVectors(linalg, ws);
        INDArray u = left.u();
        KernelChecks.requireFinite(u, label, "U", true);
        INDArray right = linalg.matmul(u, true, wd, false);
        GramSvd.divideRows(right, left.sigma());
        KernelChecks.requireFinite(right, label, "the right factor", true);
        return new LowRankDecomposition(label, LowRankDecomposition.Kind.WHITENED, u, left.sigma(), right);
    }

    /** Whether a dense DOUBLE square array (either order) has only zeros above its diagonal. */
    private static boolean isDenseLowerTriangular(INDArray s) {
        if (s.isView() || s.offset() != 0 || s.data().length() != s.length()) {
            return false;
        }
        int n = (int) s.rows();
        boolean rowMajor = s.ordering() == 'c';
        DoubleIndexer values = (DoubleIndexer) s.data().indexer();
        // in memory order: row i's part right of the diagonal ('c'), or column i's part above it ('f')
        return java.util.stream.IntStream.range(0, n).parallel().allMatch(i -> {
            long from = rowMajor ? (long) i * n + i + 1 : (long) i * n;
            long to = rowMajor ? (long) (i + 1) * n : (long) i * n + i;
            for (long at = from; at < to; at++) {
                if (values.get(at) != 0.0) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * S with its strict upper triangle zeroed: the product {@code W S} must use the same triangle the
     * solve reads, or {@code L Sigma R} would not reproduce W for an S carrying junk above the diagonal.
     */
    private static INDArray lowerTriangle(INDArray s) {
        INDArray lower = s.dup('c');
        int n = (int) lower.rows();
        DoubleIndexer values = (DoubleIndexer) lower.data().indexer();
        for (long i = 0; i < n; i++) {
            for (long j = i + 1; j < n; j++) {
                values.put(i * n + j, 0.0);
            }
        }
        return lower;
    }
}
