package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ProjectionKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With all scores 1 and exact full-rank factors, the student is the dense model: same logits as the engine's float
 * forward pass, and zero distillation loss and gradient against the dense model as teacher.
 */
class ScoredLlamaExactnessTest {

    @TempDir
    Path dir;

    @Test
    void doubleForwardMirrorsTheEngineFloatForward() throws Exception {
        try (Checkpoint checkpoint = TinyScoredModels.open(dir)) {
            float[] engine = TinyScoredModels.dense(checkpoint).forward(TinyScoredModels.BATCH);
            double[] ours = TinyScoredModels.denseInDouble(checkpoint).logits(TinyScoredModels.BATCH);
            // float32 rounding through 2 layers of width <= 24 leaves about 2e-7 here; 1e-5 relative to
            // max(1, |logit|) allows for it while any wrong op (mask, rope, GQA map) is O(0.1-1) off
            double error = maxScaledDifference(engine, ours);
            assertTrue(error < 1e-5, "double forward differs from LlamaModel.forward by " + error);
        }
    }

    @Test
    void fullRankFactorsWithUnitScoresReproduceTheDenseModelWithZeroLossAndGradient() throws Exception {
        try (Checkpoint checkpoint = TinyScoredModels.open(dir)) {
            double[] dense = TinyScoredModels.denseInDouble(checkpoint).logits(TinyScoredModels.BATCH);
            ScoredLlama student = TinyScoredModels.fullRankSvd(checkpoint);
            double[] logits = student.logits(TinyScoredModels.BATCH);
            double logitError = 0;
            for (int i = 0; i < dense.length; i++) {
                logitError = Math.max(logitError, Math.abs(dense[i] - logits[i]) / Math.max(1, Math.abs(dense[i])));
            }
            // the SVD reproduces W to about 1e-15 relative; through two layers that stays far below 1e-9 (measured 7e-15)
            assertTrue(logitError < 1e-9, "factored logits differ from dense ones by " + logitError);

            int rows = dense.length / student.config().vocabSize();
            double[] teacher = NextTokenKl.logSoftmax(dense, rows, student.config().vocabSize());
            student.zeroGradients();
            double loss = student.lossAndGradient(TinyScoredModels.BATCH, teacher);
            double maxGradient = 0;
            for (int layer = 0; layer < student.config().numLayers(); layer++) {
                for (ProjectionKind kind : ProjectionKind.values()) {
                    for (double g : student.projection(layer, kind).scoreGradient()) {
                        maxGradient = Math.max(maxGradient, Math.abs(g));
                    }
                }
            }
            // KL is quadratic in the logit error (~1e-14), its gradient linear in it: both are rounding noise (~2e-16 measured)
            assertTrue(Math.abs(loss) <= 1e-10, "KL to the dense teacher is " + loss);
            assertTrue(maxGradient <= 1e-9, "score gradient at the optimum is " + maxGradient);
        }
    }

    private static double maxScaledDifference(float[] expected, double[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i])));
        }
        return max;
    }
}
