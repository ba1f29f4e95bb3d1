package io.svdwb.engine.linalg;

/**
 * A LAPACK/BLAS routine reported an error (an illegal argument, info &lt; 0) or failed to converge
 * (info &gt; 0). Thrown instead of returning the partly overwritten buffers, which would be garbage.
 *
 * <p>Unchecked because none of these failures can be handled locally except Cholesky's, which has its
 * own subclass {@link NotPositiveDefiniteException} for the caller's fallback.
 */
public class LinearAlgebraException extends RuntimeException {

    private final String routine;
    private final int info;

    public LinearAlgebraException(String routine, int info, String message) {
        super(routine + " failed (info = " + info + "): " + message);
        this.routine = routine;
        this.info = info;
    }

    /** The LAPACK/BLAS routine that failed, e.g. "LAPACKE_dgesdd". */
    public String routine() {
        return routine;
    }

    /** LAPACK's info code: negative = the (-info)-th argument was illegal, positive = routine-specific failure. */
    public int info() {
        return info;
    }
}
