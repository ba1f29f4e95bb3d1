package io.svdwb.engine.compress.kernels;

/**
 * A decomposition produced a NaN or infinity (overflow in a triangular solve with a badly conditioned
 * whitening factor, an SVD that went wrong). The message names the matrix. Never caught to substitute
 * other weights: the caller reports it and stops or skips that matrix explicitly (docs/METHODS.md §6).
 */
public class NonFiniteResultException extends IllegalStateException {

    public NonFiniteResultException(String message) {
        super(message);
    }
}
