package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ProjectionKind;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The done-when: {@code dL_kd/dtheta} of the whole model against central finite differences (step 1e-6,
 * double) for every score of every projection. Scores start uniform in [0.5, 1.5], away from the kink of
 * max(theta, 0), and the factors are whitened ones cut to the break-even rank, so the student really differs from
 * the dense teacher and the loss is not at a minimum.
 *
 * <p>Error measure, per score: {@code |a - b| / max(|a|, |b|, 1e-8)}, required below 1e-3. Central differences
 * err by about step² |L'''| (~1e-12) plus rounding eps |L| / step (~1e-10 |L|), so the worst entries are the
 * tiniest ones (measured: max 1e-4, at a gradient of 3e-7; a wrong backward term gives errors of order 1).
 */
class ScoredLlamaGradientTest {

    private static final double STEP = 1e-6;
    private static final double TOLERANCE = 1e-3;
    private static final double SCALE_FLOOR = 1e-8;

    @TempDir
    Path dir;

    @Test
    void scoreGradientMatchesCentralDifferencesForEveryScore() throws Exception {
        try (Checkpoint checkpoint = TinyScoredModels.open(dir)) {
            ScoredLlama student = TinyScoredModels.whitenedAtBreakEven(checkpoint, 5);
            int vocab = student.config().vocabSize();
            float[] teacherLogits = TinyScoredModels.dense(checkpoint).forward(TinyScoredModels.BATCH);
            double[] teacher = NextTokenKl.logSoftmax(teacherLogits, teacherLogits.length / vocab, vocab);
            SplittableRandom random = new SplittableRandom(7);
            forEachProjection(student, p -> {
                for (int i = 0; i < p.components(); i++) {
                    p.setScore(i, 0.5 + random.nextDouble());
                }
            });

            student.zeroGradients();
            double loss = student.lossAndGradient(TinyScoredModels.BATCH, teacher);
            assertTrue(loss > 1e-3, "the start point must not be a minimum, or the check is weak: loss " + loss);

            double worst = 0;
            String worstAt = "";
            int checked = 0;
            for (int layer = 0; layer < student.config().numLayers(); layer++) {
                for (ProjectionKind kind : ProjectionKind.values()) {
                    ScoredProjection p = student.projection(layer, kind);
                    double[] analytic = p.scoreGradient();
                    for (int i = 0; i < p.components(); i++) {
                        double original = p.score(i);
                        p.setScore(i, original + STEP);
                        double plus = student.loss(TinyScoredModels.BATCH, teacher);
                        p.setScore(i, original - STEP);
                        double minus = student.loss(TinyScoredModels.BATCH, teacher);
                        p.setScore(i, original);
                        double numeric = (plus - minus) / (2 * STEP);
                        double error = Math.abs(numeric - analytic[i])
                                / Math.max(Math.max(Math.abs(numeric), Math.abs(analytic[i])), SCALE_FLOOR);
                        if (error > worst) {
                            worst = error;
                            worstAt = kind.moduleName(layer) + "[" + i + "]: backward " + analytic[i] + ", finite difference " + numeric;
                        }
                        checked++;
                    }
                }
            }
            assertTrue(checked == 2 * (8 + 5 + 5 + 8 + 9 + 9 + 9), "every score is checked: " + checked);
            assertTrue(worst < TOLERANCE, "max relative error " + worst + " at " + worstAt);
        }
    }

    /** §4.8 step 7: {@code dL_kd/dd} of every deviation entry (set to random values) against central differences. */
    @Test
    void deviationGradientMatchesCentralDifferences() throws Exception {
        try (Checkpoint checkpoint = TinyScoredModels.open(dir)) {
            ScoredLlama student = TinyScoredModels.whitenedAtBreakEven(checkpoint, 5);
            int vocab = student.config().vocabSize();
            float[] teacherLogits = TinyScoredModels.dense(checkpoint).forward(TinyScoredModels.BATCH);
            double[] teacher = NextTokenKl.logSoftmax(teacherLogits, teacherLogits.length / vocab, vocab);
            SplittableRandom random = new SplittableRandom(9);
            forEachProjection(student, p -> {
                p.enableDeviation();
                double[] d = new double[p.outFeatures()];
                for (int j = 0; j < d.length; j++) {
                    d[j] = 0.1 * random.nextGaussian();
                }
                p.setDeviation(d);
            });
            student.zeroGradients();
            student.lossAndGradient(TinyScoredModels.BATCH, teacher);
            double worst = 0;
            int checked = 0;
            for (int layer = 0; layer < student.config().numLayers(); layer++) {
                for (ProjectionKind kind : ProjectionKind.values()) {
                    ScoredProjection p = student.projection(layer, kind);
                    double[] analytic = p.deviationGradient();
                    double[] d = p.deviation();
                    for (int j = 0; j < d.length; j++) {
                        double[] shifted = d.clone();
                        shifted[j] = d[j] + STEP;
                        p.setDeviation(shifted);
                        double plus = student.loss(TinyScoredModels.BATCH, teacher);
                        shifted[j] = d[j] - STEP;
                        p.setDeviation(shifted);
                        double minus = student.loss(TinyScoredModels.BATCH, teacher);
                        p.setDeviation(d);
                        double numeric = (plus - minus) / (2 * STEP);
                        worst = Math.max(worst, Math.abs(numeric - analytic[j])
                                / Math.max(Math.max(Math.abs(numeric), Math.abs(analytic[j])), SCALE_FLOOR));
                        checked++;
                    }
                }
            }
            // out features per layer: q 16, k 8, v 8, o 16, gate 24, up 24, down 16
            assertTrue(checked == 2 * (16 + 8 + 8 + 16 + 24 + 24 + 16), "every deviation entry is checked: " + checked);
            assertTrue(worst < TOLERANCE, "max relative error " + worst);
        }
    }

    private static void forEachProjection(ScoredLlama model, java.util.function.Consumer<ScoredProjection> action) {
        for (int layer = 0; layer < model.config().numLayers(); layer++) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                action.accept(model.projection(layer, kind));
            }
        }
    }
}
