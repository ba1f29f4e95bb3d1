package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.linalg.SvdResult;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shared tail of every kernel: SVD of the (scaled) matrix in double (on the caller's backend, by the {@link SvdSolver} configured), finiteness of everything it
 * returns, and the mapping of U and Vᵀ back to the unscaled space (docs/METHODS.md §3.4, §6).
 */
final class SvdKernel {

    private SvdKernel() {
    }

    static LowRankDecomposition decompose(LinearAlgebra linalg, String label, LowRankDecomposition.Kind kind,
            INDArray scaled, UnaryOperator<INDArray> leftMap, UnaryOperator<INDArray> rightMap) {
        KernelChecks.requireFinite(scaled, label, "the scaled matrix (" + kind + ")", true);
        SvdResult svd = SvdSolver.configured().svd(linalg, scaled);
        KernelChecks.requireFinite(svd.s(), label, "the singular values", true);
        KernelChecks.requireFinite(svd.u(), label, "U", true);
        KernelChecks.requireFinite(svd.vt(), label, "Vt", true);
        INDArray left = leftMap.apply(svd.u());
        INDArray right = rightMap.apply(svd.vt());
        // What the maps replaced is ours alone: free it now rather than at some garbage collection (at 7B widths
        // these are hundreds of MB off-heap that the collector sees as a few bytes, docs/STACK.md)
        closeIfReplaced(svd.u(), left);
        closeIfReplaced(svd.vt(), right);
        KernelChecks.requireFinite(left, label, "the left factor", true);
        KernelChecks.requireFinite(right, label, "the right factor", true);
        double[] s = svd.s().toDoubleVector();
        svd.s().close();
        return new LowRankDecomposition(label, kind, left, s, right);
    }

    private static void closeIfReplaced(INDArray original, INDArray mapped) {
        if (mapped != original && !original.wasClosed()) {
            original.close();
        }
    }

    /** Validates W (shape, type, finiteness, naming the matrix) and returns it in DOUBLE. */
    static INDArray weight(INDArray w, String label) {
        KernelChecks.requireLabel(label);
        KernelChecks.requireMatrix(w, label, "the weight");
        KernelChecks.requireFinite(w, label, "the weight", false);
        return KernelChecks.asDouble(w);
    }
}
