package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.eval.EvaluationTokens;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.export.FactoredCheckpoint;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.memory.MemoryBudget;
import io.svdwb.engine.memory.ResidentMemory;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.pipeline.MemoryPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Perplexity of a checkpoint on a text file.",
                "Protocol: the text is tokenized once with one BOS at the very start (or one per document with --doc-sep),",
                "cut into non-overlapping windows of --ctx tokens (the tail dropped), each window run from position 0,",
                "and the NLL averaged over positions 1..ctx-1 of every window."})
final class EvalCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    EvaluationOptions evaluation;

    @Mixin
    MemoryOptions memory;

    @Mixin
    DeviceOptions device;

    @Option(names = "--json", description = "Print one JSON object (perplexity, tokens_predicted, windows, ctx, ...) instead of text.")
    boolean json;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path textFile = evaluation.textFile();
        Path modelDir = modelOptions.modelDir();
        try (Checkpoint checkpoint = FactoredCheckpoint.open(modelDir)) {
            MemoryPolicy policy = memory.policy();
            MemoryBudget budget = policy.budget();
            ModelConfig config = checkpoint.config();
            LlamaModel model = new LlamaModel(checkpoint, device.backend(), policy.residencyFor(config));
            boolean streamed = model.residency() == LlamaModel.Residency.STREAM;
            EvaluationTokens tokens = evaluation.protocol().tokenize(modelDir, config);
            PerplexityResult r = new PerplexityEvaluator(model).evaluate(tokens, budget, new ConsoleProgress(!noProgress));
            long peak = ResidentMemory.peakBytes();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(toJson(r, modelDir, textFile, streamed, peak));
            } else {
                out.printf("perplexity        %.4f%n", r.perplexity());
                out.printf("mean NLL          %.6f nats%n", r.meanNll());
                out.printf("windows           %d x %d tokens (%d of %d text tokens used)%n", r.windows(), r.ctx(), r.tokensUsed(), r.textTokens());
                out.printf("tokens predicted  %d%n", r.tokensPredicted());
                out.printf("non-finite        %d%n", r.nonFinitePredictions());
                out.printf("time              %.2f s (%.0f tokens/s)%n", r.seconds(), r.tokensUsed() / r.seconds());
                out.printf("model             %s%n", streamed ? "streamed one decoder layer at a time (memory budget " + budget + ")"
                        : "in memory");
                out.printf("peak memory       %s resident%n", ResidentMemory.format(peak));
                out.printf("device            %s%n", device.describe());
            }
            if (!r.isFinite()) {
                spec.commandLine().getErr().println("error: " + modelDir + ": " + r.nonFiniteReason());
                return 3;
            }
            return 0;
        }
    }

    private String toJson(PerplexityResult r, Path modelDir, Path textFile, boolean streamed, long peak) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("perplexity", r.perplexity());
        o.put("mean_nll", r.meanNll());
        o.put("tokens_predicted", r.tokensPredicted());
        o.put("windows", r.windows());
        o.put("ctx", r.ctx());
        o.put("text_tokens", r.textTokens());
        o.put("tokens_used", r.tokensUsed());
        o.put("non_finite_predictions", r.nonFinitePredictions());
        o.put("seconds", r.seconds());
        o.put("model", modelDir.toString());
        o.put("streamed", streamed);
        o.put("device", device.backend().name());
        if (device.backend().transferReport() != null) {
            o.put("device_transfers", device.backend().transferReport());
        }
        o.put("peak_rss_bytes", peak);
        o.put("text", textFile.toString());
        if (evaluation.documentSeparator != null) {
            o.put("doc_sep", evaluation.documentSeparator);
        }
        o.put("protocol", "non-overlapping windows from token 0, tail dropped, NLL over positions 1..ctx-1; "
                + (evaluation.documentSeparator != null ? "one BOS per document" : "one BOS at the start of the text"));
        return mapper.writeValueAsString(o);
    }
}
