package io.svdwb.app;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodSettings;
import io.svdwb.engine.compress.quant.FactorStorage;
import io.svdwb.engine.model.ModelConfig;
import java.util.Locale;
import java.util.Objects;

/**
 * One immutable setting of the compression controls: what a perplexity estimate is computed for and what its
 * label names. The settings are the chosen method's own options, so moving the ASVD alpha while SVD-LLM is
 * chosen is not a new setting. The ratio applies to the selected matrices.
 */
public record CompressionSetting(MethodId method, double ratio, Selection selection, MethodSettings settings,
                                 FactorStorage factorStorage) {

    public CompressionSetting {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(factorStorage, "factorStorage");
    }

    /** With the factors at the baseline dtype. */
    public CompressionSetting(MethodId method, double ratio, Selection selection, MethodSettings settings) {
        this(method, ratio, selection, settings, FactorStorage.BASELINE);
    }

    /** The setting a request was made from. */
    public static CompressionSetting of(CompressionRequest request) {
        return new CompressionSetting(request.method(), request.ratio(), request.selection(), request.settings(), request.factorStorage());
    }

    /** The engine's request for this setting. */
    public CompressionRequest request() {
        return new CompressionRequest(method, ratio, selection, settings, null, factorStorage);
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
        String knobs = method.method().describe(settings);
        if (factorStorage.quantized()) {
            knobs = knobs.isEmpty() ? "int8 factors" : knobs + ", int8 factors";
        }
        return String.format(Locale.ROOT, "%s%s, c = %.3f", method.cliName(), knobs.isEmpty() ? "" : " (" + knobs + ")", ratio);
    }
}
