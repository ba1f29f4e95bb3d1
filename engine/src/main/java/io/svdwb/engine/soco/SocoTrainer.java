package io.svdwb.engine.soco;

import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.progress.TrainingStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains SoCo's scores (docs/METHODS.md §4.8 steps 3-4) with the model frozen: each step runs the teacher on a batch of
 * calibration windows, the {@link ScoredLlama} student forward and backward for {@code L_kd}, adds the budget and
 * sparsity terms, and makes one AdamW step on the scores of the trainable projections. Every step is reported
 * through {@link ProgressListener#trainingStep}; cancellation is checked between steps and, when a checkpoint
 * file is set, saves the state so a later run with {@code resume} continues where this one stopped. The batch of
 * step s depends only on the seed and s, so a resumed run sees the same batches as an uninterrupted one.
 */
public final class SocoTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(SocoTrainer.class);
    /** About this many log lines per run, so a console or log file keeps the loss trajectory. */
    private static final int LOG_LINES = 20;

    /** The uncompressed model's logits [windows * length, vocab] for a batch. */
    @FunctionalInterface
    public interface Teacher {
        float[] logits(int[][] batch);
    }

    /** A projection whose scores are trained; its budget cost per component is {@code m + n}. */
    public record Trainable(String module, ScoredProjection projection) {
        long cost() {
            return (long) projection.inFeatures() + projection.outFeatures();
        }
    }

    /**
     * @param scores     per trainable projection, the final theta
     * @param history    the steps this call ran
     * @param resumedAt  steps already done by the checkpoint this call resumed from (0 for a fresh run)
     * @param seconds    wall time of this call's steps
     */
    public record Result(List<double[]> scores, List<double[]> deviations, List<TrainingStep> history, int resumedAt,
                         double seconds) {
    }

    private final ScoredLlama student;
    private final List<Trainable> trainable;
    private final Teacher teacher;
    private final int[][] pool;
    private final double originalParameters;
    private final double keptTarget;
    private final SocoSettings settings;
    private final String fingerprint;
    private final double[] cost;

    /**
     * @param pool               calibration windows batches are drawn from
     * @param originalParameters P_orig of the trained matrices
     * @param keptTarget         rho* = 1 - c
     * @param fingerprint        identifies this run in checkpoints (model, calibration, matrices, ratio, settings)
     */
    public SocoTrainer(ScoredLlama student, List<Trainable> trainable, Teacher teacher, int[][] pool,
                       long originalParameters, double keptTarget, SocoSettings settings, String fingerprint) {
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("SoCo has no projection to train");
        }
        if (pool.length == 0) {
            throw new IllegalArgumentException("SoCo needs calibration windows to train on");
        }
        this.student = student;
        this.trainable = List.copyOf(trainable);
        this.teacher = teacher;
        this.pool = pool;
        this.originalParameters = originalParameters;
        this.keptTarget = keptTarget;
        this.settings = settings;
        this.fingerprint = fingerprint;
        int total = 0;
        for (Trainable t : trainable) {
            total += t.projection().components();
        }
        this.cost = new double[total];
        int offset = 0;
        for (Trainable t : trainable) {
            Arrays.fill(cost, offset, offset + t.projection().components(), t.cost());
            offset += t.projection().components();
        }
    }

    public Result train(ProgressListener progress) {
        SocoSchedule schedule = settings.schedule();
        double[] theta = gatherScores();
        AdamW optimiser = new AdamW(theta.length, 0);
        int start = resume(theta, optimiser);
        List<TrainingStep> history = new ArrayList<>();
        long began = System.nanoTime();
        int phase = 0;
        try {
            for (int step = start; step < schedule.totalSteps(); step++) {
                if (progress.isCancelled()) {
                    saveCheckpoint(step, theta, optimiser);
                    throw new CancelledException();
                }
                SocoSchedule.StepSettings s = schedule.at(step);
                if (s.phase() != phase) {
                    if (phase != 0) {
                        progress.end();
                    }
                    phase = s.phase();
                    progress.begin("SoCo phase " + phase + "/3 (" + s.phaseName() + ")", schedule.totalSteps());
                }
                TrainingStep reported = step(step, s, theta, optimiser);
                history.add(reported);
                progress.advanceTo(step + 1);
                progress.trainingStep(reported);
                log(reported);
                if ((step + 1) % settings.checkpointEvery() == 0 || step + 1 == schedule.totalSteps()) {
                    saveCheckpoint(step + 1, theta, optimiser);
                }
            }
        } finally {
            if (phase != 0) {
                progress.end();
            }
        }
        scatterScores(theta);
        return new Result(splitScores(theta), splitDeviations(theta), history, start, (System.nanoTime() - began) / 1e9);
    }

    private TrainingStep step(int step, SocoSchedule.StepSettings s, double[] theta, AdamW optimiser) {
        int[][] batch = batch(step);
        int rows = batch.length * batch[0].length;
        double[] teacherLogProbs = NextTokenKl.logSoftmax(teacher.logits(batch), rows, student.config().vocabSize());
        scatterScores(theta);
        student.zeroGradients();
        double distillation = student.lossAndGradient(batch, teacherLogProbs);
        double[] gradient = gatherGradients();
        // the scores come first in the parameter vector; the deviations after them take no budget or L1 gradient
        double[] scores = Arrays.copyOf(theta, cost.length);
        BudgetTerm.Value budget = BudgetTerm.evaluate(scores, cost, originalParameters, keptTarget, s.temperature());
        SparsityTerm.Value sparsity = SparsityTerm.evaluate(scores);
        double lambdaRatio = s.lambdaRatio() * (settings.budgetPerScore() ? scores.length : 1);
        double alive = 0;
        for (int i = 0; i < scores.length; i++) {
            gradient[i] += lambdaRatio * budget.gradient()[i] + s.lambdaSparse() * sparsity.gradient()[i];
            alive += scores[i] > 0 ? cost[i] : 0;
        }
        double total = distillation + lambdaRatio * budget.loss() + s.lambdaSparse() * sparsity.loss();
        if (!Double.isFinite(total)) {
            throw new IllegalStateException("SoCo loss became " + total + " at step " + (step + 1) + " (phase " + s.phaseName()
                    + "); lower the learning rate");
        }
        optimiser.step(theta, gradient, s.learningRate());
        return new TrainingStep(s.phaseName(), step + 1, settings.schedule().totalSteps(), distillation, budget.loss(),
                sparsity.loss(), total, budget.softKept(), alive / originalParameters);
    }

    /**
     * §4.8 step 8, the optional polish: with the pruned set fixed ({@code kept}, per trainable projection, as from
     * {@link GlobalPrune}), every other score is set to 0 (dead: no output and no gradient) and the kept ones are trained
     * on the distillation loss alone, so their amplification adapts to the components that are really gone. Its
     * batches continue the training run's sequence. Not checkpointed.
     *
     * @param scores the trained scores (per trainable projection), not modified
     */
    public Result polish(List<double[]> scores, List<int[]> kept, int steps, double learningRate, ProgressListener progress) {
        double[] kept0 = new double[cost.length];
        int offset = 0;
        for (int t = 0; t < trainable.size(); t++) {
            double[] trained = scores.get(t);
            for (int i : kept.get(t)) {
                kept0[offset + i] = trained[i];
            }
            offset += trained.length;
        }
        // the deviations continue from where training left them (the projections hold them after train())
        double[] theta = concat(kept0, gather(ScoredProjection::deviation));
        AdamW optimiser = new AdamW(theta.length, 0);
        List<TrainingStep> history = new ArrayList<>();
        long began = System.nanoTime();
        int first = settings.schedule().totalSteps();
        SocoSchedule.StepSettings polish = new SocoSchedule.StepSettings(4, "polish", 0, 0, 1, learningRate);
        progress.begin("SoCo polish (pruned set fixed)", steps);
        try {
            for (int step = 0; step < steps; step++) {
                progress.throwIfCancelled();
                TrainingStep reported = step(first + step, polish, theta, optimiser);
                history.add(new TrainingStep("polish", step + 1, steps, reported.distillation(), 0, 0, reported.distillation(),
                        reported.softKept(), reported.aliveKept()));
                progress.advanceTo(step + 1);
                progress.trainingStep(history.get(history.size() - 1));
                log(history.get(history.size() - 1));
            }
        } finally {
            progress.end();
        }
        scatterScores(theta);
        return new Result(splitScores(theta), splitDeviations(theta), history, 0, (System.nanoTime() - began) / 1e9);
    }

    private static void log(TrainingStep s) {
        if (s.step() % Math.max(1, s.totalSteps() / LOG_LINES) == 0 || s.step() == s.totalSteps()) {
            LOG.info(String.format(java.util.Locale.ROOT, "SoCo %s step %d/%d: KL %.5f, budget %.3e, L1 %.4f, kept %.4f (soft %.4f)",
                    s.phase(), s.step(), s.totalSteps(), s.distillation(), s.ratio(), s.sparsity(), s.aliveKept(), s.softKept()));
        }
    }

    /** The windows of step {@code step}: a function of the seed and the step alone, so resuming changes nothing. */
    int[][] batch(int step) {
        SplittableRandom random = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + step);
        int length = settings.batchLength() == 0 ? pool[0].length : Math.min(settings.batchLength(), pool[0].length);
        int[][] batch = new int[settings.batchWindows()][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = Arrays.copyOf(pool[random.nextInt(pool.length)], length);
        }
        return batch;
    }

    private int resume(double[] theta, AdamW optimiser) {
        if (!settings.resume() || !Files.isRegularFile(settings.checkpoint())) {
            return 0;
        }
        try {
            SocoCheckpoint saved = SocoCheckpoint.read(settings.checkpoint(), fingerprint);
            if (saved.scores().length != theta.length) {
                throw new IOException(settings.checkpoint() + ": holds " + saved.scores().length + " scores, this run has "
                        + theta.length);
            }
            System.arraycopy(saved.scores(), 0, theta, 0, theta.length);
            optimiser.restore(saved.firstMoment(), saved.secondMoment(), saved.stepsDone());
            return Math.min(saved.stepsDone(), settings.schedule().totalSteps());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void saveCheckpoint(int stepsDone, double[] theta, AdamW optimiser) {
        if (settings.checkpoint() == null) {
            return;
        }
        double[][] moments = optimiser.moments();
        try {
            new SocoCheckpoint(fingerprint, stepsDone, theta, moments[0], moments[1]).write(settings.checkpoint());
        } catch (IOException e) {
            throw new UncheckedIOException("saving the SoCo checkpoint " + settings.checkpoint(), e);
        }
    }

    /** The parameter vector: every score, then every deviation vector (§4.8 step 7; none when it is off). */
    private double[] gatherScores() {
        return concat(gather(ScoredProjection::scores), gather(ScoredProjection::deviation));
    }

    private double[] gatherGradients() {
        return concat(gather(ScoredProjection::scoreGradient), gather(ScoredProjection::deviationGradient));
    }

    /** One flat vector over the trainable projections, in their order. */
    private double[] gather(java.util.function.Function<ScoredProjection, double[]> values) {
        List<double[]> parts = new ArrayList<>();
        int total = 0;
        for (Trainable t : trainable) {
            double[] v = values.apply(t.projection());
            parts.add(v);
            total += v.length;
        }
        double[] flat = new double[total];
        int offset = 0;
        for (double[] v : parts) {
            System.arraycopy(v, 0, flat, offset, v.length);
            offset += v.length;
        }
        return flat;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void scatterScores(double[] theta) {
        int offset = 0;
        for (Trainable t : trainable) {
            int r = t.projection().components();
            t.projection().setScores(Arrays.copyOfRange(theta, offset, offset + r));
            offset += r;
        }
        for (Trainable t : trainable) {
            if (t.projection().hasDeviation()) {
                int m = t.projection().outFeatures();
                t.projection().setDeviation(Arrays.copyOfRange(theta, offset, offset + m));
                offset += m;
            }
        }
    }

    private List<double[]> splitDeviations(double[] theta) {
        List<double[]> out = new ArrayList<>();
        int offset = cost.length;
        for (Trainable t : trainable) {
            if (t.projection().hasDeviation()) {
                int m = t.projection().outFeatures();
                out.add(Arrays.copyOfRange(theta, offset, offset + m));
                offset += m;
            } else {
                out.add(new double[0]);
            }
        }
        return out;
    }

    private List<double[]> splitScores(double[] theta) {
        List<double[]> out = new ArrayList<>();
        int offset = 0;
        for (Trainable t : trainable) {
            int r = t.projection().components();
            out.add(Arrays.copyOfRange(theta, offset, offset + r));
            offset += r;
        }
        return out;
    }
}
