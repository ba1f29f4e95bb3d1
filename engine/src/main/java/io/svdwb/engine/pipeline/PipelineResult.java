package io.svdwb.engine.pipeline;

import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.export.ExportResult;
import io.svdwb.engine.export.Manifest;
import io.svdwb.engine.model.LlamaModel;

/**
 * What a {@link CompressionPipeline} run produced. The replacements of a streamed run were spilled to a folder that is
 * gone once the run returns: use {@code compression}'s numbers (ranks, ratios, outcomes), not its weights.
 *
 * @param manifest           the description of the run, as the export writes it (also when nothing was exported)
 * @param evaluation         the protocol resolved for the model; null when not measured
 * @param perplexity         the compressed model's, in memory; null when not measured
 * @param export             the written export; null when not exported
 * @param reloadedPerplexity the export's, read back from disk; null unless asked for
 * @param residency          how the model was held while measured
 * @param peakRssBytes       the process's peak resident memory at the end of the run (-1 where unknown)
 */
public record PipelineResult(CompressionResult compression, Manifest manifest, EvaluationProtocol evaluation,
                             PerplexityResult perplexity, ExportResult export, PerplexityResult reloadedPerplexity,
                             LlamaModel.Residency residency, long peakRssBytes) {
}
