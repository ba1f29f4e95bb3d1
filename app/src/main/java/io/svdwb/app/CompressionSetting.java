package io.svdwb.app;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodOptions;
import io.svdwb.engine.model.ModelConfig;
import java.util.Locale;
import java.util.Objects;

/**
 * One immutable setting of the compression controls: what a perplexity estimate is computed for and what its
 * label names. Options hold only the chosen method's knobs (the others at their defaults), so that moving
 * the ASVD alpha while SVD-LLM is chosen is not a new setting. The ratio applies to the selected matrices.
 */
public record CompressionSetting(MethodId method, double ratio, Selection selection, MethodOptions options) {

    public CompressionSetting {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(options, "options");
    }

    /** The setting a request was made from. */
    public static CompressionSetting of(CompressionRequest request) {
        return new CompressionSetting(request.method(), request.ratio(), request.selection(), request.options());
    }

    /** The engine's request for this setting. */
    public CompressionRequest request() {
        return new CompressionRequest(method, ratio, selection, options);
    }

    /**
     * E.g. "svd-llm, c = 0.400" or "asvd (α 0.50, uniform ranks), c = 0.400"; a selection that is not the whole of
     * {@code config}'s model (or any selection when config is null) is named: "svd, c = 0.400 on layers 2-4; modules q,gate".
     */
    public String describe(ModelConfig config) {
        boolean wholeModel = config != null && selection.equals(Selection.all(config));
        return describeMethod() + (wholeModel ? "" : " on " + selection.describe());
    }

    private String describeMethod() {
        String knobs = switch (method) {
            case ASVD -> String.format(Locale.ROOT, " (α %.2f, %s)", options.asvdAlpha(),
                    options.asvdRankSearch() ? "rank search" : "uniform ranks");
            case RESSVD -> String.format(Locale.ROOT, " (β %.2f, %s)", options.ressvdBeta(),
                    options.ressvdLayers() == 0 ? "layer count by search" : "last " + options.ressvdLayers() + " layers");
            case DUO_SVD -> options.duoColumnPreserving() ? " (column preserving)" : " (plain whitened factors)";
            case SOCO -> String.format(Locale.ROOT, " (%d/%d/%d steps, batch %dx%d, seed %d)", options.soco().schedule().explorationSteps(),
                    options.soco().schedule().refinementSteps(), options.soco().schedule().sparsificationSteps(),
                    options.soco().batchWindows(), options.soco().batchLength(), options.soco().seed());
            default -> "";
        };
        return String.format(Locale.ROOT, "%s%s, c = %.3f", method.cliName(), knobs, ratio);
    }
}
