package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.EigenResult;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.linalg.NotPositiveDefiniteException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whitening factor S, lower triangular with {@code S Sᵀ = H + shift·I}, from a calibration Gram
 * {@code H = X Xᵀ} (docs/METHODS.md §3.3). Follows §3.3:
 *
 * <ol>
 *   <li>Symmetrise {@code (H + Hᵀ)/2} (a float-accumulated H is only almost symmetric) and work in double.</li>
 *   <li>[OURS] default: add a small relative ridge {@code eps·mean(diag H)·I}, eps = 1e-6, before the first
 *       attempt ({@link Options#initialRelativeRidge}; 0 gives a plain Cholesky first).</li>
 *   <li>On failure apply the configured fallbacks in order (default: Duo-SVD damping, §3.3 [OURS]):
 *       {@link Fallback#DAMPING} {@code H + 0.05·mean(diag H)·I} [CODE Duo-SVD], or
 *       {@link Fallback#EIGEN_SHIFT} {@code H + (−lambda_min + 1e-6)·I} [CODE SVD-LLM].</li>
 * </ol>
 *
 * Every path is returned in a {@link Result} (which path, which shift), and every fallback is logged with
 * the matrix label, so a shift is never silent (§3.3 "log every fallback", §6.2). If every attempt fails
 * an {@link IllegalStateException} lists the attempts. Scaling H by a constant does not change the final
 * W' (§3.3 "Scaling invariance"); the relative ridge and damping are therefore scale-free.
 */
public final class Whitening {

    private static final Logger LOG = LoggerFactory.getLogger(Whitening.class);

    private Whitening() {
    }

    /** How S was obtained. */
    public enum Path {
        /** Cholesky of the symmetrised H itself; shift 0. */
        PLAIN,
        /** The [OURS] pre-emptive relative ridge was enough. */
        RIDGE,
        /** Duo-SVD's 5 % damping after the first attempt failed. */
        DAMPING,
        /** SVD-LLM's smallest-eigenvalue shift after the first attempt failed. */
        EIGEN_SHIFT
    }

    /** Fallbacks applied, in order, when Cholesky of the (ridged) H fails. */
    public enum Fallback {
        DAMPING, EIGEN_SHIFT
    }

    /**
     * @param initialRelativeRidge eps of the ridge {@code eps·mean(diag H)} added before the first attempt
     *                             (§3.3 [OURS] default 1e-6; 0 = try plain Cholesky first)
     * @param fallbacks            tried in order after the first failure (default {@code [DAMPING]})
     * @param dampingFraction      Duo-SVD damping fraction of mean(diag H) (default 0.05 [CODE])
     * @param eigenShiftFloor      absolute term added to {@code −lambda_min} (SVD-LLM uses 1e-6 [CODE]; note it
     *                             is absolute, so it depends on the scale of H)
     */
    public record Options(double initialRelativeRidge, List<Fallback> fallbacks, double dampingFraction,
            double eigenShiftFloor) {

        /** §3.3 [OURS] default: ridge 1e-6 relative, then Duo-SVD 5 % damping. */
        public static final Options DEFAULT = new Options(1e-6, List.of(Fallback.DAMPING), 0.05, 1e-6);
        /** Reference SVD-LLM behaviour: plain Cholesky, then the eigenvalue shift. */
        public static final Options SVD_LLM = new Options(0, List.of(Fallback.EIGEN_SHIFT), 0.05, 1e-6);
        /** Reference Duo-SVD behaviour: plain Cholesky, then 5 % damping. */
        public static final Options DUO_SVD = new Options(0, List.of(Fallback.DAMPING), 0.05, 1e-6);

        public Options {
            fallbacks = List.copyOf(fallbacks);
            if (!(initialRelativeRidge >= 0 && Double.isFinite(initialRelativeRidge))
                    || !(dampingFraction > 0 && Double.isFinite(dampingFraction))
                    || !(eigenShiftFloor > 0 && Double.isFinite(eigenShiftFloor))) {
                throw new IllegalArgumentException("invalid whitening options: ridge=" + initialRelativeRidge
                        + ", damping=" + dampingFraction + ", eigen floor=" + eigenShiftFloor);
            }
        }

        /** These options with another pre-emptive ridge (0 = plain Cholesky first). */
        public Options withInitialRelativeRidge(double eps) {
            return new Options(eps, fallbacks, dampingFraction, eigenShiftFloor);
        }
    }

    /**
     * @param factor    S, n x n lower triangular DOUBLE, {@code S Sᵀ = H_sym + shift·I}
     * @param path      which attempt succeeded
     * @param shift     the multiple of the identity added to the symmetrised H (0 for PLAIN)
     * @param meanDiagonal mean(diag H), the scale the relative shifts refer to
     * @param failedMinor  the leading-minor order at which the first failed attempt broke down (0 if none failed)
     */
    public record Result(INDArray factor, Path path, double shift, double meanDiagonal, int failedMinor) {

        /** The shift relative to mean(diag H), comparable across layers. */
        public double relativeShift() {
            return shift / meanDiagonal;
        }

        /** Whether a fallback (beyond the first attempt) was needed. */
        public boolean usedFallback() {
            return path == Path.DAMPING || path == Path.EIGEN_SHIFT;
        }
    }

    /** {@link #factor(LinearAlgebra, INDArray, String, Options)} with {@link Options#DEFAULT}. */
    public static Result factor(LinearAlgebra linalg, INDArray gram, String label) {
        return factor(linalg, gram, label, Options.DEFAULT);
    }

    /**
     * The whitening factor of a symmetric positive semi-definite Gram H (n x n, DOUBLE preferred; FLOAT is
     * widened first), factored (and, for {@link Fallback#EIGEN_SHIFT}, eigen-decomposed) by {@code linalg}.
     *
     * @throws IllegalArgumentException if H is not square, contains NaN/infinity, or has a non-positive
     *                                  mean diagonal (no calibration signal); the message names the matrix
     * @throws IllegalStateException    if every configured attempt failed
     */
    public static Result factor(LinearAlgebra linalg, INDArray gram, String label, Options options) {
        KernelChecks.requireLabel(label);
        KernelChecks.requireMatrix(gram, label, "the Gram matrix H");
        if (gram.rows() != gram.columns()) {
            throw new IllegalArgumentException(label + ": the Gram matrix H must be square, got "
                    + LowRankDecomposition.shape(gram));
        }
        KernelChecks.requireFinite(gram, label, "the Gram matrix H", false);
        INDArray h = KernelChecks.asDouble(gram);
        try {
            return factorSymmetrised(linalg, h, label, options);
        } finally {
            if (h != gram) {
                h.close(); // our double copy of a float Gram
            }
        }
    }

    /**
     * Each attempt factors its own fresh (H + Hᵀ)/2 + shift·I in place: one n x n array at a time (0.97 GB for a
     * LLaMA-7B MLP input) rather than the symmetrised H, a shifted copy and the factor's own copy at once.
     */
    private static Result factorSymmetrised(LinearAlgebra la, INDArray h, String label, Options options) {
        int n = (int) h.rows();
        // the symmetric part has H's own diagonal: (h_ii + h_ii)·0.5 is h_ii exactly
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += h.getDouble(i, i);
        }
        double meanDiag = trace / n;
        if (!(meanDiag > 0) || !Double.isFinite(meanDiag)) {
            throw new IllegalArgumentException(label + ": the Gram matrix H has mean diagonal " + meanDiag
                    + "; no calibration signal to whiten with (all-zero inputs?)");
        }
        List<String> attempts = new ArrayList<>();

        double firstShift = options.initialRelativeRidge() * meanDiag;
        Path firstPath = firstShift > 0 ? Path.RIDGE : Path.PLAIN;
        int failedMinor;
        try {
            return done(choleskyShifted(la, h, firstShift), firstPath, firstShift, meanDiag, 0, label);
        } catch (NotPositiveDefiniteException e) {
            failedMinor = e.leadingMinorOrder();
            attempts.add(firstPath + " (shift " + firstShift + "): leading minor " + failedMinor + " of " + n
                    + " not positive");
        }
        for (Fallback fallback : options.fallbacks()) {
            double shift = switch (fallback) {
                case DAMPING -> options.dampingFraction() * meanDiag;
                case EIGEN_SHIFT -> eigenShift(la, h, options.eigenShiftFloor());
            };
            Path path = fallback == Fallback.DAMPING ? Path.DAMPING : Path.EIGEN_SHIFT;
            try {
                Result r = done(choleskyShifted(la, h, shift), path, shift, meanDiag, failedMinor, label);
                LOG.warn("{}: Cholesky of H failed ({}); whitened with fallback {}: added {} I ({} x mean diag)",
                        label, String.join("; ", attempts), path, shift, shift / meanDiag);
                return r;
            } catch (NotPositiveDefiniteException e) {
                attempts.add(path + " (shift " + shift + "): leading minor " + e.leadingMinorOrder() + " not positive");
            }
        }
        throw new IllegalStateException(label + ": no whitening factor: every attempt failed: "
                + String.join("; ", attempts));
    }

    /** SVD-LLM: {@code −lambda_min + floor}, never negative (a positive lambda_min needs no shift). */
    private static double eigenShift(LinearAlgebra la, INDArray h, double floor) {
        INDArray sym = LinearAlgebra.symmetricPart(h);
        try {
            EigenResult eig = la.symmetricEigen(sym);
            double lambdaMin = eig.values().getDouble(eig.values().length() - 1);
            eig.values().close();
            eig.vectors().close();
            return Math.max(-lambdaMin, 0) + floor;
        } finally {
            sym.close();
        }
    }

    /** The Cholesky factor of {@code (H + Hᵀ)/2 + shift I}, factored in a fresh array that is freed if it fails. */
    private static INDArray choleskyShifted(LinearAlgebra la, INDArray h, double shift) {
        INDArray work = LinearAlgebra.symmetricPart(h);
        try {
            if (shift != 0) {
                int n = (int) work.rows();
                for (int i = 0; i < n; i++) {
                    work.putScalar(i, i, work.getDouble(i, i) + shift);
                }
            }
            return la.choleskyInPlace(work);
        } catch (RuntimeException e) {
            work.close();
            throw e;
        }
    }

    private static Result done(INDArray s, Path path, double shift, double meanDiag, int failedMinor, String label) {
        KernelChecks.requireFinite(s, label, "the whitening factor S", true);
        return new Result(s, path, shift, meanDiag, failedMinor);
    }
}
