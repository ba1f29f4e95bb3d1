package io.svdwb.app.compare;

import io.svdwb.engine.compress.method.ModuleOutcome;

/**
 * What one matrix became in a sweep cell, as the engine reported it ({@link ModuleOutcome}), in a form that a
 * session file can hold.
 *
 * @param module short projection name (q, k, v, o, gate, up, down)
 * @param loss   the truncation loss in the method's own metric; NaN where the method defines none
 */
public record ModuleLoss(int layer, String module, int rank, int keptColumns, long stored, double loss) {

    public static ModuleLoss of(ModuleOutcome outcome) {
        return new ModuleLoss(outcome.matrix().layer(), outcome.matrix().kind().shortName(), outcome.rank(), outcome.keptColumns(),
                outcome.stored(), outcome.loss());
    }

    /** {@code L3.q}, as the engine labels matrices. */
    public String label() {
        return "L" + layer + "." + module;
    }
}
