package io.svdwb.engine.compress.zerosum;

import io.svdwb.engine.compress.allocation.ZeroSumSelection;
import io.svdwb.engine.compress.gradients.GradientPass;
import io.svdwb.engine.compress.gradients.GradientPassSettings;
import io.svdwb.engine.compress.kernels.ComponentGradients;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionMethod;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.DecompositionRecipe;
import io.svdwb.engine.compress.method.GradientSettings;
import io.svdwb.engine.compress.method.Gradients;
import io.svdwb.engine.compress.method.MethodOption;
import io.svdwb.engine.compress.method.MethodRun;
import io.svdwb.engine.compress.method.MethodSettings;
import io.svdwb.engine.compress.method.ResultAssembly;
import io.svdwb.engine.compress.method.SharedOptions;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Zero-Sum SVD, one-shot (docs/METHODS.md §4.11): every selected matrix's whitened decomposition (§3.4, cached and
 * shared with SVD-LLM), each component scored by {@code ΔL_i = -sigma_i dLoss/dsigma_i} from the mean cross-entropy
 * gradient of the {@link Gradients gradient pass} ({@link ComponentGradients}), then the global zero-sum drop order of
 * {@link ZeroSumSelection} down to the budget; a matrix left above its break-even rank stays dense. Scores are memoised
 * per context, so another ratio costs the selection and the slicing only.
 */
public final class ZeroSumSvdMethod implements CompressionMethod {

    @Override
    public String name() {
        return "zero-sum-svd";
    }

    @Override
    public String summary() {
        return "Zero-Sum SVD: whitened components scored by a first-order loss change, pruned globally keeping the predicted "
                + "change near zero (§4.11)";
    }

    @Override
    public boolean needsCalibration() {
        return true;
    }

    @Override
    public List<MethodOption> options() {
        List<MethodOption> options = new ArrayList<>(List.of(SharedOptions.WHITENING));
        options.addAll(GradientSettings.ZERO_SUM_OPTIONS);
        return options;
    }

    @Override
    public void validate(MethodSettings settings) {
        GradientSettings.of(settings);
    }

    @Override
    public String lossMetric() {
        return "‖W X − W′ X‖ on calibration tokens";
    }

    @Override
    public void apply(MethodRun run) {
        apply(run.context(), run.request(), run.selected(), run.result(), run.progress());
    }

    private static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected, ResultAssembly result,
            ProgressListener progress) {
        GradientSettings settings = GradientSettings.of(request.settings());
        DecompositionRecipe recipe = new DecompositionRecipe.Whitened(SharedOptions.whitening(request.settings()));
        GradientPassSettings pass = settings.zeroSumPass();
        GradientPass.Result gradients = Gradients.of(context, pass, progress);

        List<LowRankDecomposition> decompositions = new ArrayList<>();
        List<ZeroSumSelection.Scores> scores = new ArrayList<>();
        progress.begin("Zero-Sum SVD: scoring the components of " + selected.size() + " matrices", selected.size());
        try {
            for (MatrixSpec matrix : selected) {
                progress.throwIfCancelled();
                LowRankDecomposition d = context.decomposition(recipe, matrix, ProgressListener.NONE);
                decompositions.add(d);
                String key = "zero-sum scores v1\n" + recipe.key() + "\n" + pass.key(context.calibrationLength()) + "\n"
                        + matrix.tensorName();
                double[] changes = context.memo(key, () -> lossChanges(context, d, gradients, matrix));
                scores.add(new ZeroSumSelection.Scores(matrix.rows(), matrix.cols(), changes));
                progress.advanceTo(scores.size());
            }
        } finally {
            progress.end();
        }

        long original = selected.stream().mapToLong(MatrixSpec::parameters).sum();
        long budget = (long) Math.floor(RankFromRatio.keptRatio(request.ratio()) * original);
        double floor = settings.zeroSumRankFloor(request.ratio());
        ZeroSumSelection.Result chosen = ZeroSumSelection.select(scores, original - budget, floor);
        int dense = 0;
        for (int i = 0; i < selected.size(); i++) {
            MatrixSpec matrix = selected.get(i);
            int k = chosen.ranks()[i];
            if (k == 0) {
                result.dense(matrix);
                dense++;
            } else {
                LowRankDecomposition d = decompositions.get(i);
                result.lowRank(matrix, d, k);
            }
        }
        result.detail("zero-sum.predicted_loss_change", String.format(Locale.ROOT, "%.6g (sum of -sigma dL/dsigma over dropped components)",
                chosen.predictedLoss()));
        result.detail("zero-sum.dense_matrices", dense + " of " + selected.size());
        result.detail("zero-sum.rank_floor", String.format(Locale.ROOT, "%.2f x break-even rank", floor));
        result.detail("zero-sum.gradient", String.format(Locale.ROOT, "%d window(s) x %d tokens, cross-entropy %.4f", pass.batches(),
                pass.resolvedLength(context.calibrationLength()), gradients.meanLoss()));
    }

    private static double[] lossChanges(CompressionContext context, LowRankDecomposition d, GradientPass.Result gradients,
            MatrixSpec matrix) {
        var gradient = gradients.of(matrix.kind().moduleName(matrix.layer())).meanGradientMatrix();
        try {
            double[] perSigma = ComponentGradients.sigmaGradients(context.linearAlgebra(), d.left(), d.right(), gradient);
            return ComponentGradients.removalLossChanges(d.singularValues(), perSigma);
        } finally {
            gradient.close();
        }
    }
}
