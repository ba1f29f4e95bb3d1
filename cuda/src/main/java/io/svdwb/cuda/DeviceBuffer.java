package io.svdwb.cuda;

/**
 * Device memory owned by one piece of code and freed when it closes (try-with-resources), not at some later garbage
 * collection: a 7B layer's buffers are gigabytes.
 */
final class DeviceBuffer implements AutoCloseable {

    private final CudaRuntime runtime;
    private final long address;
    private final long bytes;
    private boolean closed;

    DeviceBuffer(CudaRuntime runtime, long bytes) {
        this.runtime = runtime;
        this.bytes = bytes;
        this.address = runtime.malloc(bytes);
    }

    synchronized long address() {
        if (closed) {
            throw new IllegalStateException("device buffer of " + bytes + " bytes used after it was freed");
        }
        return address;
    }

    long bytes() {
        return bytes;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            runtime.free(address);
        }
    }
}
