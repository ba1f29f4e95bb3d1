package io.svdwb.app.session;

import io.svdwb.app.compare.ComparisonRow;
import io.svdwb.app.setup.CalibrationSetup;
import io.svdwb.app.CompressionSetting;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodOptions;
import io.svdwb.engine.model.ProjectionKind;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The JSON layout of {@value #FORMAT}: plain names and numbers (methods and projections by their command-line
 * names), so the file reads without the engine's class names and survives their renaming. Converting back
 * checks every value with the engine's own constructors. {@value #FORMAT_V1} is the same layout without
 * {@code compression.exclude}; v2 exists because a v1 reader would refuse that key, and a file naming v1 should
 * read in every version that reads v1. v3 replaced the estimate (a number and a free-text protocol that nothing
 * wrote) by {@link EstimateFile}: the shown estimate with the whole setup it belongs to.
 */
record SessionFile(String format, String model, Compression compression, Calibration calibration, Evaluation evaluation,
                   Compare compare, EstimateFile estimate) {

    static final String FORMAT = "svdwb-session-v3";
    static final String FORMAT_V2 = "svdwb-session-v2";
    static final String FORMAT_V1 = "svdwb-session-v1";

    /** @param exclude matrices left out of layers x modules, as the command line's --exclude ("3.q") */
    record Compression(String method, double ratio, List<Integer> layers, List<String> modules, List<String> exclude,
                       Options options) {
    }

    record Options(Whitening whitening, double asvdAlpha, boolean asvdRankSearch, double ressvdBeta, String ressvdMetric,
                   int ressvdLayers, double ressvdMaxLayerRatio, boolean duoAllocation, boolean duoColumnPreserving,
                   int probeSamples, int probeLength, long probeSeed) {
    }

    record Whitening(double initialRelativeRidge, List<String> fallbacks, double dampingFraction, double eigenShiftFloor) {
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
        MethodOptions o = c.options();
        io.svdwb.engine.compress.kernels.Whitening.Options w = o.whitening();
        Options options = new Options(new Whitening(w.initialRelativeRidge(), w.fallbacks().stream().map(f -> name(f)).toList(),
                w.dampingFraction(), w.eigenShiftFloor()), o.asvdAlpha(), o.asvdRankSearch(), o.ressvdBeta(), name(o.ressvdMetric()),
                o.ressvdLayers(), o.ressvdMaxLayerRatio(), o.duoAllocation(), o.duoColumnPreserving(), o.probeSamples(),
                o.probeLength(), o.probeSeed());
        Compression compression = new Compression(c.method().cliName(), c.ratio(), c.selection().layers().stream().boxed().toList(),
                c.selection().modules().stream().sorted().map(ProjectionKind::shortName).toList(),
                c.selection().excluded().stream().map(Selection.Matrix::spec).toList(), options);
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
        Options o = compression.options();
        require(o != null && o.whitening() != null, "compression.options.whitening is required");
        Whitening w = o.whitening();
        var whitening = new io.svdwb.engine.compress.kernels.Whitening.Options(w.initialRelativeRidge(),
                list(w.fallbacks()).stream().map(f -> constant(io.svdwb.engine.compress.kernels.Whitening.Fallback.class, f)).toList(),
                w.dampingFraction(), w.eigenShiftFloor());
        MethodOptions options = new MethodOptions(whitening, o.asvdAlpha(), o.asvdRankSearch(), o.ressvdBeta(),
                constant(ResidualSvd.ResidualMetric.class, o.ressvdMetric()), o.ressvdLayers(), o.ressvdMaxLayerRatio(),
                o.duoAllocation(), o.duoColumnPreserving(), o.probeSamples(), o.probeLength(), o.probeSeed(),
                io.svdwb.engine.soco.SocoSettings.DEFAULTS, io.svdwb.engine.compress.method.GradientSettings.DEFAULTS);
        BitSet layers = new BitSet();
        for (int layer : list(compression.layers())) {
            require(layer >= 0, "layer " + layer + " is negative");
            layers.set(layer);
        }
        EnumSet<ProjectionKind> modules = EnumSet.noneOf(ProjectionKind.class);
        list(compression.modules()).forEach(m -> modules.add(ProjectionKind.parse(m)));
        List<Selection.Matrix> excluded = list(compression.exclude()).stream().map(Selection.Matrix::parse).toList();
        CompressionSetting choice = new CompressionSetting(MethodId.parse(compression.method()), compression.ratio(),
                new Selection(layers, modules, new java.util.HashSet<>(excluded)), options);
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

    private static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String name) {
        require(name != null, "missing " + type.getSimpleName());
        try {
            return Enum.valueOf(type, name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + name + "'");
        }
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
