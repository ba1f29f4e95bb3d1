package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.rankmap.RankMap;
import java.util.Objects;

/**
 * One compression: a method, the target ratio c (fraction of the SELECTED matrices' parameters removed,
 * docs/METHODS.md §2.2), which matrices, and the method's options. Checked when built.
 *
 * @param rankMap an imported allocation that replaces the ranks the method would choose (§2.7); null: none
 */
public record CompressionRequest(MethodId method, double ratio, Selection selection, MethodOptions options, RankMap rankMap) {

    public CompressionRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(options, "options");
        RankFromRatio.keptRatio(ratio);
        if (rankMap != null && !ImportedRankMethod.accepts(method)) {
            throw new IllegalArgumentException(ImportedRankMethod.refusal(method));
        }
    }

    /** A request whose method chooses every rank itself. */
    public CompressionRequest(MethodId method, double ratio, Selection selection, MethodOptions options) {
        this(method, ratio, selection, options, null);
    }

    /** The same request starting from {@code map}'s ranks (null: none). */
    public CompressionRequest withRankMap(RankMap map) {
        return new CompressionRequest(method, ratio, selection, options, map);
    }
}
