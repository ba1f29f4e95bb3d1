package io.svdwb.engine.compress.rankmap;

import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.model.MatrixSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An imported allocation: one integer rank per compressible matrix of the model (by module name,
 * {@code model.layers.L.self_attn.q_proj}), every rank in [1, min(m, n)], read from a peer's file by
 * {@link RankMapReader}. It replaces the per-matrix ranks a method would choose (docs/METHODS.md §2.7).
 *
 * @param format  the format the file was read as
 * @param source  the file, for reports
 * @param ranks   module name to rank, in the model's matrix order
 * @param missing what selected matrices without an entry become
 * @param notes   what the reader skipped or converted (metadata keys, lm_head, the Dobi-SVD sequence length)
 */
public record RankMap(RankMapFormat format, String source, Map<String, Integer> ranks, MissingModules missing, List<String> notes) {

    public RankMap {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(missing, "missing");
        ranks = Collections.unmodifiableMap(new LinkedHashMap<>(ranks));
        notes = List.copyOf(notes);
        if (ranks.isEmpty()) {
            throw new IllegalArgumentException(source + ": the rank map names no compressible matrix of this model");
        }
    }

    /** Whether the map names {@code matrix}. */
    public boolean covers(MatrixSpec matrix) {
        return ranks.containsKey(matrix.kind().moduleName(matrix.layer()));
    }

    /**
     * The rank {@code matrix} gets: the imported one; for a matrix the map does not name, 0 (stay dense) or the
     * uniform k(rho) of §2.3 at {@code ratio}, as {@link #missing()} says.
     */
    public int rankFor(MatrixSpec matrix, double ratio) {
        Integer k = ranks.get(matrix.kind().moduleName(matrix.layer()));
        if (k != null) {
            return k;
        }
        return missing == MissingModules.DENSE ? 0 : RankFromRatio.rank(matrix.rows(), matrix.cols(), ratio);
    }

    /** The selected matrices the map does not name. */
    public List<MatrixSpec> uncovered(List<MatrixSpec> selected) {
        return selected.stream().filter(m -> !covers(m)).toList();
    }

    /** "asvd map FILE (12 modules)". */
    public String describe() {
        return format.cliName() + " map " + source + " (" + ranks.size() + " modules)";
    }
}
