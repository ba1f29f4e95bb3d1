package io.svdwb.cuda;

/** No usable CUDA installation: a library or a symbol is missing, or there is no device. */
public final class CudaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CudaUnavailableException(String message) {
        super(message);
    }
}
