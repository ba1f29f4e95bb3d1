package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.files.AtomicFile;
import io.svdwb.engine.pipeline.CompressionPipeline;
import io.svdwb.engine.pipeline.MemoryPolicy;
import io.svdwb.engine.pipeline.Sweep;
import io.svdwb.engine.pipeline.SweepRow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = MethodFlags.Adder.class,
        description = {"Compress by every method at every ratio and print a table of perplexity, achieved ratio and time.",
                "One calibration run and one decomposition per matrix serve the whole grid. The uncompressed baseline comes first.",
                "Method options are those of 'compress' (see compress --help)."})
final class SweepCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions device;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--methods", required = true, split = ",", paramLabel = "LIST", completionCandidates = MethodNames.class,
            description = "Methods separated by commas (e.g. svd,asvd,svd-llm), from: ${COMPLETION-CANDIDATES}. A method's sweep "
                    + "variants run beside it as method+variant: svd-llm+update, svd-llm+v2 and svd-llm+v2+update are svd-llm with "
                    + "--svd-llm-update on (§4.4) and/or --svd-llm-ratios v2 (§4.5).")
    List<String> methods;

    @Option(names = "--ratios", required = true, split = ",", paramLabel = "LIST", description = "Target ratios, e.g. 0.2,0.4,0.6.")
    List<Double> ratios;

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

    @Mixin
    EvaluationOptions evaluation;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows (with per-module ranks) as JSON to FILE "
            + "(checked before the sweep starts; refused if FILE exists, unless --overwrite).")
    Path jsonOut;

    @Option(names = "--overwrite", description = "Replace an existing --json file.")
    boolean overwrite;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Mixin
    MemoryOptions memory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<io.svdwb.engine.pipeline.Sweep.Variant> variants = MethodFlags.sweepVariants(methods, MethodFlags.given(spec));
        List<MethodId> methodIds = variants.stream().map(io.svdwb.engine.pipeline.Sweep.Variant::method).distinct().toList();
        rankMap.settings();
        for (double r : ratios) {
            io.svdwb.engine.compress.kernels.RankFromRatio.keptRatio(r);
        }
        if (jsonOut != null) {
            // a sweep takes minutes to hours: an unwritable target must stop it now, not after the last row
            checkJsonTarget();
        }
        boolean calibrated = methodIds.stream().anyMatch(MethodId::needsCalibration);
        Path modelDir = modelOptions.modelDir();
        PrintWriter out = spec.commandLine().getOut();
        ConsoleProgress progress = new ConsoleProgress(!noProgress);
        MemoryPolicy memoryPolicy = memory.policy();
        MemoryPolicy.CalibrationPlan plan = calibrated
                ? calibration.plan(io.svdwb.engine.model.ModelConfig.read(modelDir), memoryPolicy)
                : new MemoryPolicy.CalibrationPlan(calibration.settings(), false);
        try (CompressionContext context = new CompressionContext(modelDir, calibrated ? calibration.textFile() : null,
                plan.settings(), calibration.calibration(plan, device.backend()), device.backend(), decompositionCache.cache())) {
            Selection selection = selectionOptions.parse(context.checkpoint().config());
            EvaluationProtocol protocol = evaluation.protocol().resolvedFor(context.checkpoint().config());
            out.printf(Locale.ROOT, "model: %s; selection: %s; evaluation: %s%n", modelDir, selection.describe(), protocol.describe());
            if (calibrated) {
                out.printf(Locale.ROOT, "calibration: %d x %d tokens from %s, seed %d%n", context.calibrationSettings().samples(),
                        context.calibrationLength(), context.calibrationText(), context.calibrationSettings().seed());
            }
            io.svdwb.engine.compress.quant.FactorStorage storage = factorStorage.storage();
            if (storage.quantized()) {
                out.printf(Locale.ROOT, "factor storage: %s (docs/METHODS.md §2.6)%n", storage.describe());
            }
            out.printf(Locale.ROOT, "%-9s %6s %12s %9s %9s %12s %9s %8s%n", "method", "target", "perplexity", "achieved", "c_model",
                    storage.quantized() ? "kept bits" : "kept params", "compress", "eval");
            List<SweepRow> rows = new ArrayList<>();
            new Sweep(new CompressionPipeline(context)).startingFrom(rankMap.read(context.checkpoint().matrices())).storedAs(factorStorage.storage()).runVariants(variants, ratios, selection, protocol,
                    memoryPolicy, progress, row -> {
                        rows.add(row);
                        out.println(line(row));
                        out.flush();
                    });
            if (jsonOut != null) {
                writeJson(rows, modelDir, selection, protocol.describe(), context);
            }
            for (SweepRow row : rows) {
                if (!row.perplexity().isFinite()) {
                    spec.commandLine().getErr().println("error: " + (row.baseline() ? "dense" : row.name() + " at ratio " + row.ratio())
                            + ": " + row.perplexity().nonFiniteReason());
                }
            }
            return rows.stream().anyMatch(r -> !r.perplexity().isFinite()) ? 3 : 0;
        }
    }

    private static String line(SweepRow row) {
        if (row.baseline()) {
            return String.format(Locale.ROOT, "%-9s %6s %12.4f %9s %9s %12s %9s %7.1fs", "dense", "-", row.perplexity().perplexity(),
                    "0", "0", "all", "-", row.perplexity().seconds());
        }
        return String.format(Locale.ROOT, "%-9s %6.2f %12.4f %9.4f %9.4f %,12d %8.1fs %7.1fs", row.name(), row.ratio(),
                row.perplexity().perplexity(), row.achievedRatio(), row.compression().allMatrices().modelRatio(), row.keptParameters(),
                row.compressSeconds(), row.perplexity().seconds());
    }

    private void writeJson(List<SweepRow> rows, Path modelDir, Selection selection, String protocol, CompressionContext context)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", modelDir.toString());
        root.put("selection", selection.describe());
        root.put("evaluation_protocol", protocol);
        if (context.calibrationText() != null) {
            root.put("calibration", context.calibrationText().toString());
            root.put("calibration_samples", context.calibrationSettings().samples());
            root.put("calibration_length", context.calibrationLength());
            root.put("seed", context.calibrationSettings().seed());
        }
        ArrayNode array = root.putArray("rows");
        for (SweepRow row : rows) {
            ObjectNode o = row.baseline() ? array.addObject() : CompressionReport.json(mapper, row.compression());
            o.put("method", row.name());
            if (!row.baseline()) {
                array.add(o);
            }
            o.put("perplexity", row.perplexity().perplexity());
            o.put("tokens_predicted", row.perplexity().tokensPredicted());
            o.put("eval_seconds", row.perplexity().seconds());
        }
        checkJsonTarget();
        AtomicFile.write(jsonOut, overwrite, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    private void checkJsonTarget() throws java.io.IOException {
        try {
            AtomicFile.checkTarget(jsonOut, overwrite);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException(jsonOut + ": already exists (pass --overwrite to replace it)", e);
        }
    }
}
