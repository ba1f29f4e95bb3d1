package io.svdwb.engine.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.ProjectionKind;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Everything needed to reproduce and judge an exported checkpoint: written as {@code manifest.json} and
 * repeated in the safetensors {@code __metadata__} ({@code svd.manifest}). Ratios follow docs/METHODS.md §2.2.
 *
 * @param format            the export format id ({@link ExportFormat#id()}); set by the exporter
 * @param layers            the layers that have at least one replaced projection
 * @param modules           the projection kinds replaced somewhere (short names: q, k, v, o, gate, up, down)
 * @param ranks             module name to rank for every low-rank module (kc for a column-preserving one)
 * @param keptColumnCounts  module name to the number q of exact input columns, for every column-preserving
 *                          (Duo-SVD) module; empty when there is none (and in manifests written before it existed)
 * @param sourceModel       the absolute path of the source model folder (null in manifests written before it existed)
 * @param sourceProvenance  the absolute path of the source's PROVENANCE.md, or null when it has none: the export does
 *                          not copy it (nor the source's reference perplexities), since it describes the source
 * @param methodSettings    every option of the method with its value, as the command line takes it (empty in manifests
 *                          written before methods owned their options)
 * @param factorDtype       "int8" when some module holds int8 factors (docs/METHODS.md §2.6; a factored export stores
 *                          codes and scales, a dense one the float32 product of the dequantised factors), "baseline" otherwise
 * @param baselineBits      bits per dense weight the ratios count against when they are in bits (16 or 32)
 * @param ratioUnit         "bits" when the achieved ratios count bits (int8 factors), "parameters" otherwise (§2.2)
 * @param int8Rounding      how the int8 codes were chosen ("nearest" or "gptq"), null without int8 factors
 */
public record Manifest(String method, String format, double targetRatio, double achievedRatioCompressible,
                       double achievedRatioModel, List<Integer> layers, List<String> modules,
                       String calibrationData, int calibrationSamples, int sequenceLength, long seed,
                       String toolVersion, String evaluationProtocol, Map<String, Integer> ranks,
                       Map<String, Integer> keptColumnCounts, String sourceModel, String sourceProvenance,
                       Map<String, String> methodSettings, String factorDtype, Integer baselineBits, String ratioUnit,
                       String int8Rounding) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** The provenance file of a model folder, named in {@link #sourceProvenance()} rather than copied. */
    public static final String SOURCE_PROVENANCE_FILE = "PROVENANCE.md";

    public Manifest {
        layers = List.copyOf(layers);
        modules = List.copyOf(modules);
        // an unmodifiable copy that keeps the caller's (layer) order, which Map.copyOf would not
        ranks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ranks));
        keptColumnCounts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keptColumnCounts == null ? Map.of() : keptColumnCounts));
        methodSettings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(methodSettings == null ? Map.of() : methodSettings));
    }

    /** The manifest of {@code replacements} applied to {@code source}: ratios, selection and ranks derived from them. */
    public static Manifest describe(CompressionRun run, Checkpoint source, Map<String, ? extends Linear> replacements) {
        return describe(run, source, replacements, io.svdwb.engine.compress.quant.FactorStorage.BASELINE);
    }

    /**
     * As {@link #describe(CompressionRun, Checkpoint, Map)}; with int8 factors among the replacements the achieved ratios
     * are counted in bits against the storage's baseline bits per dense weight (docs/METHODS.md §2.6), and the storage's
     * rounding is recorded.
     */
    public static Manifest describe(CompressionRun run, Checkpoint source, Map<String, ? extends Linear> replacements,
                                    io.svdwb.engine.compress.quant.FactorStorage storage) {
        int baselineBits = storage.baselineBits();
        CompressionAccounting accounting = CompressionAccounting.of(source, replacements);
        boolean int8 = !CompressionAccounting.int8Modules(source, replacements).isEmpty();
        double compressible = accounting.compressibleRatio();
        double model = accounting.modelRatio();
        if (int8) {
            long originalBits = accounting.originalParameters() * baselineBits;
            long removedBits = originalBits - CompressionAccounting.keptBits(source, replacements, baselineBits);
            compressible = (double) removedBits / originalBits;
            model = (double) removedBits / (accounting.modelParameters() * baselineBits);
        }
        TreeSet<Integer> layers = new TreeSet<>();
        EnumSet<ProjectionKind> kinds = EnumSet.noneOf(ProjectionKind.class);
        for (String module : replacements.keySet()) {
            ProjectionModule parsed = ProjectionModule.parse(module, source.config());
            layers.add(parsed.layer());
            kinds.add(parsed.kind());
        }
        List<String> modules = kinds.stream().map(ProjectionKind::shortName).toList();
        java.nio.file.Path sourceDir = source.dir().toAbsolutePath().normalize();
        java.nio.file.Path provenance = sourceDir.resolve(SOURCE_PROVENANCE_FILE);
        return new Manifest(run.method(), null, run.targetRatio(), compressible, model,
                new ArrayList<>(layers), modules, run.calibrationData(), run.calibrationSamples(), run.sequenceLength(),
                run.seed(), run.toolVersion(), run.evaluationProtocol(), accounting.ranks(), accounting.keptColumnCounts(),
                sourceDir.toString(), java.nio.file.Files.isRegularFile(provenance) ? provenance.toString() : null,
                run.methodSettings(), int8 ? "int8" : "baseline", baselineBits, int8 ? "bits" : "parameters",
                int8 ? storage.rounding().cliName() : null);
    }

    public Manifest withFormat(ExportFormat exportFormat) {
        return new Manifest(method, exportFormat.id(), targetRatio, achievedRatioCompressible, achievedRatioModel, layers,
                modules, calibrationData, calibrationSamples, sequenceLength, seed, toolVersion, evaluationProtocol, ranks,
                keptColumnCounts, sourceModel, sourceProvenance, methodSettings, factorDtype, baselineBits, ratioUnit, int8Rounding);
    }

    /** JSON with snake_case keys; indented for manifest.json, on one line for the safetensors metadata. */
    public String toJson(boolean indented) {
        try {
            return indented ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) : JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Manifest fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, Manifest.class);
    }
}
