package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.quant.FactorStorage;
import io.svdwb.engine.compress.rankmap.RankMap;
import java.util.Objects;

/**
 * One compression: a method, the target ratio c (fraction of the SELECTED matrices' parameters removed,
 * docs/METHODS.md §2.2), which matrices, and the values of the method's own options. Checked when built.
 *
 * @param rankMap       an imported allocation that replaces the ranks the method would choose (§2.7); null: none
 * @param factorStorage how every method's factors are stored and the ratio counted (§2.6): the baseline dtype or int8
 */
public record CompressionRequest(MethodId method, double ratio, Selection selection, MethodSettings settings, RankMap rankMap,
                                 FactorStorage factorStorage) {

    public CompressionRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(factorStorage, "factorStorage");
        RankFromRatio.keptRatio(ratio);
        if (!settings.options().equals(method.method().options())) {
            throw new IllegalArgumentException("the settings " + settings + " are not " + method + "'s options");
        }
        method.method().validate(settings);
        if (rankMap != null && !method.method().takesGivenRanks()) {
            throw new IllegalArgumentException(ImportedRankMethod.refusal(method));
        }
    }

    /** Factors at the baseline dtype. */
    public CompressionRequest(MethodId method, double ratio, Selection selection, MethodSettings settings, RankMap rankMap) {
        this(method, ratio, selection, settings, rankMap, FactorStorage.BASELINE);
    }

    /** A request whose method chooses every rank itself, its factors at the baseline dtype. */
    public CompressionRequest(MethodId method, double ratio, Selection selection, MethodSettings settings) {
        this(method, ratio, selection, settings, null);
    }

    /** With the method's default settings. */
    public CompressionRequest(MethodId method, double ratio, Selection selection) {
        this(method, ratio, selection, method.defaults());
    }

    /** The same request starting from {@code map}'s ranks (null: none). */
    public CompressionRequest withRankMap(RankMap map) {
        return new CompressionRequest(method, ratio, selection, settings, map, factorStorage);
    }

    /** The same request with its factors stored as {@code storage} (§2.6). */
    public CompressionRequest withFactorStorage(FactorStorage storage) {
        return new CompressionRequest(method, ratio, selection, settings, rankMap, storage);
    }
}
