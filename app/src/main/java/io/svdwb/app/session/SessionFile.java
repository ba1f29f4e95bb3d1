package io.svdwb.app.session;

import io.svdwb.app.compare.ComparisonRow;
import io.svdwb.app.setup.CalibrationSetup;
import io.svdwb.app.CompressionSetting;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodSettings;
import io.svdwb.engine.model.ProjectionKind;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;

/**
 * The JSON layout of {@value #FORMAT}: plain names and numbers (methods and projections by their command-line
 * names), so the file reads without the engine's class names and survives their renaming. Converting back
 * checks every value with the engine's own constructors. {@value #FORMAT_V1} is the same layout without
 * {@code compression.exclude}; v2 exists because a v1 reader would refuse that key, and a file naming v1 should
 * read in every version that reads v1. v3 replaced the estimate (a number and a free-text protocol that nothing
 * wrote) by {@link EstimateFile}: the shown estimate with the whole setup it belongs to. v4 stores the chosen method's
 * settings as its own options name the values ({@code "settings": {"asvd-alpha": "0.5", ...}}), instead of one fixed
 * record of every method's knobs; the v1-v3 {@code options} record is still read (see {@link LegacyOptions}).
 */
record SessionFile(String format, String model, Compression compression, Calibration calibration, Evaluation evaluation,
                   Compare compare, EstimateFile estimate) {

    static final String FORMAT = "svdwb-session-v4";
    static final String FORMAT_V3 = "svdwb-session-v3";
    static final String FORMAT_V2 = "svdwb-session-v2";
    static final String FORMAT_V1 = "svdwb-session-v1";

    /** @param exclude matrices left out of layers x modules, as the command line's --exclude ("3.q") */
    /**
     * @param settings the method's options by name, as the command line takes them (v4)
     * @param options  v1-v3's record of every method's knobs, read when {@code settings} is absent
     * @param factorDtype "int8" for int8 factors (docs/METHODS.md §2.6), "baseline" or absent for the dense dtype
     */
    record Compression(String method, double ratio, List<Integer> layers, List<String> modules, List<String> exclude,
                       java.util.Map<String, String> settings, String factorDtype,
                       @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                       LegacyOptions options) {
    }

    /** @param cacheFolder null = the engine's default cache */
    record Calibration(String text, int samples, int windowLength, long seed, int windowsPerBatch, String cacheFolder) {
    }

    record Evaluation(String text, int ctx, long maxTokens, int batch, String documentSeparator) {
    }

    record Compare(List<String> methods, String ratios, String protocol, List<ComparisonRow> rows) {
    }

    static SessionFile of(Session s) {
        CompressionSetting c = s.compression();
        Compression compression = new Compression(c.method().cliName(), c.ratio(), c.selection().layers().stream().boxed().toList(),
                c.selection().modules().stream().sorted().map(ProjectionKind::shortName).toList(),
                c.selection().excluded().stream().map(Selection.Matrix::spec).toList(), c.settings().asText(),
                c.factorStorage().precision().cliName(), null);
        CalibrationSettings cs = s.calibration().settings();
        Calibration calibration = new Calibration(text(s.calibration().text()), cs.samples(), cs.windowLength(), cs.seed(),
                cs.windowsPerBatch(), text(s.calibration().cacheFolder()));
        EvaluationProtocol e = s.evaluation();
        Evaluation evaluation = new Evaluation(text(e.text()), e.ctx(), e.maxTokens(), e.batch(), e.documentSeparator());
        Compare compare = new Compare(s.compareMethods().stream().map(MethodId::cliName).toList(), s.compareRatios(),
                s.compareProtocol(), s.sweepRows());
        return new SessionFile(FORMAT, s.modelDir().toString(), compression, calibration, evaluation, compare,
                s.estimate() == null ? null : EstimateFile.of(s.estimate()));
    }

    /** The session; an {@link IllegalArgumentException} names the first impossible value. */
    Session toSession() {
        require(model != null && compression != null && calibration != null && evaluation != null && compare != null,
                "model, compression, calibration, evaluation and compare are required");
        MethodId method = MethodId.parse(compression.method());
        java.util.Map<String, String> stored;
        if (compression.settings() != null) {
            stored = compression.settings();
        } else {
            require(compression.options() != null, "compression.settings is required");
            stored = compression.options().asSettings();
        }
        MethodSettings options = method.defaults().withAll(stored);
        BitSet layers = new BitSet();
        for (int layer : list(compression.layers())) {
            require(layer >= 0, "layer " + layer + " is negative");
            layers.set(layer);
        }
        EnumSet<ProjectionKind> modules = EnumSet.noneOf(ProjectionKind.class);
        list(compression.modules()).forEach(m -> modules.add(ProjectionKind.parse(m)));
        List<Selection.Matrix> excluded = list(compression.exclude()).stream().map(Selection.Matrix::parse).toList();
        io.svdwb.engine.compress.quant.FactorStorage storage = compression.factorDtype() == null
                ? io.svdwb.engine.compress.quant.FactorStorage.BASELINE
                : new io.svdwb.engine.compress.quant.FactorStorage(io.svdwb.engine.compress.quant.FactorStorage.Precision.parse(
                        compression.factorDtype()), io.svdwb.engine.compress.quant.FactorStorage.DEFAULT_BASELINE_BITS);
        CompressionSetting choice = new CompressionSetting(method, compression.ratio(),
                new Selection(layers, modules, new java.util.HashSet<>(excluded)), options, storage);
        var request = choice.request(); // checks the ratio and that nothing is missing
        SavedEstimate shown = estimate == null ? null : estimate.toSaved(request);
        CalibrationSettings settings = new CalibrationSettings(calibration.samples(), calibration.windowLength(), calibration.seed(),
                calibration.windowsPerBatch());
        CalibrationSetup calibrationSetup = new CalibrationSetup(path(calibration.text()), settings, path(calibration.cacheFolder()));
        EvaluationProtocol evaluationProtocol = new EvaluationProtocol(path(evaluation.text()), evaluation.ctx(), evaluation.maxTokens(),
                evaluation.batch(), evaluation.documentSeparator());
        List<MethodId> methods = list(compare.methods()).stream().map(MethodId::parse).toList();
        return new Session(Path.of(model), choice, calibrationSetup, evaluationProtocol, methods, compare.ratios(), compare.protocol(),
                list(compare.rows()), shown);
    }

    private static String text(Path path) {
        return path == null ? null : path.toString();
    }

    private static Path path(String text) {
        return text == null ? null : Path.of(text);
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
