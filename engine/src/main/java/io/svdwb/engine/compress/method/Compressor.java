package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.FisherWeighting;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;

/**
 * Runs a {@link CompressionRequest} on a {@link CompressionContext}: the one entry point the CLI, sweeps and
 * the workbench share. It only orchestrates; the numerics live in {@code compress.kernels}, the searches in
 * {@code compress.search}, and everything expensive is cached in the context, so a second request that
 * differs only in its ratio costs slicing (plus the method's own search, if it has one).
 */
public final class Compressor {

    private final CompressionContext context;

    public Compressor(CompressionContext context) {
        this.context = context;
    }

    public CompressionContext context() {
        return context;
    }

    /** Compresses with the factors kept in memory. */
    public CompressionResult compress(CompressionRequest request, ProgressListener progress) {
        return compress(request, null, progress);
    }

    /**
     * Compresses with the plain low-rank factors written to files in {@code factorSpill} (which the caller creates and
     * deletes) as each matrix is done, keeping only their shapes in memory: for models whose factors do not fit beside
     * the streamed model (docs/BENCHMARKS.md, "LLaMA-7B on a 24 GB workstation"). Null keeps them in memory.
     */
    public CompressionResult compress(CompressionRequest request, java.nio.file.Path factorSpill, ProgressListener progress) {
        long start = System.nanoTime();
        List<MatrixSpec> selected = request.selection().filter(context.checkpoint().matrices());
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("the selection (" + request.selection().describe() + ") contains no matrix");
        }
        if (request.method().needsCalibration()) {
            context.calibration(progress, selected.stream().mapToInt(MatrixSpec::layer).max().orElseThrow() + 1);
        }
        ResultAssembly result = new ResultAssembly(context, selected, factorSpill);
        MethodOptions options = request.options();
        switch (request.method()) {
            case SVD -> UniformRankMethod.apply(context, new DecompositionRecipe.Plain(), request.ratio(), selected, result, progress);
            case FWSVD -> UniformRankMethod.apply(context,
                    new DecompositionRecipe.FisherDiagonal(FisherWeighting.Orientation.INPUT_COLUMNS), request.ratio(), selected,
                    result, progress);
            case ASVD -> AsvdMethod.apply(context, request, selected, result, progress);
            case SVD_LLM -> {
                DecompositionRecipe whitened = new DecompositionRecipe.Whitened(options.whitening());
                java.util.Map<MatrixSpec, Integer> ranks = SvdLlmRanks.of(context, whitened, selected, request.ratio(),
                        options.svdLlmRatios(), result);
                if (options.svdLlmUpdate().enabled()) {
                    SvdLlmUpdateMethod.apply(context, request, ranks, selected, result, progress);
                } else {
                    UniformRankMethod.apply(context, whitened, ranks::get, selected, result, progress);
                }
            }
            case RESSVD -> ResSvdMethod.apply(context, request, selected, result, progress);
            case DUO_SVD -> DuoSvdMethod.apply(context, request, selected, result, progress);
            case SOCO -> SocoMethod.apply(context, request, selected, result, progress);
            default -> throw new IllegalArgumentException("unknown method " + request.method());
        }
        return result.finish(request, (System.nanoTime() - start) / 1e9);
    }
}
