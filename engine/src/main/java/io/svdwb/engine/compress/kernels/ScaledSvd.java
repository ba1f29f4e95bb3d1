package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Truncated SVD of a diagonally scaled weight, unscaled in the factors (docs/METHODS.md §4.2, §4.3): the
 * shared kernel of ASVD ({@link AsvdScaling}) and FWSVD ({@link FisherWeighting}).
 *
 * <ul>
 *   <li>Column scaling: {@code M = W diag(d)}, {@code R = Vᵀ diag(1/d)} so {@code B = sqrt(Sigma_k) V_kᵀ diag(1/d)}.</li>
 *   <li>Row scaling: {@code M = diag(d) W}, {@code L = diag(1/d) U} so {@code A = diag(1/d) U_k sqrt(Sigma_k)}.</li>
 * </ul>
 * Division by d is elementwise (a diagonal "inverse", no matrix inverse). With d = 1 both equal
 * {@link PlainSvd}.
 */
public final class ScaledSvd {

    private ScaledSvd() {
    }

    /**
     * @param linalg       the backend that computes the SVD
     * @param columnScales d, one positive finite value per input feature (length n)
     * @throws IllegalArgumentException on a length mismatch, a non-positive or non-finite scale, or a
     *                                  non-finite weight (messages name the matrix)
     */
    public static LowRankDecomposition columnScaled(LinearAlgebra linalg, INDArray w, double[] columnScales, String label) {
        INDArray wd = SvdKernel.weight(w, label);
        KernelChecks.requirePositiveFinite(columnScales, label, "column scale");
        if (columnScales.length != wd.columns()) {
            throw new IllegalArgumentException(label + ": " + columnScales.length + " column scales for a weight with "
                    + wd.columns() + " columns");
        }
        INDArray d = Nd4j.createFromArray(columnScales.clone()).reshape(1, columnScales.length);
        return SvdKernel.decompose(linalg, label, LowRankDecomposition.Kind.COLUMN_SCALED, wd.mulRowVector(d), u -> u,
                vt -> vt.divRowVector(d));
    }

    /**
     * @param linalg    the backend that computes the SVD
     * @param rowScales d, one positive finite value per output feature (length m)
     * @throws IllegalArgumentException as {@link #columnScaled}
     */
    public static LowRankDecomposition rowScaled(LinearAlgebra linalg, INDArray w, double[] rowScales, String label) {
        INDArray wd = SvdKernel.weight(w, label);
        KernelChecks.requirePositiveFinite(rowScales, label, "row scale");
        if (rowScales.length != wd.rows()) {
            throw new IllegalArgumentException(label + ": " + rowScales.length + " row scales for a weight with "
                    + wd.rows() + " rows");
        }
        INDArray d = Nd4j.createFromArray(rowScales.clone()).reshape(rowScales.length, 1);
        return SvdKernel.decompose(linalg, label, LowRankDecomposition.Kind.ROW_SCALED, wd.mulColumnVector(d),
                u -> u.divColumnVector(d), vt -> vt);
    }
}
