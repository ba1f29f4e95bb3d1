/**
 * SoCo (docs/METHODS.md §4.8): learned per-component scores over a frozen whitened SVD, trained against the uncompressed
 * model, pruned to a global budget and folded into ordinary rank-k factors.
 *
 * <ul>
 *   <li>Model: {@link io.svdwb.engine.soco.ScoredProjection} ({@code y = U diag(sigma ⊙ max(theta, 0)) Vt' x + b}) and
 *       {@link io.svdwb.engine.soco.ScoredLlama}, the LLaMA forward pass in double with a hand-written backward that
 *       gives {@code L_kd} (mean next-token KL, {@link io.svdwb.engine.soco.NextTokenKl}) and its gradient for every
 *       score. All matrix products go through {@link io.svdwb.engine.linalg.LinearAlgebra}.</li>
 *   <li>Stateless kernels: {@link io.svdwb.engine.soco.BudgetTerm} ({@code L_ratio}),
 *       {@link io.svdwb.engine.soco.SparsityTerm} ({@code L_sparse}), {@link io.svdwb.engine.soco.AdamW},
 *       {@link io.svdwb.engine.soco.GlobalPrune} (step 5) and {@link io.svdwb.engine.soco.ScoreFolding} (step 6).</li>
 *   <li>Orchestration: {@link io.svdwb.engine.soco.SocoSchedule} (the three phases), {@link io.svdwb.engine.soco.SocoTrainer}
 *       (steps, progress, cancellation, {@link io.svdwb.engine.soco.SocoCheckpoint checkpoints}) and
 *       {@code compress.method.SocoMethod}; the learned scores are saved beside exports as
 *       {@link io.svdwb.engine.soco.SocoScores} ({@code soco_scores.safetensors}).</li>
 * </ul>
 *
 * <p>The optional steps are options: the deviation vector {@code d} (§4.8 step 7, off by default; stored as a bias,
 * so exports of models without projection biases refuse it) and the polish (step 8). The forward keeps every
 * activation of the batch in double, which suits the demo model and synthetic layers, not a 7B model.
 */
package io.svdwb.engine.soco;
