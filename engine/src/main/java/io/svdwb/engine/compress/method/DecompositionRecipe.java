package io.svdwb.engine.compress.method;

import io.svdwb.engine.calibration.InputStatistics;
import io.svdwb.engine.compress.kernels.AsvdScaling;
import io.svdwb.engine.compress.kernels.FisherWeighting;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.PlainSvd;
import io.svdwb.engine.compress.kernels.WhitenedSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;

/**
 * How the full-rank decomposition of one matrix is obtained; the {@link #key()} names it in the
 * {@link DecompositionCache}, so equal recipes share one decomposition across methods and ratios.
 */
public interface DecompositionRecipe {

    /** Identifies the recipe and every option that changes its result. */
    String key();

    /**
     * The recipe's kind in one word ({@code whitened}, {@code plain}, ...), for progress lines: the whole key (with the
     * whitening options) made the phase name wider than a terminal, which cut off the bar and the ETA.
     */
    default String shortName() {
        String key = key();
        int space = key.indexOf(' ');
        return space < 0 ? key : key.substring(0, space);
    }

    /**
     * Whether the result depends on calibration statistics, so that a stored copy is keyed by the calibration
     * (model, text and settings) rather than by the model alone.
     */
    default boolean usesCalibration() {
        return true;
    }

    LowRankDecomposition decompose(CompressionContext context, MatrixSpec matrix, ProgressListener progress);

    /** §4.1: SVD of W itself; no calibration. */
    record Plain() implements DecompositionRecipe {
        @Override
        public String key() {
            return "plain";
        }

        @Override
        public boolean usesCalibration() {
            return false;
        }

        @Override
        public LowRankDecomposition decompose(CompressionContext context, MatrixSpec matrix, ProgressListener progress) {
            return PlainSvd.decompose(context.linearAlgebra(), context.weight(matrix), matrix.label());
        }
    }

    /** §3.4 (SVD-LLM): SVD of W S with S the Cholesky factor of the input Gram matrix (with §3.3 fallbacks). */
    record Whitened(Whitening.Options whitening) implements DecompositionRecipe {
        @Override
        public String key() {
            return "whitened " + whitening;
        }

        @Override
        public LowRankDecomposition decompose(CompressionContext context, MatrixSpec matrix, ProgressListener progress) {
            Whitening.Result s = context.whitening(matrix, whitening, progress);
            return WhitenedSvd.decompose(context.linearAlgebra(), context.weight(matrix), s.factor(), matrix.label());
        }
    }

    /** §4.3 (ASVD): input channels scaled by (mean |x|)^alpha before the SVD. */
    record ActivationScaled(double alpha) implements DecompositionRecipe {
        @Override
        public String key() {
            return "asvd alpha=" + alpha;
        }

        @Override
        public LowRankDecomposition decompose(CompressionContext context, MatrixSpec matrix, ProgressListener progress) {
            InputStatistics stats = context.statistics(matrix, progress);
            return AsvdScaling.decompose(context.linearAlgebra(), context.weight(matrix), stats.meanAbs(), alpha, matrix.label());
        }
    }

    /**
     * §4.2 (FWSVD) with the Fisher sums of real gradients: {@code f = Σ_b (G_b)²} summed along {@code orientation}, from
     * the context's memoised {@link Gradients gradient pass} (next-token cross-entropy on calibration windows).
     *
     * @param pass the gradient pass with its window length resolved (it is part of the key)
     */
    record FisherExact(FisherWeighting.Orientation orientation, io.svdwb.engine.compress.gradients.GradientPassSettings pass)
            implements DecompositionRecipe {
        @Override
        public String key() {
            return "fwsvd-exact " + orientation + " " + pass.key(pass.length());
        }

        @Override
        public boolean usesCalibration() {
            // keyed by the calibration too: the gradient windows come from the same text, and a stored copy must not
            // outlive a change of it
            return true;
        }

        @Override
        public LowRankDecomposition decompose(CompressionContext context, MatrixSpec matrix, ProgressListener progress) {
            var gradients = Gradients.of(context, pass, progress).of(matrix.kind().moduleName(matrix.layer()));
            return FisherWeighting.decompose(context.linearAlgebra(), context.weight(matrix), gradients.fisher(orientation),
                    orientation, FisherWeighting.DEFAULT_EXPONENT, matrix.label());
        }
    }

    /**
     * §4.2 (FWSVD) with the diagonal-Gram approximation of the Fisher information [OURS], {@code --fwsvd-fisher
     * diagonal-gram}: a forward pass only, so the per-input-feature Fisher sum {@code f_j = Σ_t Σ_i (g_{t,i} x_{t,j})²} is
     * approximated by assuming output gradients of equal variance, independent of the inputs, which leaves
     * {@code f_j ∝ Σ_t x_{t,j}² = H_jj}. Weights {@code d_j = sqrt(f_j)} (exponent 1, as FWSVD proper).
     */
    record FisherDiagonal(FisherWeighting.Orientation orientation) implements DecompositionRecipe {
        @Override
        public String key() {
            return "fwsvd-diagonal-gram " + orientation;
        }

        @Override
        public LowRankDecomposition decompose(CompressionContext context, MatrixSpec matrix, ProgressListener progress) {
            if (orientation != FisherWeighting.Orientation.INPUT_COLUMNS) {
                throw new IllegalArgumentException("the diagonal-Gram Fisher approximation weights input features only;"
                        + " per-output-row weights need real gradients");
            }
            InputStatistics stats = context.statistics(matrix, progress);
            double[] diagonal = new double[stats.features()];
            for (int j = 0; j < diagonal.length; j++) {
                diagonal[j] = stats.gram().getDouble(j, j);
            }
            return FisherWeighting.decompose(context.linearAlgebra(), context.weight(matrix), diagonal, orientation,
                    FisherWeighting.DEFAULT_EXPONENT, matrix.label());
        }
    }
}
