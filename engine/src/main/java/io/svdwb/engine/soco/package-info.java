/**
 * SoCo (methods.md §4.8), first piece: the gradient of the distillation loss with respect to the per-component
 * scores.
 *
 * <p>What is here:
 * <ul>
 *   <li>{@link io.svdwb.engine.soco.ScoredProjection}: a projection {@code y = U diag(sigma ⊙ max(theta, 0)) Vt' x + b}
 *       over a frozen (e.g. whitened, §3.4) decomposition, with a backward to its input and to its scores.</li>
 *   <li>{@link io.svdwb.engine.soco.ScoredLlama}: the LLaMA forward pass in double with every decoder projection
 *       scored, and a hand-written backward giving {@code L_kd} (mean next-token KL to a teacher's log-probs,
 *       {@link io.svdwb.engine.soco.NextTokenKl}) and its gradient for every score. Package-private pieces:
 *       RMSNorm, rotary, causal GQA attention and SwiGLU, each with its backward.</li>
 * </ul>
 *
 * <p>Not yet: the budget and sparsity losses ({@code L_ratio}, {@code L_sparse}), the optimiser (AdamW on theta)
 * and the three-phase schedule, hard pruning to the global budget, folding into rank-k factors, the optional
 * deviation term, wiring into the compression methods / CLI, and any memory or speed work for real model sizes
 * (the forward keeps every activation of the batch in double).
 */
package io.svdwb.engine.soco;
