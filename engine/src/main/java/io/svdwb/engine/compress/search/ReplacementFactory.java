package io.svdwb.engine.compress.search;

import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.MatrixSpec;

/**
 * How a search obtains a candidate replacement for one matrix at a kept ratio. Supplied by the method's
 * orchestrator (plain, ASVD-scaled or whitened truncation...), so the searches stay method-agnostic.
 * {@code keptRatio} lies strictly between 0 and 1: the searches express "dense" as "no replacement"
 * and never ask for 1.0. Implementations should be deterministic (the same call gives the same
 * function), because a search measures a candidate once and the orchestrator builds it again.
 */
@FunctionalInterface
public interface ReplacementFactory {

    Linear replacement(MatrixSpec matrix, double keptRatio);
}
