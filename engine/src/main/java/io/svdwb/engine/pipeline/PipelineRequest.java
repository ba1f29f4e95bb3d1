package io.svdwb.engine.pipeline;

import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.eval.EvaluationProtocol;
import java.util.Objects;

/**
 * One run of a {@link CompressionPipeline}: what to compress, and whether to measure and write the result.
 *
 * @param evaluation how the compressed model is measured (resolved for the model by the pipeline); null: not measured
 * @param export     where the compressed checkpoint is written; null: not written
 */
public record PipelineRequest(CompressionRequest compression, EvaluationProtocol evaluation, ExportTarget export,
                              MemoryPolicy memory) {

    public PipelineRequest {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(memory, "memory");
        if (export != null && export.evaluateReloaded() && evaluation == null) {
            throw new IllegalArgumentException("measuring the export read back needs an evaluation protocol");
        }
    }

    /** Compression alone, within the default memory policy. */
    public static PipelineRequest of(CompressionRequest compression) {
        return new PipelineRequest(compression, null, null, MemoryPolicy.defaults());
    }

    public PipelineRequest evaluatedBy(EvaluationProtocol protocol) {
        return new PipelineRequest(compression, protocol, export, memory);
    }

    public PipelineRequest exportedTo(ExportTarget target) {
        return new PipelineRequest(compression, evaluation, target, memory);
    }

    public PipelineRequest within(MemoryPolicy policy) {
        return new PipelineRequest(compression, evaluation, export, policy);
    }
}
