package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.bench.PipelineBenchmark;
import io.svdwb.engine.files.AtomicFile;
import io.svdwb.engine.memory.ResidentMemory;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"SVD-LLM's whitening and truncation on a streamed model, stage by stage (load, calibration forward, Gram "
                + "accumulation, Cholesky, SVD, evaluation), with the peak resident memory and the machine's sgemm rate: our side of "
                + "scripts/bench-vs-pytorch.sh. Token windows are drawn uniformly from the vocabulary (--seed) and can be written "
                + "out (--windows-out) for the other implementation."})
final class BenchPipelineCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions device;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--calib-samples", defaultValue = "8", paramLabel = "N", description = "Calibration windows. Default: ${DEFAULT-VALUE}.")
    int calibrationSamples;

    @Option(names = "--calib-length", defaultValue = "2048", paramLabel = "L", description = "Tokens per calibration window. Default: ${DEFAULT-VALUE}.")
    int calibrationLength;

    @Option(names = "--calib-batch", defaultValue = "1", paramLabel = "N", description = "Calibration windows per forward pass. Default: ${DEFAULT-VALUE}.")
    int calibrationBatch;

    @Option(names = "--eval-tokens", defaultValue = "2048", paramLabel = "T", description = "Evaluation tokens (whole windows of --ctx). Default: ${DEFAULT-VALUE}.")
    int evaluationTokens;

    @Option(names = "--ctx", defaultValue = "2048", paramLabel = "C", description = "Evaluation window. Default: ${DEFAULT-VALUE}.")
    int ctx;

    @Option(names = "--ratio", defaultValue = "0.4", paramLabel = "C", description = "Compression ratio of every projection. Default: ${DEFAULT-VALUE}.")
    double ratio;

    @Option(names = "--layers", defaultValue = "all", paramLabel = "SPEC",
            description = "Decoder layers to decompose: all, or indices and ranges such as 0-3,6 (calibration runs up to the last). "
                    + "Default: ${DEFAULT-VALUE}.")
    String layers;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the token windows. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--gemm-size", defaultValue = "2048", paramLabel = "N", description = "Size of the sgemm that measures the machine's rate. Default: ${DEFAULT-VALUE}.")
    int gemmSize;

    @Option(names = "--windows-out", paramLabel = "FILE", description = "Write the token windows as JSON {\"calibration\": [[ids]], \"evaluation\": [[ids]]}.")
    Path windowsOut;

    @Option(names = "--json-out", paramLabel = "FILE", description = "Write the result as JSON.")
    Path jsonOut;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (calibrationSamples < 1 || calibrationLength < 2 || calibrationBatch < 1 || ctx < 2 || evaluationTokens < ctx) {
            throw new IllegalArgumentException("--calib-samples and --calib-batch must be at least 1, --calib-length and --ctx at "
                    + "least 2, and --eval-tokens at least one window of --ctx");
        }
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("--ratio must lie in (0, 1), got " + ratio);
        }
        ObjectMapper mapper = new ObjectMapper();
        try (Checkpoint checkpoint = Checkpoint.open(modelOptions.modelDir())) {
            ModelConfig config = checkpoint.config();
            config.requireSupportedSequenceLength(Math.max(ctx, calibrationLength));
            int[][] calibration = PipelineBenchmark.randomWindows(config, calibrationSamples, calibrationLength, seed);
            int[][] evaluation = PipelineBenchmark.randomWindows(config, evaluationTokens / ctx, ctx, seed + 1);
            if (windowsOut != null) {
                ObjectNode windows = mapper.createObjectNode();
                windows.set("calibration", mapper.valueToTree(calibration));
                windows.set("evaluation", mapper.valueToTree(evaluation));
                AtomicFile.write(windowsOut, true, mapper.writeValueAsString(windows).getBytes(StandardCharsets.UTF_8));
            }
            LlamaModel model = new LlamaModel(checkpoint, device.backend(), LlamaModel.Residency.STREAM);
            java.util.BitSet selected = io.svdwb.engine.compress.Selection.parse("all".equalsIgnoreCase(layers) ? null : layers, null, config).layers();
            PipelineBenchmark.Result r = new PipelineBenchmark(model).run(calibration, calibrationBatch, evaluation, ratio, selected,
                    gemmSize, new ConsoleProgress(!noProgress));
            ObjectNode o = mapper.createObjectNode();
            o.put("implementation", "svdwb");
            o.put("backend", device.backend().name());
            o.put("threads", Runtime.getRuntime().availableProcessors());
            ObjectNode stages = o.putObject("stages");
            r.stages().forEach(stages::put);
            o.put("peak_rss_bytes", r.peakRssBytes());
            o.put("perplexity", r.perplexity());
            o.put("calibration_tokens", r.calibrationTokens());
            o.put("evaluation_tokens", r.evaluationTokens());
            o.put("layers", r.layers());
            o.put("regularised", r.regularised());
            o.put("sgemm_gflops", r.sgemmGflops());
            o.put("calibration_forward_gflops", r.calibrationForwardGflops());
            o.put("evaluation_gflops", r.evaluationGflops());
            o.put("ratio", ratio);
            if (jsonOut != null) {
                AtomicFile.write(jsonOut, true, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(o).getBytes(StandardCharsets.UTF_8));
            }
            PrintWriter out = spec.commandLine().getOut();
            for (Map.Entry<String, Double> e : r.stages().entrySet()) {
                out.printf(Locale.ROOT, "%-20s %10.2f s%n", e.getKey(), e.getValue());
            }
            out.printf(Locale.ROOT, "%-20s %s%n", "peak memory", ResidentMemory.format(r.peakRssBytes()));
            out.printf(Locale.ROOT, "%-20s %.1f GFLOP/s (%d x %d)%n", "sgemm", r.sgemmGflops(), gemmSize, gemmSize);
            out.printf(Locale.ROOT, "%-20s %.1f GFLOP/s (%.0f %% of sgemm)%n", "calibration forward", r.calibrationForwardGflops(),
                    100 * r.calibrationForwardGflops() / r.sgemmGflops());
            out.printf(Locale.ROOT, "%-20s %.1f GFLOP/s (%.0f %% of sgemm)%n", "evaluation", r.evaluationGflops(),
                    100 * r.evaluationGflops() / r.sgemmGflops());
            out.printf(Locale.ROOT, "%-20s %.6f (random tokens and weights: a cross-check, not a quality figure)%n", "perplexity",
                    r.perplexity());
            return 0;
        }
    }
}
