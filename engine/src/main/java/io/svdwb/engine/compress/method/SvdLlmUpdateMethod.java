package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.ClosedFormUpdate;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.progress.ProgressListener;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SVD-LLM "whitening then update" (docs/METHODS.md §4.4, [CODE] {@code whitening_local_update}): layer by layer, in
 * order, on the update windows propagated through the layers already compressed: each selected matrix gets its
 * whitened truncation {@code A B} at its SVD-LLM rank (B from the calibration statistics, as SVD-LLM (W)), then B is
 * kept and A re-solved in closed form ({@link ClosedFormUpdate}) so that {@code A B Xc} fits the target outputs; the
 * compressed layer then carries the stream to the next layer. Layers the selection leaves alone run as they are.
 */
final class SvdLlmUpdateMethod {

    private SvdLlmUpdateMethod() {
    }

    static void apply(CompressionContext context, CompressionRequest request, Map<MatrixSpec, Integer> ranks, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        SvdLlmUpdate update = SvdLlmMethod.update(request.settings());
        DecompositionRecipe recipe = new DecompositionRecipe.Whitened(SharedOptions.whitening(request.settings()));
        TreeMap<Integer, List<MatrixSpec>> byLayer = new TreeMap<>();
        for (MatrixSpec m : selected) {
            byLayer.computeIfAbsent(m.layer(), l -> new java.util.ArrayList<>()).add(m);
        }
        int layers = byLayer.lastKey() + 1;
        int length = context.calibrationLength();
        // memoised: drawing them tokenizes the whole calibration text, minutes for WikiText-2 train on a busy machine
        int[][] windows = context.memo("svd-llm update windows " + update.samples() + "x" + length + " seed " + update.seed(),
                () -> context.probeWindows(update.samples(), length, update.seed()).windows());
        result.detail("svd_llm.update", update.describe() + String.format(Locale.ROOT, ", %d x %d tokens", windows.length, length));
        boolean originalTarget = update.target() == SvdLlmUpdate.Target.ORIGINAL;
        int perBatch = context.calibrationSettings().windowsPerBatch();
        PropagatedStreams streams = PropagatedStreams.embed(context.model(), windows, perBatch, originalTarget, progress);
        double[] ratioSum = new double[1];
        int[] updated = new int[1];
        progress.begin(String.format(Locale.ROOT, "SVD-LLM update: %d layers on %d windows", layers, windows.length),
                (long) layers * streams.batches());
        try {
            for (int layer = 0; layer < layers; layer++) {
                List<MatrixSpec> here = byLayer.get(layer);
                if (here == null) {
                    streams.advanceUncompressed(layer);
                    progress.advanceTo((long) (layer + 1) * streams.batches());
                    continue;
                }
                Map<ProjectionInput, PropagatedStreams.InputGrams> grams = streams.collect(layer, progress, (long) layer * streams.batches());
                Map<String, Linear> substitutes = new HashMap<>();
                try {
                    for (MatrixSpec matrix : here) {
                        progress.throwIfCancelled();
                        LowRankFactors f = updateOne(context, recipe, matrix, ranks.get(matrix), grams.get(ProjectionInput.of(matrix.kind())),
                                result, ratioSum);
                        updated[0]++;
                        LowRankFactors single = f.asFloat();
                        substitutes.put(matrix.kind().moduleName(layer),
                                new LowRankLinear(single.a(), single.b(), context.bias(matrix), context.linearAlgebra()));
                    }
                } finally {
                    grams.values().forEach(PropagatedStreams.InputGrams::release);
                }
                streams.advance(layer, substitutes);
            }
        } finally {
            progress.end();
        }
        result.detail("svd_llm.update.error_ratio", String.format(Locale.ROOT,
                "%.4f (mean over %d matrices of ||Y - A'B Xc|| / ||Y - A B Xc|| on the update windows)", ratioSum[0] / updated[0],
                updated[0]));
    }

    /** The whitened truncation of one matrix with A re-solved; records it, returns the DOUBLE factors. */
    private static LowRankFactors updateOne(CompressionContext context, DecompositionRecipe recipe, MatrixSpec matrix, int rank,
            PropagatedStreams.InputGrams grams, ResultAssembly result, double[] ratioSum) {
        LowRankDecomposition d = context.decomposition(recipe, matrix, ProgressListener.NONE);
        LowRankFactors whitened = d.truncate(rank);
        INDArray w = context.weight(matrix);
        var linalg = context.linearAlgebra();
        ClosedFormUpdate.Result solved = ClosedFormUpdate.solve(linalg, w, grams.cross(), whitened.b(), grams.compressed(), matrix.label());
        if (solved.relativeRidge() > 0) {
            context.note(String.format(Locale.ROOT, "%s: update Gram B Hc B^T not positive definite; ridge %.1e x mean diagonal",
                    matrix.label(), solved.relativeRidge()));
        }
        LowRankFactors f = new LowRankFactors(solved.a(), whitened.b());
        double before = ClosedFormUpdate.outputError(linalg, w, grams.target(), grams.cross(), whitened, grams.compressed());
        double after = ClosedFormUpdate.outputError(linalg, w, grams.target(), grams.cross(), f, grams.compressed());
        ratioSum[0] += before > 0 ? after / before : 1;
        // the loss column: ||Y - A' B Xc||_F on the update windows, the error the update minimises
        result.lowRank(matrix, f, after);
        return f;
    }
}
