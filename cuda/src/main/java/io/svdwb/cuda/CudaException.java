package io.svdwb.cuda;

/** A CUDA, cuBLAS or cuSOLVER call that did not succeed, named with its status. */
public class CudaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int status;
    private final String statusName;

    public CudaException(String call, int status, String statusName, String detail) {
        super(call + " failed with " + statusName + " (" + status + ")" + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.call = call;
        this.status = status;
        this.statusName = statusName;
    }

    /** The library function that failed, e.g. {@code cublasSgemm_v2}. */
    public String call() {
        return call;
    }

    public int status() {
        return status;
    }

    /** The status as the library names it, e.g. {@code cudaErrorMemoryAllocation}. */
    public String statusName() {
        return statusName;
    }
}
