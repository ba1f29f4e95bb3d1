package io.svdwb.engine.compress.rankmap;

import io.svdwb.engine.model.MatrixSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's compressible matrices by Hugging Face module name, and the checks every format shares: a name must be
 * one of them, a rank must lie in [1, min(m, n)]. Collects the reader's notes. Errors name the file and the entry.
 */
final class ModuleIndex {

    /** Linear modules outside the decoder projections that a peer's map may list; never compressed here (§2.1). */
    private static final List<String> NEVER_COMPRESSED = List.of("lm_head");

    private final String file;
    private final Map<String, MatrixSpec> byName = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    ModuleIndex(String file, List<MatrixSpec> matrices) {
        this.file = file;
        for (MatrixSpec m : matrices) {
            byName.put(m.kind().moduleName(m.layer()), m);
        }
    }

    String file() {
        return file;
    }

    /**
     * The matrix named {@code module}; null (with a note) for a module we never compress, such as lm_head, so that a
     * peer's whole-model map still imports.
     *
     * @throws IllegalArgumentException for any other name
     */
    MatrixSpec matrix(String module) {
        MatrixSpec m = byName.get(module);
        if (m != null) {
            return m;
        }
        if (NEVER_COMPRESSED.contains(module)) {
            note(module + " is in the map but is never compressed here (docs/METHODS.md §2.1); it stays dense");
            return null;
        }
        int layers = byName.values().stream().mapToInt(MatrixSpec::layer).max().orElse(-1) + 1;
        throw new IllegalArgumentException(file + ": unknown module '" + module + "': not a compressible matrix of this model "
                + "(expected model.layers.L.self_attn.{q,k,v,o}_proj or model.layers.L.mlp.{gate,up,down}_proj with L in 0.."
                + (layers - 1) + ")");
    }

    /**
     * Checks that {@code rank} fits {@code matrix}; {@code derivation} says how the file's value became this rank
     * (empty when the file gave the rank itself).
     */
    int checkedRank(String module, MatrixSpec matrix, long rank, String derivation) {
        int max = Math.min(matrix.rows(), matrix.cols());
        if (rank < 1 || rank > max) {
            throw new IllegalArgumentException(file + ": rank " + rank + " of " + module + derivation + " is outside [1, " + max
                    + "] = [1, min(m, n)] for its " + matrix.rows() + " x " + matrix.cols() + " weight");
        }
        return (int) rank;
    }

    /** The ranks in the model's matrix order (files list modules in any order). */
    Map<String, Integer> inModelOrder(Map<String, Integer> ranks) {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String module : byName.keySet()) {
            Integer k = ranks.get(module);
            if (k != null) {
                ordered.put(module, k);
            }
        }
        return ordered;
    }

    void note(String message) {
        notes.add(message);
    }

    List<String> notes() {
        return notes;
    }
}
