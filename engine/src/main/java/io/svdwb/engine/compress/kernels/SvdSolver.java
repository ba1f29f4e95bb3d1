package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.linalg.SvdResult;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which LAPACK path decomposes a kernel's (scaled) matrix. {@link #GESDD} is exact to rounding for every component;
 * {@link #GRAM} ({@link LinearAlgebra#svdViaGram}) is 2-4x faster at LLaMA-7B widths and as accurate for every
 * component above about a thousandth of the largest singular value, which covers every rank a compression ratio keeps
 * on real weights. {@link #AUTO}, the default, takes GRAM for matrices whose shorter side is at least
 * {@value #GRAM_MIN_SIDE} (where the SVDs are most of a 7B run's time) and GESDD below, so small models are decomposed
 * exactly as before. Chosen with the system property {@value #PROPERTY} ({@code auto}, {@code gesdd} or {@code gram};
 * e.g. {@code SVDWB_JAVA_OPTS=-Dsvdwb.svd=gesdd}).
 */
public enum SvdSolver {
    AUTO, GESDD, GRAM;

    public static final String PROPERTY = "svdwb.svd";
    public static final int GRAM_MIN_SIDE = 2048;

    /** The solver the system property names; AUTO when unset. */
    public static SvdSolver configured() {
        String value = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "auto" -> AUTO;
            case "gesdd" -> GESDD;
            case "gram" -> GRAM;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                    + " is not a SVD solver; use auto, gesdd or gram");
        };
    }

    /** Whether an m x n matrix is decomposed through its Gram matrix under this choice. */
    public boolean usesGram(long rows, long cols) {
        return switch (this) {
            case GRAM -> true;
            case GESDD -> false;
            case AUTO -> Math.min(rows, cols) >= GRAM_MIN_SIDE;
        };
    }

    /** The thin SVD of a DOUBLE matrix, computed by {@code linalg} along the path this choice gives its shape. */
    public SvdResult svd(LinearAlgebra linalg, INDArray doubleMatrix) {
        return usesGram(doubleMatrix.rows(), doubleMatrix.columns()) ? linalg.svdViaGram(doubleMatrix)
                : linalg.svd(doubleMatrix);
    }
}
