package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressedModels;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.Compressor;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.Sweep;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.eval.PerplexityResult;
import io.svdwb.engine.export.CheckpointExporter;
import io.svdwb.engine.export.CompressionRun;
import io.svdwb.engine.export.ExportFormat;
import io.svdwb.engine.export.ExportRequest;
import io.svdwb.engine.export.ExportResult;
import io.svdwb.engine.export.Manifest;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.files.TemporaryPaths;
import io.svdwb.engine.memory.MemoryBudget;
import io.svdwb.engine.memory.ResidentMemory;
import io.svdwb.engine.model.ForwardMemory;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import java.nio.file.Files;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compress the selected projections of a checkpoint by one method at a target ratio, report the achieved "
                + "ratio, optionally evaluate it, and export it (written to a temporary folder, verified by reading it back, then "
                + "moved into place).",
                "",
                "Methods: see --method (docs/METHODS.md §4). The ratio c is the fraction of the SELECTED "
                + "matrices' parameters removed (§2.2); uniform rank k = floor((1-c) mn/(m+n)).",
                "",
                "fwsvd uses an APPROXIMATION [OURS]: calibration runs the forward pass only (no gradients), so the Fisher information per input "
                + "feature is replaced by f_j = sum_t x_tj^2 (= H_jj; exact when output gradients are independent of the inputs "
                + "and of equal variance), d_j = sqrt(f_j). It is not the gradient-based Fisher of the paper.",
                ""})
final class CompressCommand implements Callable<Integer> {

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
    MethodOptionsMixin methodOptions;

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
        ExportFormat exportFormat = parseFormat(format);
        ConsoleProgress progress = new ConsoleProgress(!noProgress);
        Path modelDir = modelOptions.modelDir();
        MemoryBudget budget = memory.budget();
        ModelConfig config = ModelConfig.read(modelDir);
        boolean streamed = memory.residency(config) == LlamaModel.Residency.STREAM;
        CalibrationSettings settings = methodId.needsCalibration() ? calibration.settings(config, budget) : calibration.settings();
        Path spill = streamed ? Files.createTempDirectory("svdwb-factors-") : null;
        try (TemporaryPaths.Registration spillRegistration = spill != null ? TemporaryPaths.register(spill) : null;
             CompressionContext context = new CompressionContext(modelDir, methodId.needsCalibration() ? calibration.textFile() : null,
                settings, calibration.calibration(), LinearAlgebra.cpu(), decompositionCache.cache())) {
            if (spill != null) {
                // the factors of a model this large do not fit beside it: each matrix's go to disk as soon as they exist
                context.spillFactorsTo(spill);
            }
            return run(methodId, exportFormat, progress, modelDir, context, streamed);
        } finally {
            if (spill != null) {
                TemporaryPaths.deleteRecursively(spill);
            }
        }
    }

    private Integer run(MethodId methodId, ExportFormat exportFormat, ConsoleProgress progress, Path modelDir,
            CompressionContext context, boolean streamed) throws Exception {
        {
            Selection selection = selectionOptions.parse(context.checkpoint().config());
            CompressionRequest request = new CompressionRequest(methodId, ratio, selection, methodOptions.options());
            if (out != null && methodId == io.svdwb.engine.compress.method.MethodId.SOCO && request.options().soco().deviation()
                    && selection.filter(context.checkpoint().matrices()).stream().anyMatch(m -> !m.kind().hasBias(context.checkpoint().config()))) {
                // checked before training: the export would refuse the biases only after minutes of it
                throw new IllegalArgumentException("--soco-deviation on stores d as a bias on every compressed projection, and this "
                        + "model's config has no bias on some of them, so the export could not hold it; drop --out to evaluate "
                        + "in memory, or use --soco-deviation off");
            }
            if (out != null) {
                try {
                    CheckpointExporter.checkTarget(out, modelDir, overwrite);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    throw new IllegalArgumentException(out + ": " + e.getReason() + (overwrite ? "" : " (pass --overwrite to replace it)"), e);
                }
            }
            CompressionResult result = new Compressor(context).compress(request, progress);
            String calibrationText = methodId.needsCalibration() ? String.format(Locale.ROOT, "%d x %d tokens from %s, seed %d%s",
                    context.calibrationSettings().samples(), context.calibrationLength(), context.calibrationText(),
                    context.calibrationSettings().seed(), context.calibration(progress).fromCache() ? " (from cache)" : "") : null;
            PerplexityResult ppl = null;
            String protocol = null;
            if (evaluate) {
                LlamaModel model = CompressedModels.install(new LlamaModel(context.checkpoint(), LinearAlgebra.cpu(),
                        streamed ? LlamaModel.Residency.STREAM : LlamaModel.Residency.KEEP), result);
                Sweep.Evaluation e = evaluation.resolve(model, modelDir);
                protocol = evaluation.protocol(e);
                ppl = new PerplexityEvaluator(model).evaluate(e.tokens(), e.ctx(), e.maxTokens(), e.batch(), progress);
            }
            ExportResult exported = null;
            if (out != null) {
                CompressionRun run = new CompressionRun(methodId.cliName(), ratio,
                        methodId.needsCalibration() ? context.calibrationText().toString() : null,
                        methodId.needsCalibration() ? context.calibrationSettings().samples() : 0,
                        methodId.needsCalibration() ? context.calibrationLength() : 0, context.calibrationSettings().seed(),
                        new SvdwbCli.Version().getVersion()[0], protocol != null ? protocol : "not evaluated");
                Manifest manifest = Manifest.describe(run, context.checkpoint(), result.replacements());
                exported = new CheckpointExporter(LinearAlgebra.cpu()).export(
                        new ExportRequest(context.checkpoint(), result.replacements(), manifest, exportFormat, overwrite,
                                result.exportSidecars()), out, progress);
            }
            print(result, calibrationText, ppl, protocol, exported, ResidentMemory.peakBytes());
            if (ppl != null && !ppl.isFinite()) {
                spec.commandLine().getErr().println("error: " + ppl.nonFiniteReason());
                return 3;
            }
            return 0;
        }
    }

    private void print(CompressionResult result, String calibrationText, PerplexityResult ppl, String protocol, ExportResult exported,
            long peakRss) throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = CompressionReport.json(mapper, result);
            if (calibrationText != null) {
                o.put("calibration", calibrationText);
            }
            if (ppl != null) {
                o.put("perplexity", ppl.perplexity());
                o.put("evaluation_protocol", protocol);
            }
            o.put("peak_rss_bytes", peakRss);
            if (exported != null) {
                o.put("export", exported.folder().toString());
                o.put("export_format", exported.format().id());
                o.put("export_parameters", exported.parameters());
            }
            stdout.println(mapper.writeValueAsString(o));
            return;
        }
        CompressionReport.print(stdout, result, calibrationText);
        if (ppl != null) {
            stdout.printf(Locale.ROOT, "perplexity        %.4f (%s)%n", ppl.perplexity(), protocol);
        }
        if (exported != null) {
            stdout.printf(Locale.ROOT, "export            %s (%s, %,d parameters, %.2f MB of weights)%n", exported.folder(),
                    exported.format().id(), exported.parameters(), exported.weightBytes() / 1e6);
        }
        stdout.printf(Locale.ROOT, "peak memory       %s resident%n", ResidentMemory.format(peakRss));
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
