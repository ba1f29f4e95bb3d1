package io.svdwb.engine.progress;

/**
 * One optimisation step of a training run (e.g. SoCo's score training), for live loss curves and the console.
 *
 * @param phase       the schedule's phase name, e.g. "exploration"
 * @param step        steps done so far, counted over the whole run (1-based)
 * @param totalSteps  steps of the whole run
 * @param distillation the distillation (KL) term of the loss
 * @param ratio       the budget term, before its weight
 * @param sparsity    the sparsity term, before its weight
 * @param total       the weighted sum that was minimised
 * @param softKept    the differentiable estimate of the kept fraction (what the budget term sees)
 * @param aliveKept   the kept fraction if every component with a positive multiplier were stored
 */
public record TrainingStep(String phase, int step, int totalSteps, double distillation, double ratio, double sparsity,
                           double total, double softKept, double aliveKept) {
}
