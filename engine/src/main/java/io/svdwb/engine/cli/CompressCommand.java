package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.export.ExportFormat;
import io.svdwb.engine.export.ExportResult;
import io.svdwb.engine.memory.ResidentMemory;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.pipeline.CompressionPipeline;
import io.svdwb.engine.pipeline.ExportTarget;
import io.svdwb.engine.pipeline.MemoryPolicy;
import io.svdwb.engine.pipeline.PipelineRequest;
import io.svdwb.engine.pipeline.PipelineResult;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = MethodFlags.Adder.class,
        description = {"Compress the selected projections of a checkpoint by one method at a target ratio, report the achieved "
                + "ratio, optionally evaluate it, and export it (written to a temporary folder, verified by reading it back, then "
                + "moved into place).",
                "",
                "Methods: see --method (docs/METHODS.md §4). The ratio c is the fraction of the SELECTED "
                + "matrices' parameters removed (§2.2); uniform rank k = floor((1-c) mn/(m+n)).",
                "",
                "fwsvd weights W by Fisher sums of squared cross-entropy gradients from a backward pass on calibration windows "
                + "(--gradient-*); --fwsvd-fisher diagonal-gram replaces them by the diagonal of the input Gram matrix, an "
                + "approximation [OURS] with no backward pass.",
                ""})
final class CompressCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions device;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--method", required = true, paramLabel = "NAME", completionCandidates = MethodNames.class,
            description = "One of: ${COMPLETION-CANDIDATES}.")
    String method;

    @Option(names = "--ratio", required = true, paramLabel = "C", description = "Target compression ratio in (0, 1): the fraction of parameters removed.")
    double ratio;

    @Mixin
    SelectionOptions selectionOptions;

    @Mixin
    CalibrationOptions calibration;

    @Mixin
    DecompositionCacheOptions decompositionCache;

    @Mixin
    RankMapOptions rankMap;

    @Mixin
    FactorStorageOptions factorStorage;

    @Option(names = "--out", paramLabel = "DIR", description = "Export the compressed checkpoint to DIR (refused if DIR exists, unless --overwrite).")
    Path out;

    @Option(names = "--format", paramLabel = "dense|factored",
            description = "dense: W' = A B in the original architecture; factored: A and B per module (ASVD naming). Default: ${DEFAULT-VALUE}.")
    String format = "dense";

    @Option(names = "--overwrite", description = "Replace an existing --out folder (only once the new export is complete).")
    boolean overwrite;

    @Option(names = "--eval", description = "Also evaluate the compressed model's perplexity (see --text, --ctx, --max-tokens).")
    boolean evaluate;

    @Mixin
    EvaluationOptions evaluation;

    @Mixin
    MemoryOptions memory;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MethodId methodId = MethodId.parse(method);
        rankMap.settings();
        ExportFormat exportFormat = parseFormat(format);
        ConsoleProgress progress = new ConsoleProgress(!noProgress);
        Path modelDir = modelOptions.modelDir();
        MemoryPolicy memoryPolicy = memory.policy();
        ModelConfig config = ModelConfig.read(modelDir);
        MemoryPolicy.CalibrationPlan plan = methodId.needsCalibration() ? calibration.plan(config, memoryPolicy)
                : new MemoryPolicy.CalibrationPlan(calibration.settings(), false);
        try (CompressionContext context = new CompressionContext(modelDir, methodId.needsCalibration() ? calibration.textFile() : null,
                plan.settings(), calibration.calibration(plan, device.backend()), device.backend(), decompositionCache.cache())) {
            Selection selection = selectionOptions.parse(context.checkpoint().config());
            CompressionRequest compression = new CompressionRequest(methodId, ratio, selection,
                    MethodFlags.settings(List.of(methodId), MethodFlags.given(spec)).get(methodId), rankMap.read(context.checkpoint().matrices()), factorStorage.storage());
            String problem = out == null ? null : ExportTarget.storageProblem(context.checkpoint(), compression);
            if (problem != null) {
                throw new IllegalArgumentException(problem + ", so the export could not hold the result; drop --out to evaluate in memory");
            }
            PipelineRequest request = new PipelineRequest(compression, evaluate ? evaluation.protocol() : null,
                    out != null ? new ExportTarget(out, exportFormat, overwrite, false) : null, memoryPolicy);
            PipelineResult result;
            try {
                result = new CompressionPipeline(context).run(request, progress);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException(out + ": " + e.getReason() + (overwrite ? "" : " (pass --overwrite to replace it)"), e);
            }
            print(result, calibrationText(context, progress));
            if (result.perplexity() != null && !result.perplexity().isFinite()) {
                spec.commandLine().getErr().println("error: " + result.perplexity().nonFiniteReason());
                return 3;
            }
            return 0;
        }
    }

    /** "16 x 128 tokens from FILE, seed 3 (from cache)", or null for a data-free method. */
    private static String calibrationText(CompressionContext context, ConsoleProgress progress) {
        if (context.calibrationText() == null) {
            return null;
        }
        return String.format(Locale.ROOT, "%d x %d tokens from %s, seed %d%s", context.calibrationSettings().samples(),
                context.calibrationLength(), context.calibrationText(), context.calibrationSettings().seed(),
                context.calibration(progress).fromCache() ? " (from cache)" : "");
    }

    private void print(PipelineResult r, String calibrationText) throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PerplexityResult ppl = r.perplexity();
        ExportResult exported = r.export();
        String protocol = r.evaluation() != null ? r.evaluation().describe() : null;
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = CompressionReport.json(mapper, r.compression());
            if (calibrationText != null) {
                o.put("calibration", calibrationText);
            }
            if (ppl != null) {
                o.put("perplexity", ppl.perplexity());
                o.put("evaluation_protocol", protocol);
            }
            o.put("peak_rss_bytes", r.peakRssBytes());
            o.put("device", device.backend().name());
            if (device.backend().transferReport() != null) {
                o.put("device_transfers", device.backend().transferReport());
            }
            if (exported != null) {
                o.put("export", exported.folder().toString());
                o.put("export_format", exported.format().id());
                o.put("export_parameters", exported.parameters());
            }
            stdout.println(mapper.writeValueAsString(o));
            return;
        }
        CompressionReport.print(stdout, r.compression(), calibrationText);
        if (ppl != null) {
            stdout.printf(Locale.ROOT, "perplexity        %.4f (%s)%n", ppl.perplexity(), protocol);
        }
        if (exported != null) {
            stdout.printf(Locale.ROOT, "export            %s (%s, %,d parameters, %.2f MB of weights)%n", exported.folder(),
                    exported.format().id(), exported.parameters(), exported.weightBytes() / 1e6);
        }
        stdout.printf(Locale.ROOT, "peak memory       %s resident%n", ResidentMemory.format(r.peakRssBytes()));
        stdout.printf(Locale.ROOT, "device            %s%n", device.describe());
    }

    static ExportFormat parseFormat(String value) {
        for (ExportFormat f : ExportFormat.values()) {
            if (f.id().equalsIgnoreCase(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--format must be dense or factored, got '" + value + "'");
    }
}
