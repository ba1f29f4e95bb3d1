package io.svdwb.cuda;

/** A device allocation the GPU could not satisfy, with what was asked and what was free at the time. */
public final class CudaOutOfMemoryException extends CudaException {

    private static final long serialVersionUID = 1L;

    private final long requestedBytes;
    private final long freeBytes;

    public CudaOutOfMemoryException(int status, String statusName, long requestedBytes, long freeBytes, long totalBytes) {
        super("cudaMalloc", status, statusName, "asked for " + mib(requestedBytes) + " of device memory, " + mib(freeBytes)
                + " free of " + mib(totalBytes));
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
    }

    public long requestedBytes() {
        return requestedBytes;
    }

    public long freeBytes() {
        return freeBytes;
    }

    private static String mib(long bytes) {
        double mib = bytes / 1048576.0;
        return mib >= 1024 ? String.format(java.util.Locale.ROOT, "%.1f GiB", mib / 1024)
                : String.format(java.util.Locale.ROOT, "%.1f MiB", mib);
    }
}
