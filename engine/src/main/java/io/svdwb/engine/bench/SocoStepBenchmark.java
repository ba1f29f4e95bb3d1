package io.svdwb.engine.bench;

import io.svdwb.engine.compress.kernels.PlainSvd;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.model.RopeScaling;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.progress.TrainingStep;
import io.svdwb.engine.soco.ScoredLlama;
import io.svdwb.engine.soco.ScoredProjection;
import io.svdwb.engine.soco.SocoSchedule;
import io.svdwb.engine.soco.SocoSettings;
import io.svdwb.engine.soco.SocoTrainer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times SoCo training steps (docs/METHODS.md §4.8) against the engine's float forward pass on the same batch, measured
 * in the same run: the ratio step / forward says how much a step costs in units of what the machine does anyway,
 * which survives the 2x swings of a shared machine far better than seconds do.
 *
 * <p>The student is what {@code compress --method soco} trains, with other factors than whitened ones (the step's
 * cost depends only on the shapes m, n, r): every projection at the break-even rank {@code r_cap = floor(mn / (m + n))},
 * scores 1, its factors either the plain SVD of W ({@link Factors#SVD}) or random ({@link Factors#RANDOM}: the SVD of
 * one 4096 x 11008 matrix takes minutes on a loaded 2-core machine, longer than the steps it sets up).
 * A step is a real {@link SocoTrainer} step
 * (teacher forward, student forward and backward, budget and sparsity terms, AdamW), timed from the trainer's
 * own per-step callback.
 */
public final class SocoStepBenchmark {

    /**
     * @param stepOverForward median step seconds / median forward seconds
     * @param peakResidentBytes the process's peak resident memory so far (cumulative over models run before), or -1
     * @param loadAverage       the machine's 1-minute load average after the timed steps (-1 if unknown): seconds on a
     *                          shared machine mean little without it
     */
    public record Result(String model, Factors factors, int hiddenSize, int intermediateSize, int layers, int heads, int headDim, int vocabSize,
                         int windows, int length, int steps, int trainableProjections, long trainableScores,
                         double setupSeconds, double stepMedianSeconds, double stepMinSeconds, double forwardMedianSeconds,
                         double forwardMinSeconds, double stepOverForward, long peakResidentBytes,
                         double loadAverage) {
    }

    /** Where the student's factors come from. */
    public enum Factors {
        /** The plain SVD of the checkpoint's W, so the student starts close to the teacher, as SoCo does. */
        SVD,
        /**
         * Gaussian U (entries variance 1/m), Vt' (variance 1/n) and sigma = sqrt(m / r), so U diag(sigma) Vt' has
         * entries of variance 1/n like the synthetic weights: activations keep their scale, the student is not the teacher.
         */
        RANDOM
    }

    /** LLaMA-7B's MLP ratio 11008 / 4096, applied to other hidden sizes. */
    private static final double LLAMA_MLP_RATIO = 11008.0 / 4096;

    private SocoStepBenchmark() {
    }

    /**
     * A LLaMA-shaped config of hidden size {@code hidden} (a multiple of 64): intermediate = hidden x 11008/4096
     * rounded to the nearest multiple of 64 (exactly 11008 at 4096); head_dim 128 from hidden 2048 on (as
     * LLaMA-7B), 64 below, so small models still have several heads; as many key-value heads as query heads
     * (LLaMA-7B has no grouped-query attention); context 2048; untied lm_head.
     */
    public static ModelConfig syntheticConfig(int hidden, int layers, int vocab) {
        if (hidden < 64 || hidden % 64 != 0) {
            throw new IllegalArgumentException("synthetic hidden size must be a positive multiple of 64, got " + hidden);
        }
        if (layers < 1 || vocab < 2) {
            throw new IllegalArgumentException("synthetic models need at least 1 layer and 2 tokens of vocabulary");
        }
        int intermediate = (int) Math.round(hidden * LLAMA_MLP_RATIO / 64) * 64;
        int headDim = hidden >= 2048 && hidden % 128 == 0 ? 128 : 64;
        int heads = hidden / headDim;
        return new ModelConfig("llama", hidden, intermediate, layers, heads, heads, headDim, vocab, 2048, 1e-6, 10000.0,
                RopeScaling.NONE, false, false, false, "silu");
    }

    /** The break-even rank SoCo starts every projection from (§4.8 step 1), at least 1. */
    public static int breakEvenRank(int m, int n) {
        return Math.max(1, (int) Math.floor(RankFromRatio.breakEvenRank(m, n)));
    }

    /**
     * One warm-up forward and step, then {@code steps} timed pairs. Each pair times the forward pass and then one
     * training step back to back, so a change in the machine's load moves both sides of the ratio alike.
     */
    public static Result run(Checkpoint checkpoint, String label, Factors factors, int windows, int length, int steps,
                             long seed, ProgressListener progress) throws IOException {
        if (windows < 1 || length < 2 || steps < 1) {
            throw new IllegalArgumentException("SoCo bench needs batch >= 1, length >= 2 and steps >= 1");
        }
        ModelConfig c = checkpoint.config();
        if (length > c.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("length " + length + " exceeds the model context " + c.maxPositionEmbeddings());
        }
        LinearAlgebra linalg = LinearAlgebra.cpu();
        long setupStart = System.nanoTime();
        LlamaModel teacher = new LlamaModel(checkpoint, linalg, LlamaModel.Residency.KEEP);
        List<SocoTrainer.Trainable> trainable = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        progress.begin("SoCo bench " + label + ": " + factors.name().toLowerCase(java.util.Locale.ROOT) + " factors",
                (long) c.numLayers() * ProjectionKind.values().length);
        ScoredLlama student = ScoredLlama.load(checkpoint, (layer, kind, bias) -> {
            int m = kind.outFeatures(c);
            int n = kind.inFeatures(c);
            int r = breakEvenRank(m, n);
            ScoredProjection p = factors == Factors.RANDOM ? randomProjection(m, n, r, bias, random, linalg)
                    : ScoredProjection.of(PlainSvd.decompose(linalg, teacher.loadDense(layer, kind).weight(), kind.moduleName(layer)),
                            r, bias, linalg);
            trainable.add(new SocoTrainer.Trainable(kind.moduleName(layer), p));
            progress.advanceTo(trainable.size());
            return p;
        }, linalg);
        progress.end();
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

        long original = 0;
        long scores = 0;
        for (SocoTrainer.Trainable t : trainable) {
            original += (long) t.projection().inFeatures() * t.projection().outFeatures();
            scores += t.projection().components();
        }
        int[][] pool = randomTokens(windows, length, c.vocabSize(), seed);
        // exploration settings (budget term on, target 80 % kept): the first phase of a real run
        SocoSettings settings = SocoSettings.DEFAULTS.withSchedule(SocoSchedule.DEFAULT.withSteps(1, 0, 0))
                .withBatch(windows, length).withSeed(seed);
        SocoTrainer trainer = new SocoTrainer(student, trainable, teacher::forward, pool, original, 0.8, settings, "bench");

        double[] forward = new double[steps];
        double[] step = new double[steps];
        progress.begin("SoCo bench " + label + ": warm-up and " + steps + " timed steps", steps + 1L);
        for (int i = 0; i <= steps; i++) {
            progress.throwIfCancelled();
            long start = System.nanoTime();
            teacher.forward(pool);
            double f = (System.nanoTime() - start) / 1e9;
            double s = timeOneStep(trainer);
            if (i > 0) {
                forward[i - 1] = f;
                step[i - 1] = s;
            }
            progress.advanceTo(i + 1);
        }
        progress.end();
        Arrays.sort(forward);
        Arrays.sort(step);
        double stepMedian = median(step);
        double forwardMedian = median(forward);
        return new Result(label, factors, c.hiddenSize(), c.intermediateSize(), c.numLayers(), c.numHeads(), c.headDim(), c.vocabSize(),
                windows, length, steps, trainable.size(), scores, setupSeconds, stepMedian, step[0], forwardMedian,
                forward[0], stepMedian / forwardMedian, io.svdwb.engine.memory.ResidentMemory.peakBytes(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * One {@link SocoTrainer#train} call of a one-step schedule, timed from the phase's start to the step's report, so
     * the trainer's bookkeeping before and after the loop (copying scores in and out) is not counted.
     */
    private static double timeOneStep(SocoTrainer trainer) {
        long[] began = new long[1];
        long[] reported = new long[1];
        trainer.train(new ProgressListener() {
            @Override public void begin(String phase, long totalUnits) {
                began[0] = System.nanoTime();
            }
            @Override public void advanceTo(long unitsDone) { }
            @Override public void end() { }
            @Override public void trainingStep(TrainingStep s) {
                reported[0] = System.nanoTime();
            }
            @Override public boolean isCancelled() {
                return false;
            }
        });
        return (reported[0] - began[0]) / 1e9;
    }

    private static ScoredProjection randomProjection(int m, int n, int r, double[] bias, SplittableRandom random,
                                                     LinearAlgebra linalg) {
        double[] sigma = new double[r];
        Arrays.fill(sigma, Math.sqrt((double) m / r));
        return new ScoredProjection(gaussian(m, r, 1 / Math.sqrt(m), random), sigma, gaussian(r, n, 1 / Math.sqrt(n), random),
                bias, linalg);
    }

    private static INDArray gaussian(int rows, int cols, double scale, SplittableRandom random) {
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() * scale;
        }
        return Nd4j.create(values, new long[] {rows, cols}, 'c');
    }

    private static int[][] randomTokens(int windows, int length, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] tokens = new int[windows][length];
        for (int[] row : tokens) {
            for (int t = 0; t < length; t++) {
                row[t] = random.nextInt(vocab);
            }
        }
        return tokens;
    }

    /** Of sorted values; the mean of the middle two for an even count. */
    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
