package io.svdwb.app;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.ModuleOutcome;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.workbench.PerplexityEstimate;
import io.svdwb.engine.workbench.RankPlan;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The rank and kept parameters the layer tree shows for each matrix. Once the estimate of the current setting
 * is in, they are what the method actually chose ({@code CompressionResult.modules()}: ASVD's search, ResSVD
 * and Duo-SVD choose non-uniform ranks); until then they are the instant uniform k(c) of the rank plan.
 * Matrices outside the selection stay dense either way. A factored export shows the ranks it stores (its
 * {@code truncation_ranks}), whatever the controls say: it is opened for looking, never compressed again.
 *
 * @param selection the current selection (null without a model)
 * @param plan      the uniform plan at the current ratio (null without a model or with an empty selection)
 * @param estimate  the estimate of exactly the current setting, or null while it is pending
 * @param outcomes  the estimate's outcomes by matrix (empty without one), so that each row finds its own at once
 * @param export    the opened model when it is a factored export (its stored ranks win), else null
 */
public record ShownRanks(Selection selection, RankPlan plan, PerplexityEstimate estimate, Map<MatrixSpec, ModuleOutcome> outcomes,
                         OpenedModel export) {

    /** How the rank of a matrix left dense reads. */
    public static final String DENSE = "dense";

    public ShownRanks {
        outcomes = Map.copyOf(outcomes);
    }

    public static ShownRanks of(Selection selection, RankPlan plan, PerplexityEstimate estimate) {
        return of(selection, plan, estimate, null);
    }

    /** As {@link #of(Selection, RankPlan, PerplexityEstimate)}, with the opened model, whose stored ranks win if it is a factored export. */
    public static ShownRanks of(Selection selection, RankPlan plan, PerplexityEstimate estimate, OpenedModel opened) {
        Map<MatrixSpec, ModuleOutcome> outcomes = new HashMap<>();
        if (estimate != null) {
            estimate.modules().forEach(outcome -> outcomes.put(outcome.matrix(), outcome));
        }
        return new ShownRanks(selection, plan, estimate, outcomes, opened != null && opened.isFactoredExport() ? opened : null);
    }

    /** Whether the ranks are the method's own choice from the last estimate (false: the uniform k(c)). */
    public boolean fromEstimate() {
        return export == null && estimate != null;
    }

    /** Whether the ranks are those a factored export stores. */
    public boolean fromExport() {
        return export != null;
    }

    /**
     * Where the charts put the cut of {@code matrix}: the rank shown in the tree (the factor rank k of "k+q"); empty
     * when the matrix stays dense.
     */
    public OptionalInt cut(MatrixSpec matrix) {
        if (export != null) {
            return export.exportedRank(matrix);
        }
        if (selection == null || !selection.includes(matrix)) {
            return OptionalInt.empty();
        }
        if (estimate != null) {
            ModuleOutcome outcome = outcome(matrix);
            return outcome.dense() ? OptionalInt.empty() : OptionalInt.of(outcome.rank());
        }
        return plan == null || !plan.compresses(matrix) ? OptionalInt.empty() : OptionalInt.of(plan.rankOf(matrix));
    }

    /** "dense", "k", or "k+q" for a column-preserving factorisation with q kept columns (Duo-SVD). */
    public String rank(MatrixSpec matrix) {
        if (export != null) {
            OptionalInt stored = export.exportedRank(matrix);
            int q = export.exportedKeptColumns(matrix);
            return stored.isEmpty() ? DENSE : q > 0 ? stored.getAsInt() + "+" + q : Integer.toString(stored.getAsInt());
        }
        if (selection == null || !selection.includes(matrix)) {
            return DENSE;
        }
        if (estimate != null) {
            ModuleOutcome outcome = outcome(matrix);
            if (outcome.dense()) {
                return DENSE;
            }
            return outcome.keptColumns() > 0 ? outcome.rank() + "+" + outcome.keptColumns() : Integer.toString(outcome.rank());
        }
        return plan == null ? DENSE : Integer.toString(plan.rankOf(matrix));
    }

    /** Numbers the matrix stores (§2.4): the method's, the uniform plan's, or m·n when it stays dense. */
    public long stored(MatrixSpec matrix) {
        if (export != null) {
            OptionalInt stored = export.exportedRank(matrix);
            if (stored.isEmpty()) {
                return matrix.parameters();
            }
            // A [out, k], B [k, in - q], C [out, q] (docs/METHODS.md §2.4); q = 0 for plain A·B factors.
            long k = stored.getAsInt();
            long q = export.exportedKeptColumns(matrix);
            return k * matrix.rows() + k * (matrix.cols() - q) + q * matrix.rows();
        }
        if (selection == null || !selection.includes(matrix)) {
            return matrix.parameters();
        }
        if (estimate != null) {
            return outcome(matrix).stored();
        }
        return plan == null ? matrix.parameters() : plan.storedOf(matrix);
    }

    private ModuleOutcome outcome(MatrixSpec matrix) {
        ModuleOutcome outcome = outcomes.get(matrix);
        if (outcome == null) {
            throw new IllegalStateException(matrix.label() + " is selected but the estimate has no outcome for it");
        }
        return outcome;
    }
}
