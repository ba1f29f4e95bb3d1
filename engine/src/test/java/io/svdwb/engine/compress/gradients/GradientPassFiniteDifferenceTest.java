package io.svdwb.engine.compress.gradients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.soco.NextTokenKl;
import io.svdwb.engine.soco.ScoredLlama;
import io.svdwb.engine.soco.ScoredProjection;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * FWSVD's exact Fisher sums (docs/METHODS.md §4.2) against finite differences: {@code dLoss_b/dW_ij} by central
 * differences of the batch's cross-entropy (the double forward only, W_ij moved by ±1e-5), squared and summed over
 * the batches and over a whole column (input-feature orientation) or row (output-row orientation), must equal the
 * pass's sums, which come from the hand-written backward.
 *
 * <p>Tolerance 1e-6 relative: the loss (~3.5) is computed in double, so rounding errs by ~1e-15 x 3.5 / 2e-5 ~ 2e-10
 * per difference quotient and the truncation by h² |L'''| / 6 ~ 1e-11; against entries of ~1e-3 and more that is
 * below 1e-6 of each square (measured: at most 4e-9 relative on the four sums). A wrong backward term, a missing batch
 * or a mean where a sum belongs errs by O(1).
 */
class GradientPassFiniteDifferenceTest {

    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-6;
    /** Two batches of two windows: f is a sum over batches of squares of each batch's (mean-loss) gradient. */
    private static final int WINDOWS_PER_BATCH = 2;

    @TempDir
    Path dir;

    @Test
    void inputAndOutputFisherSumsAndTheMeanGradientEqualSquaredCentralDifferences() throws Exception {
        TinyGradientModel tiny = TinyGradientModel.open(dir);
        GradientPass.Result pass = GradientPass.run(tiny.checkpoint, tiny.weights, TinyGradientModel.WINDOWS, WINDOWS_PER_BATCH,
                LinearAlgebra.cpu(), ProgressListener.NONE);
        assertThat(pass.batches()).isEqualTo(2);
        assertThat(pass.modules()).hasSize(2 * 7);

        checkColumn(tiny, pass, 0, ProjectionKind.Q, 3);
        checkColumn(tiny, pass, 1, ProjectionKind.GATE, 5);
        checkRow(tiny, pass, 1, ProjectionKind.DOWN, 2);
        checkRow(tiny, pass, 0, ProjectionKind.V, 6);
    }

    /** f_j = Σ_b Σ_i g_b[i, j]², and the mean gradient (1/B) Σ_b g_b[i, j] entry by entry. */
    private void checkColumn(TinyGradientModel tiny, GradientPass.Result pass, int layer, ProjectionKind kind, int j) throws Exception {
        MatrixGradients measured = pass.of(kind.moduleName(layer));
        INDArray w = tiny.weight(layer, kind);
        double expected = 0;
        for (int i = 0; i < w.rows(); i++) {
            double sum = 0;
            for (int b = 0; b < 2; b++) {
                double g = centralDifference(tiny, layer, kind, w, i, j, b);
                expected += g * g;
                sum += g;
            }
            double mean = measured.meanGradient()[(int) (i * w.columns() + j)];
            assertThat(mean).as("mean gradient %s[%d, %d]", kind.moduleName(layer), i, j)
                    .isCloseTo(sum / 2, within(1e-8 + TOLERANCE * Math.abs(sum)));
        }
        assertThat(expected).as("the column must carry gradient, or the check is weak").isGreaterThan(1e-8);
        assertThat(measured.inputFisher()[j]).as("input Fisher %s column %d", kind.moduleName(layer), j)
                .isCloseTo(expected, within(TOLERANCE * expected));
    }

    /** f_i = Σ_b Σ_j g_b[i, j]². */
    private void checkRow(TinyGradientModel tiny, GradientPass.Result pass, int layer, ProjectionKind kind, int i) throws Exception {
        INDArray w = tiny.weight(layer, kind);
        double expected = 0;
        for (int j = 0; j < w.columns(); j++) {
            for (int b = 0; b < 2; b++) {
                double g = centralDifference(tiny, layer, kind, w, i, j, b);
                expected += g * g;
            }
        }
        assertThat(expected).isGreaterThan(1e-8);
        assertThat(pass.of(kind.moduleName(layer)).outputFisher()[i]).as("output Fisher %s row %d", kind.moduleName(layer), i)
                .isCloseTo(expected, within(TOLERANCE * expected));
    }

    private static double centralDifference(TinyGradientModel tiny, int layer, ProjectionKind kind, INDArray w, int i, int j, int batch)
            throws Exception {
        int[][] windows = TinyGradientModel.batch(batch * WINDOWS_PER_BATCH, (batch + 1) * WINDOWS_PER_BATCH);
        double original = w.getDouble(i, j);
        INDArray moved = w.dup();
        moved.putScalar(new long[] {i, j}, original + STEP);
        double plus = tiny.crossEntropy(layer, kind, moved, windows);
        moved.putScalar(new long[] {i, j}, original - STEP);
        double minus = tiny.crossEntropy(layer, kind, moved, windows);
        return (plus - minus) / (2 * STEP);
    }

    /**
     * The loss is next-token cross-entropy: the engine's float model's logits, log-softmaxed here, at each next token
     * (position t predicts t + 1, the last position nothing), averaged. Float32 logits against the double forward:
     * 1e-5 relative.
     */
    @Test
    void theLossIsTheNextTokenCrossEntropyOfTheFloatModel() throws Exception {
        TinyGradientModel tiny = TinyGradientModel.open(dir);
        int[][] batch = TinyGradientModel.WINDOWS;
        int vocab = tiny.checkpoint.config().vocabSize();
        float[] logits = tiny.weights.forward(batch);
        double[] logProbs = NextTokenKl.logSoftmax(logits, logits.length / vocab, vocab);
        double total = 0;
        int predicted = 0;
        for (int s = 0; s < batch.length; s++) {
            for (int t = 0; t + 1 < batch[s].length; t++) {
                total -= logProbs[(s * batch[s].length + t) * vocab + batch[s][t + 1]];
                predicted++;
            }
        }
        double expected = total / predicted;
        ScoredLlama model = ScoredLlama.load(tiny.checkpoint, (l, k, bias) -> ScoredProjection.dense(
                tiny.weights.loadDense(l, k).weight(), bias, LinearAlgebra.cpu()), LinearAlgebra.cpu());
        assertThat(model.crossEntropy(batch)).isCloseTo(expected, within(1e-5 * expected));
        assertThat(predicted).isEqualTo(4 * 6);
    }

    @Test
    void windowsThatDoNotFillTheBatchesAreRefused() throws Exception {
        TinyGradientModel tiny = TinyGradientModel.open(dir);
        assertThatThrownBy(() -> GradientPass.run(tiny.checkpoint, tiny.weights, TinyGradientModel.WINDOWS, 3, LinearAlgebra.cpu(),
                ProgressListener.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batches of 3");
    }
}
