package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.soco.GlobalPrune;
import io.svdwb.engine.soco.ScoreFolding;
import io.svdwb.engine.soco.ScoredLlama;
import io.svdwb.engine.soco.ScoredProjection;
import io.svdwb.engine.soco.SocoScores;
import io.svdwb.engine.soco.SocoSettings;
import io.svdwb.engine.soco.SocoTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SoCo (§4.8): every selected matrix starts from its whitened decomposition cut to the break-even rank r_cap; the
 * scores are trained against the uncompressed model ({@link SocoTrainer}), pruned to the global budget
 * ({@link GlobalPrune}) and folded into rank-k factors ({@link ScoreFolding}). The trained scores are memoised
 * per context, so a second request with the same ratio and settings costs only pruning and folding.
 */
final class SocoMethod implements CompressionMethod {

    @Override
    public String name() {
        return "soco";
    }

    @Override
    public String summary() {
        return "SoCo: learned per-component scores (KL + budget + sparsity, three phases), global prune (§4.8)";
    }

    @Override
    public String lossMetric() {
        return "‖W X − W′ X‖ on calibration tokens, learned scores folded into W′";
    }

    @Override
    public boolean needsCalibration() {
        return true;
    }

    @Override
    public List<MethodOption> options() {
        List<MethodOption> options = new ArrayList<>(List.of(SharedOptions.WHITENING));
        options.addAll(SocoOptions.ALL);
        return options;
    }

    @Override
    public String describe(MethodSettings settings) {
        double[] steps = settings.numbers(SocoOptions.STEPS);
        return String.format(Locale.ROOT, "%d/%d/%d steps, batch %dx%d, seed %d", (int) steps[0], (int) steps[1], (int) steps[2],
                settings.integer(SocoOptions.BATCH), settings.integer(SocoOptions.BATCH_LENGTH), settings.longValue(SocoOptions.SEED));
    }

