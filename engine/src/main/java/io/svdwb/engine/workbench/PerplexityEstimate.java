package io.svdwb.engine.workbench;

import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.ModuleOutcome;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.eval.PerplexityResult;
import java.util.List;

/**
 * A compressed model's perplexity together with everything that produced it, so the workbench can say which
 * setting a number belongs to. It keeps no weights (the replacements are dropped after the evaluation).
 *
 * @param request    the compression that was evaluated
 * @param protocol   how the perplexity was measured
 * @param perplexity the evaluator's result
 * @param realised   the realised ratio over the selected matrices, from the final integer ranks
 * @param modules    what each selected matrix became (rank, stored numbers, loss)
 */
public record PerplexityEstimate(CompressionRequest request, EvaluationProtocol protocol, PerplexityResult perplexity,
                                 RealisedRatio realised, List<ModuleOutcome> modules) {

    public PerplexityEstimate {
        modules = List.copyOf(modules);
    }
}
