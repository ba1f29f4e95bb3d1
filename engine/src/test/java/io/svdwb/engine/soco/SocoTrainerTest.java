package io.svdwb.engine.soco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.progress.TrainingStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on the tiny random model of {@link TinyScoredModels}, against its own dense model as teacher. */
class SocoTrainerTest {

    @TempDir
    Path dir;

    private static final int[][] POOL = pool();

    @Test
    void distillationAloneLowersTheKlToTheTeacher() throws Exception {
        try (Checkpoint checkpoint = TinyScoredModels.open(dir)) {
            LlamaModel teacher = TinyScoredModels.dense(checkpoint);
            ScoredLlama student = TinyScoredModels.whitenedAtBreakEven(checkpoint, 7);
            int rows = POOL.length * POOL[0].length;
            double[] target = NextTokenKl.logSoftmax(teacher.forward(POOL), rows, 32);
            double before = student.loss(POOL, target);
            // budget and sparsity off: the only force is the KL gradient, so the KL must fall
            SocoSchedule klOnly = SocoSchedule.DEFAULT.withSteps(40, 0, 0).withLambdas(0, 0, 0).withLearningRates(0.02, 0.02, 0.02);
            trainer(student, teacher, SocoSettings.DEFAULTS.withSchedule(klOnly).withBatch(4, 0), 1.0).train(ProgressListener.NONE);
            double after = student.loss(POOL, target);
            assertTrue(after < 0.8 * before, "KL went from " + before + " to " + after);
        }
    }

    @Test
    void theBudgetTermDrivesTheAliveFractionToTheTarget() throws Exception {
        try (Checkpoint checkpoint = TinyScoredModels.open(dir)) {
            LlamaModel teacher = TinyScoredModels.dense(checkpoint);
            ScoredLlama student = TinyScoredModels.whitenedAtBreakEven(checkpoint, 7);
            SocoSchedule budgetHeavy = SocoSchedule.DEFAULT.withSteps(150, 0, 0).withLambdas(100, 0, 0)
                    .withLearningRates(0.05, 0.05, 0.05);
            List<TrainingStep> steps = new ArrayList<>();
            trainer(student, teacher, SocoSettings.DEFAULTS.withSchedule(budgetHeavy).withBatch(2, 0), 0.5)
                    .train(recording(steps, -1));
            TrainingStep last = steps.get(steps.size() - 1);
            assertEquals(150, steps.size());
            // scores 1 at T = 0.5 start at sigmoid(2) = 0.88 of break-even, which is ~1 of the parameters; the one-sided
            // term stops pulling at the target, and Adam's momentum may carry the fraction somewhat below it
            assertTrue(steps.get(0).softKept() > 0.8, "start " + steps.get(0).softKept());
            assertTrue(last.softKept() <= 0.5 + 0.01, "soft kept fraction " + last.softKept() + " above the target 0.5");
            assertTrue(last.aliveKept() < 0.75, "alive fraction " + last.aliveKept() + " stayed near the break-even start");
        }
    }

    @Test
    void theSameSeedGivesTheSameScoresAndAResumedRunEqualsAnUninterruptedOne() throws Exception {
        try (Checkpoint checkpoint = TinyScoredModels.open(dir)) {
            LlamaModel teacher = TinyScoredModels.dense(checkpoint);
            SocoSchedule schedule = SocoSchedule.DEFAULT.withSteps(3, 4, 3).withLearningRates(0.05, 0.05, 0.05);
            SocoSettings settings = SocoSettings.DEFAULTS.withSchedule(schedule).withBatch(2, 5);
            List<double[]> first = trainer(TinyScoredModels.whitenedAtBreakEven(checkpoint, 7), teacher, settings, 0.6)
                    .train(ProgressListener.NONE).scores();
            List<double[]> second = trainer(TinyScoredModels.whitenedAtBreakEven(checkpoint, 7), teacher, settings, 0.6)
                    .train(ProgressListener.NONE).scores();
            assertScoresEqual(first, second);

            Path file = dir.resolve("soco.ckpt.safetensors");
            SocoSettings saving = settings.withCheckpoint(file, 2, true);
            List<TrainingStep> seen = new ArrayList<>();
            assertThrows(CancelledException.class, () -> trainer(TinyScoredModels.whitenedAtBreakEven(checkpoint, 7), teacher,
                    saving, 0.6).train(recording(seen, 6)));
            assertEquals(6, seen.size());
            assertEquals(6, SocoCheckpoint.read(file, "test").stepsDone(), "the cancelled run saved where it stopped");

            SocoTrainer.Result resumed = trainer(TinyScoredModels.whitenedAtBreakEven(checkpoint, 7), teacher, saving, 0.6)
                    .train(ProgressListener.NONE);
            assertEquals(6, resumed.resumedAt());
            assertEquals(4, resumed.history().size());
            assertEquals(7, resumed.history().get(0).step());
            assertScoresEqual(first, resumed.scores());
            assertTrue(Files.isRegularFile(file));
        }
    }

    private static SocoTrainer trainer(ScoredLlama student, LlamaModel teacher, SocoSettings settings, double kept) {
        List<SocoTrainer.Trainable> trainable = new ArrayList<>();
        long original = 0;
        for (int layer = 0; layer < student.config().numLayers(); layer++) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                ScoredProjection p = student.projection(layer, kind);
                trainable.add(new SocoTrainer.Trainable(kind.moduleName(layer), p));
                original += (long) p.inFeatures() * p.outFeatures();
            }
        }
        return new SocoTrainer(student, trainable, teacher::forward, POOL, original, kept, settings, "test");
    }

    /** Records every step; asks to cancel once {@code cancelAfter} steps were reported (-1: never). */
    private static ProgressListener recording(List<TrainingStep> steps, int cancelAfter) {
        return new ProgressListener() {
            @Override public void begin(String phase, long totalUnits) { }
            @Override public void advanceTo(long unitsDone) { }
            @Override public void end() { }
            @Override public void trainingStep(TrainingStep step) {
                steps.add(step);
            }
            @Override public boolean isCancelled() {
                return cancelAfter >= 0 && steps.size() >= cancelAfter;
            }
        };
    }

    private static void assertScoresEqual(List<double[]> expected, List<double[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 0.0, "projection " + i);
        }
    }

    private static int[][] pool() {
        SplittableRandom random = new SplittableRandom(21);
        int[][] windows = new int[6][8];
        for (int[] w : windows) {
            for (int t = 0; t < w.length; t++) {
                w[t] = random.nextInt(32);
            }
        }
        return windows;
    }
}
