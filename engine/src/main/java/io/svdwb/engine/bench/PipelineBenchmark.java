package io.svdwb.engine.bench;

import io.svdwb.engine.calibration.CalibrationStatistics;
import io.svdwb.engine.calibration.LayerStatistics;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.kernels.WhitenedSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.memory.ResidentMemory;
import io.svdwb.engine.model.DecoderLayer;
import io.svdwb.engine.model.DenseLinear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.progress.StageClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SVD-LLM's whitening and truncation on a streamed model, stage by stage, for the side-by-side table against a
 * PyTorch implementation of the same steps (scripts/bench-vs-pytorch.sh): one layer-major calibration pass that
 * accumulates each layer's Gram matrices in double and, as soon as a layer is done and while its weights are still
 * loaded, whitens (Cholesky) and decomposes (SVD of W S, B = Vᵀ S⁻¹ by a triangular solve) its seven projections at the uniform rank of {@code ratio}; then a
 * layer-major perplexity evaluation of the uncompressed model. Token windows are drawn uniformly from the vocabulary
 * with a seed and handed to the other implementation, so both see exactly the same input.
 */
public final class PipelineBenchmark {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PipelineBenchmark.class);

    /** Seconds per stage, with the names the comparison table uses. */
    public record Result(Map<String, Double> stages, long peakRssBytes, double perplexity, long calibrationTokens,
                         long evaluationTokens, int layers, int regularised, double sgemmGflops,
                         double calibrationForwardGflops, double evaluationGflops) {
    }

    private final LlamaModel model;

    /** @param model a streamed model ({@link LlamaModel.Residency#STREAM}) or a resident one */
    public PipelineBenchmark(LlamaModel model) {
        this.model = model;
    }

    /** {@code count} windows of {@code length} token ids drawn uniformly from the vocabulary. */
    public static int[][] randomWindows(ModelConfig config, int count, int length, long seed) {
        Random random = new Random(seed);
        int[][] windows = new int[count][length];
        for (int[] window : windows) {
            for (int t = 0; t < length; t++) {
                window[t] = random.nextInt(config.vocabSize());
            }
        }
        return windows;
    }

    public Result run(int[][] calibration, int calibrationBatch, int[][] evaluation, double ratio, int gemmSize,
            ProgressListener progress) throws IOException {
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, model.config().numLayers());
        return run(calibration, calibrationBatch, evaluation, ratio, all, gemmSize, progress);
    }

    /**
     * As above, decomposing only the projections of {@code layers}; calibration runs up to the last of them (its
     * statistics are those of the original model either way), evaluation over every layer.
     */
    public Result run(int[][] calibration, int calibrationBatch, int[][] evaluation, double ratio, java.util.BitSet layers,
            int gemmSize, ProgressListener progress) throws IOException {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layer to decompose");
        }
        ModelConfig config = model.config();
        double sgemm = ForwardBenchmark.gemmGflops(model.linearAlgebra(), gemmSize, 3);
        Map<StageClock.Stage, Double> before = StageClock.snapshot();
        double[] decomposition = new double[2]; // whitening, SVD + factors (seconds); weight reads count in LOAD
        int[] regularised = new int[1];
        long start = System.nanoTime();
        CalibrationStatistics.collect(model, CalibrationStatistics.batchSizes(calibration.length, calibrationBatch),
                calibration[0].length, () -> CalibrationStatistics.embed(model, calibration, calibrationBatch, progress).hidden(),
                0, layers.length(), progress, (statistics, ran) -> {
            if (layers.get(statistics.layer())) {
                decompose(statistics, ran, ratio, decomposition, regularised);
            }
            statistics.release();
        }, (layer, hidden) -> { });
        double calibrationWall = (System.nanoTime() - start) / 1e9;
        Map<StageClock.Stage, Double> afterCalibration = StageClock.snapshot();

        int ctx = evaluation[0].length;
        int[] stream = new int[evaluation.length * ctx];
        for (int w = 0; w < evaluation.length; w++) {
            System.arraycopy(evaluation[w], 0, stream, w * ctx, ctx);
        }
        start = System.nanoTime();
        PerplexityResult ppl = new PerplexityEvaluator(model).evaluate(stream, ctx, 0, 1, progress);
        double evaluationWall = (System.nanoTime() - start) / 1e9;
        Map<StageClock.Stage, Double> after = StageClock.snapshot();
        // measured again at the end, the better of the two kept: one reading at the start was once half the machine's
        // rate (112 against 202 GFLOP/s), which made the stages' shares of it meaningless
        sgemm = Math.max(sgemm, ForwardBenchmark.gemmGflops(model.linearAlgebra(), gemmSize, 3));

        double calibrationLoad = delta(afterCalibration, before, StageClock.Stage.LOAD);
        double gram = delta(afterCalibration, before, StageClock.Stage.GRAM);
        double evaluationLoad = delta(after, afterCalibration, StageClock.Stage.LOAD);
        double forward = calibrationWall - calibrationLoad - gram - decomposition[0] - decomposition[1];
        double evaluationCompute = evaluationWall - evaluationLoad;
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("load", calibrationLoad + evaluationLoad);
        stages.put("calibration_forward", forward);
        stages.put("gram", gram);
        stages.put("cholesky", decomposition[0]);
        stages.put("svd", decomposition[1]);
        stages.put("evaluation", evaluationCompute);
        stages.put("total", calibrationWall + evaluationWall);
        int calibrationLength = calibration[0].length;
        double calibrationFlops = (ForwardBenchmark.forwardFlops(config, calibrationLength, calibration.length)
                - 2.0 * calibration.length * calibrationLength * config.hiddenSize() * config.vocabSize())
                * layers.length() / config.numLayers();
        double evaluationFlops = ForwardBenchmark.forwardFlops(config, ctx, evaluation.length);
        return new Result(stages, ResidentMemory.peakBytes(), ppl.perplexity(), (long) calibration.length * calibrationLength,
                (long) evaluation.length * ctx, layers.cardinality(), regularised[0], sgemm, calibrationFlops / forward / 1e9,
                evaluationFlops / evaluationCompute / 1e9);
    }

    private static double delta(Map<StageClock.Stage, Double> later, Map<StageClock.Stage, Double> earlier, StageClock.Stage stage) {
        return later.get(stage) - earlier.get(stage);
    }

    /**
     * Whitens and decomposes every projection of a finished layer, then lets its statistics go. Projections that share
     * an input (q, k, v; gate, up) share its whitening factor, factored once, as the compression pipeline does and as
     * the PyTorch side of the benchmark does (four Cholesky factorisations per layer, not seven).
     */
    private void decompose(LayerStatistics statistics, DecoderLayer ran, double ratio, double[] seconds, int[] regularised) {
        int layer = statistics.layer();
        Map<ProjectionInput, Whitening.Result> whitened = new java.util.EnumMap<>(ProjectionInput.class);
        try {
            for (ProjectionKind kind : ProjectionKind.values()) {
                String label = kind.moduleName(layer);
                // the weights the calibration pass just ran with, as PyTorch's side uses them: not read a third time
                boolean loaded = ran.projection(kind) instanceof DenseLinear;
                DenseLinear dense;
                try {
                    dense = loaded ? (DenseLinear) ran.projection(kind) : model.loadDense(layer, kind);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                long t1 = System.nanoTime();
                Whitening.Result s = whitened.get(ProjectionInput.of(kind));
                if (s == null) {
                    s = Whitening.factor(model.linearAlgebra(), statistics.of(kind).gram(), label, Whitening.Options.DEFAULT);
                    whitened.put(ProjectionInput.of(kind), s);
                    if (s.usedFallback()) {
                        regularised[0]++;
                    }
                }
                long t2 = System.nanoTime();
                INDArray w = dense.weight();
                LowRankDecomposition d = WhitenedSvd.decompose(model.linearAlgebra(), w, s.factor(), label);
                LowRankFactors factors = d.truncate(RankFromRatio.rank((int) w.rows(), (int) w.columns(), ratio));
                long t3 = System.nanoTime();
                factors.a().close();
                factors.b().close();
                d.close();
                if (!loaded) {
                    dense.release();
                }
                seconds[0] += (t2 - t1) / 1e9;
                seconds[1] += (t3 - t2) / 1e9;
                LOG.debug("{}: whitening {} s, SVD and factors {} s", label, String.format("%.2f", (t2 - t1) / 1e9),
                        String.format("%.2f", (t3 - t2) / 1e9));
            }
        } finally {
            whitened.values().forEach(r -> r.factor().close());
        }
    }
}
