/**
 * Swift-SVD (docs/METHODS.md §4.10): its options, its layer importance ({@link io.svdwb.engine.compress.swift.BlockInfluence})
 * and its dynamic rank allocation ({@link io.svdwb.engine.compress.swift.SwiftRankAllocation}); the closed form itself
 * is the kernel {@link io.svdwb.engine.compress.kernels.OutputCovarianceSvd}.
 */
package io.svdwb.engine.compress.swift;