    /** Builds the trainer's settings (their checks name the option) and checks the checkpoint file before any training. */
    @Override
    public void validate(MethodSettings settings) {
        java.nio.file.Path checkpoint = SocoOptions.settings(settings).checkpoint();
        if (checkpoint != null) {
            try {
                io.svdwb.engine.files.OutputLocations.checkFile(checkpoint, "--soco-checkpoint");
            } catch (io.svdwb.engine.files.FileProblemException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }

    @Override
    public MemoryNeed extraMemory(io.svdwb.engine.model.ModelConfig config, MethodSettings settings) {
        return new MemoryNeed(io.svdwb.engine.model.ForwardMemory.socoTrainingBytes(config), "SoCo's training (the teacher in float32 "
                + "and the student in double, both whole models in memory; it is not layer-major)");
    }

    /**
     * SoCo's deviation term is a bias on every compressed projection, which a model whose config has no bias on some
     * selected projection cannot hold. Known before compressing, so a run is refused before minutes of training rather
     * than at the export.
     */
    @Override
    public String exportProblem(io.svdwb.engine.model.Checkpoint source, CompressionRequest request) {
        if (!request.settings().on(SocoOptions.DEVIATION)) {
            return null;
        }
        boolean storable = request.selection().filter(source.matrices()).stream().allMatch(m -> m.kind().hasBias(source.config()));
        return storable ? null : "--soco-deviation on stores d as a bias on every compressed projection, and this model's config "
                + "has no bias on some of them";
    }

    @Override
    public void apply(MethodRun run) {
        apply(run.context(), run.request(), run.selected(), run.result(), run.progress());
    }

    /** What training, pruning and polishing produced for one request, kept in the context's memo. */
    private record Training(List<double[]> scores, List<double[]> deviations, List<int[]> kept, SocoTrainer.Result result,
                            SocoTrainer.Result polish) {
    }

    private static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        SocoSettings settings = SocoOptions.settings(request.settings());
        io.svdwb.engine.compress.kernels.Whitening.Options whitening = SharedOptions.whitening(request.settings());
        DecompositionRecipe recipe = new DecompositionRecipe.Whitened(whitening);
        Map<String, LowRankDecomposition> decompositions = decompose(context, recipe, selected, progress);
        long original = selected.stream().mapToLong(MatrixSpec::parameters).sum();
        double kept = 1 - request.ratio();
        String fingerprint = "soco v1\ncalibration.sha256=" + context.calibration(progress).key().hash()
                + "\nselection=" + request.selection().describe() + "\nratio=" + request.ratio()
                + "\nwhitening=" + whitening + "\n" + settings.key();
        Training training = context.memo(fingerprint, () -> train(context, selected, decompositions, original, kept, settings,
                fingerprint, progress));

        List<int[]> keptComponents = training.kept();
        Map<String, SocoScores.ModuleScores> learned = new LinkedHashMap<>();
        for (int i = 0; i < selected.size(); i++) {
            MatrixSpec matrix = selected.get(i);
            LowRankDecomposition d = decompositions.get(matrix.tensorName());
            double[] a = multipliers(training.scores().get(i));
            int[] k = keptComponents.get(i);
            double[] sigma = d.singularValues();
            var factors = ScoreFolding.fold(d.left(), sigma, a, d.right(), k);
            double[] deviation = training.deviations().get(i);
            if (deviation.length == 0) {
                result.lowRank(matrix, factors, ScoreFolding.outputError(sigma, a, k));
            } else {
                // §4.8 step 7: d is stored as the module's bias (added to the original one, if any) and costs m numbers
                result.lowRankWithBias(matrix, factors, deviation, ScoreFolding.outputError(sigma, a, k));
            }
            learned.put(matrix.kind().moduleName(matrix.layer()),
                    new SocoScores.ModuleScores(training.scores().get(i), java.util.Arrays.copyOf(sigma, a.length), k));
        }
        SocoTrainer.Result run = training.result();
        result.learnedScores(new SocoScores(learned, request.ratio(), settings.key()));
        result.detail("soco.steps", run.history().size() + (run.resumedAt() > 0 ? " (resumed after " + run.resumedAt() + ")" : ""));
        result.detail("soco.training_seconds", String.format(Locale.ROOT, "%.1f", run.seconds()));
        if (training.polish() != null) {
            var polish = training.polish();
            result.detail("soco.polish", String.format(Locale.ROOT, "%d steps, %.1f s, final KL %.5f", polish.history().size(),
                    polish.seconds(), polish.history().get(polish.history().size() - 1).distillation()));
        }
        if (!run.history().isEmpty()) {
            var last = run.history().get(run.history().size() - 1);
            result.detail("soco.final_kl", String.format(Locale.ROOT, "%.5f", last.distillation()));
            result.detail("soco.alive_kept", String.format(Locale.ROOT, "%.4f (target %.4f)", last.aliveKept(), kept));
        }
    }

    private static Map<String, LowRankDecomposition> decompose(CompressionContext context, DecompositionRecipe recipe,
            List<MatrixSpec> selected, ProgressListener progress) {
        Map<String, LowRankDecomposition> out = new LinkedHashMap<>();
        progress.begin("SoCo: whitened decompositions of " + selected.size() + " matrices", selected.size());
        try {
            for (MatrixSpec matrix : selected) {
                progress.throwIfCancelled();
                out.put(matrix.tensorName(), context.decomposition(recipe, matrix, ProgressListener.NONE));
                progress.advanceTo(out.size());
            }
        } finally {
            progress.end();
        }
        return out;
    }

    private static Training train(CompressionContext context, List<MatrixSpec> selected,
            Map<String, LowRankDecomposition> decompositions, long original, double keptFraction, SocoSettings settings,
            String fingerprint, ProgressListener progress) {
        var linalg = context.linearAlgebra();
        Map<String, MatrixSpec> byModule = new LinkedHashMap<>();
        for (MatrixSpec m : selected) {
            byModule.put(m.kind().moduleName(m.layer()), m);
        }
        List<SocoTrainer.Trainable> trainable = new ArrayList<>();
        LlamaModel teacher = new LlamaModel(context.checkpoint(), linalg, LlamaModel.Residency.KEEP);
        try {
            ScoredLlama student = ScoredLlama.load(context.checkpoint(), (layer, kind, bias) -> {
                MatrixSpec matrix = byModule.get(kind.moduleName(layer));
                if (matrix == null) {
                    return frozenDense(teacher, layer, kind, bias, linalg);
                }
                int cap = (int) Math.floor(RankFromRatio.breakEvenRank(matrix.rows(), matrix.cols()));
                ScoredProjection p = ScoredProjection.of(decompositions.get(matrix.tensorName()), Math.max(1, cap), bias, linalg);
                if (settings.deviation()) {
                    p.enableDeviation();
                }
                trainable.add(new SocoTrainer.Trainable(kind.moduleName(layer), p));
                return p;
            }, linalg);
            // the student asks for projections layer by layer in ProjectionKind order; the rest of the method
            // works in the selection's order, so put the trainables in that order
            List<SocoTrainer.Trainable> ordered = new ArrayList<>();
            for (MatrixSpec m : selected) {
                String module = m.kind().moduleName(m.layer());
                ordered.add(trainable.stream().filter(t -> t.module().equals(module)).findFirst().orElseThrow());
            }
            int length = context.calibrationLength();
            var calibration = context.calibrationSettings();
            int[][] pool = context.probeWindows(calibration.samples(), length, calibration.seed()).windows();
            SocoTrainer trainer = new SocoTrainer(student, ordered, teacher::forward, pool, original, keptFraction, settings,
                    fingerprint);
            SocoTrainer.Result run = trainer.train(progress);
            List<double[]> multipliers = new ArrayList<>();
            long[] costs = new long[selected.size()];
            for (int i = 0; i < selected.size(); i++) {
                multipliers.add(multipliers(run.scores().get(i)));
                costs[i] = (long) selected.get(i).rows() + selected.get(i).cols();
            }
            // with the deviation term every matrix's m numbers come out of the budget first
            long budget = (long) Math.floor(keptFraction * original)
                    - (settings.deviation() ? selected.stream().mapToLong(MatrixSpec::rows).sum() : 0);
            List<int[]> kept = GlobalPrune.keep(multipliers, costs, budget);
            List<double[]> scores = run.scores();
            if (settings.fillBudget()) {
                kept = GlobalPrune.fill(scores, kept, costs, budget);
                scores = revived(scores, kept);
            }
            if (settings.polishSteps() == 0) {
                return new Training(scores, run.deviations(), kept, run, null);
            }
            SocoTrainer.Result polish = trainer.polish(scores, kept, settings.polishSteps(), settings.schedule().lr1(), progress);
            return new Training(polish.scores(), polish.deviations(), kept, run, polish);
        } catch (IOException e) {
            throw new UncheckedIOException("building the SoCo student", e);
        }
    }

    /** The scores with every kept dead component (theta <= 0, kept by {@link GlobalPrune#fill}) restored to 1. */
    private static List<double[]> revived(List<double[]> scores, List<int[]> kept) {
        List<double[]> out = new ArrayList<>();
        for (int w = 0; w < scores.size(); w++) {
            double[] theta = scores.get(w).clone();
            for (int i : kept.get(w)) {
                if (theta[i] <= 0) {
                    theta[i] = 1;
                }
            }
            out.add(theta);
        }
        return out;
    }

    private static double[] multipliers(double[] theta) {
        double[] a = new double[theta.length];
        for (int j = 0; j < a.length; j++) {
            a[j] = Math.max(theta[j], 0);
        }
        return a;
    }

    /** An unselected projection stays the checkpoint's W: {@code U = W, sigma = 1, Vt' = I}, never trained. */
    private static ScoredProjection frozenDense(LlamaModel model, int layer, ProjectionKind kind, double[] bias,
            io.svdwb.engine.linalg.LinearAlgebra linalg) throws IOException {
        var w = model.loadDense(layer, kind).weight();
        int n = (int) w.columns();
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        return new ScoredProjection(w, ones, org.nd4j.linalg.factory.Nd4j.eye(n).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE),
                bias, linalg);
    }
}
