package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.soco.SocoScores;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished compression: the replacements to install (module name to {@link Linear}; absent = original
 * weights), what each selected matrix became, and the realised ratios, always recomputed from the final
 * integer ranks (§2.5).
 *
 * @param selected  c_eff over the selected matrices (what the target refers to)
 * @param allMatrices c_eff over every compressible matrix of the model, and c_model over all its parameters
 * @param details   method-specific decisions (e.g. ResSVD's chosen k), in order, for the report
 * @param learnedScores SoCo's trained scores ({@link SocoScores#NONE} for other methods)
 */
public record CompressionResult(CompressionRequest request, Map<String, Linear> replacements, List<ModuleOutcome> modules,
                                RealisedRatio selected, RealisedRatio allMatrices, Map<String, String> details,
                                List<String> notes, double seconds, SocoScores learnedScores) {

    public CompressionResult {
        replacements = Collections.unmodifiableMap(new LinkedHashMap<>(replacements));
        modules = List.copyOf(modules);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        notes = List.copyOf(notes);
        java.util.Objects.requireNonNull(learnedScores, "learnedScores");
    }

    /** Whether the realised ratio meets the target within docs/METHODS.md §2.2's tolerance (c_eff >= c - 0.002). */
    public boolean meetsTarget() {
        return selected.meets(request.ratio(), 0.002);
    }

    /** The files to save beside an export of this result: SoCo's learned scores, if any. */
    public Map<String, io.svdwb.engine.export.ExportSidecar> exportSidecars() {
        return learnedScores.isEmpty() ? Map.of() : Map.of(SocoScores.FILE_NAME, learnedScores::write);
    }
}
