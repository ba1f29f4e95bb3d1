package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.bench.ForwardBenchmark;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "forward", mixinStandardHelpOptions = true,
        description = {"Forward-pass throughput (tokens/s) and its achieved GFLOP/s as a fraction of the sgemm",
                "GFLOP/s of the same linear-algebra backend, both measured in this run."})
final class BenchForwardCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--ctx", paramLabel = "N", description = "Sequence length. Default: min(512, max_position_embeddings).")
    Integer ctx;

    @Option(names = "--batch", paramLabel = "N", description = "Sequences per forward pass. Default: 2048 / ctx, at least 1.")
    Integer batch;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5", description = "Timed repetitions (after one warm-up). Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--gemm-size", paramLabel = "N", defaultValue = "1024", description = "Size of the square sgemm baseline. Default: ${DEFAULT-VALUE}.")
    int gemmSize;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Checkpoint checkpoint = FactoredCheckpoint.open(modelOptions.modelDir())) {
            LlamaModel model = new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.KEEP);
            int seqLen = ctx != null ? ctx : Math.min(512, model.config().maxPositionEmbeddings());
            int sequences = batch != null ? batch : EvaluationProtocol.defaultBatch(seqLen);
            ForwardBenchmark.Result r = new ForwardBenchmark(model).run(seqLen, sequences, repeats, gemmSize);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
                return 0;
            }
            out.printf("backend                 %s%n", r.backend());
            out.printf("shape                   %d sequences x %d tokens, %d timed repeats%n", r.sequences(), r.seqLen(), r.repeats());
            out.printf("forward                 %.1f tokens/s (median %.4f s per pass, min %.4f s)%n", r.tokensPerSecond(), r.medianSeconds(), r.minSeconds());
            out.printf("forward FLOPs per pass  %.3e (projections, attention, lm_head)%n", r.flopsPerPass());
            out.printf("forward                 %.2f GFLOP/s%n", r.forwardGflops());
            out.printf("sgemm %d^3 baseline     %.2f GFLOP/s (best of %d)%n", r.gemmSize(), r.gemmGflops(), r.repeats());
            out.printf("forward / sgemm         %.3f%n", r.fractionOfGemm());
        }
        return 0;
    }
}
