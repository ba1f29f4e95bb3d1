package io.svdwb.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CUDA runtime calls the backend needs (libcudart), with every status checked: a failure is a
 * {@link CudaException} naming the call and the status ({@code cudaGetErrorName}), an allocation that does not fit a
 * {@link CudaOutOfMemoryException} with the bytes asked and free. Host-device copies are counted.
 */
public final class CudaRuntime {

    private static final int MEMCPY_HOST_TO_DEVICE = 1;
    private static final int MEMCPY_DEVICE_TO_HOST = 2;
    private static final int ERROR_MEMORY_ALLOCATION = 2;

    private final MethodHandle malloc;
    private final MethodHandle free;
    private final MethodHandle memcpy;
    private final MethodHandle memset;
    private final MethodHandle memGetInfo;
    private final MethodHandle errorName;
    private final MethodHandle synchronize;
    private final MethodHandle deviceCount;
    private final MethodHandle setDevice;
    private final MethodHandle runtimeVersion;
    private final String location;

    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong uploadedBytes = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();
    private final AtomicLong downloadedBytes = new AtomicLong();

    CudaRuntime(NativeLibrary cudart) {
        location = cudart.location();
        malloc = cudart.function("cudaMalloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        free = cudart.function("cudaFree", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        memcpy = cudart.function("cudaMemcpy", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
        memset = cudart.function("cudaMemset", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
        memGetInfo = cudart.function("cudaMemGetInfo", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        errorName = cudart.function("cudaGetErrorName", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        synchronize = cudart.function("cudaDeviceSynchronize", FunctionDescriptor.of(JAVA_INT));
        deviceCount = cudart.function("cudaGetDeviceCount", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        setDevice = cudart.function("cudaSetDevice", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        runtimeVersion = cudart.function("cudaRuntimeGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** Where libcudart was loaded from. */
    public String location() {
        return location;
    }

    public int deviceCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            check("cudaGetDeviceCount", (int) deviceCount.invokeExact(count));
            return count.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void setDevice(int device) {
        try {
            check("cudaSetDevice(" + device + ")", (int) setDevice.invokeExact(device));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The runtime's version as CUDA encodes it: 1000 x major + 10 x minor (13000 for 13.0). */
    public int runtimeVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment version = arena.allocate(JAVA_INT);
            check("cudaRuntimeGetVersion", (int) runtimeVersion.invokeExact(version));
            return version.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Free and total device memory in bytes. */
    public long[] memoryInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment freeBytes = arena.allocate(JAVA_LONG);
            MemorySegment totalBytes = arena.allocate(JAVA_LONG);
            check("cudaMemGetInfo", (int) memGetInfo.invokeExact(freeBytes, totalBytes));
            return new long[] {freeBytes.get(JAVA_LONG, 0), totalBytes.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Allocates {@code bytes} of device memory (at least one byte); free it with {@link #free}. */
    long malloc(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) malloc.invokeExact(out, Math.max(1L, bytes));
            if (status == ERROR_MEMORY_ALLOCATION) {
                long[] info = memoryInfo();
                throw new CudaOutOfMemoryException(status, name(status), bytes, info[0], info[1]);
            }
            check("cudaMalloc(" + bytes + " bytes)", status);
            return out.get(ADDRESS, 0).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void free(long device) {
        try {
            check("cudaFree", (int) free.invokeExact(MemorySegment.ofAddress(device)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void upload(long device, MemorySegment host, long bytes) {
        copy(MemorySegment.ofAddress(device), host, bytes, MEMCPY_HOST_TO_DEVICE, "cudaMemcpy(host to device)");
        uploads.incrementAndGet();
        uploadedBytes.addAndGet(bytes);
    }

    void download(MemorySegment host, long device, long bytes) {
        copy(host, MemorySegment.ofAddress(device), bytes, MEMCPY_DEVICE_TO_HOST, "cudaMemcpy(device to host)");
        downloads.incrementAndGet();
        downloadedBytes.addAndGet(bytes);
    }

    void fill(long device, int value, long bytes) {
        try {
            check("cudaMemset", (int) memset.invokeExact(MemorySegment.ofAddress(device), value, bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Waits for all work queued on the device (timings and host reads need it: calls are asynchronous). */
    public void synchronize() {
        try {
            check("cudaDeviceSynchronize", (int) synchronize.invokeExact());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Host-device copies so far: {uploads, bytes uploaded, downloads, bytes downloaded}. */
    public long[] transfers() {
        return new long[] {uploads.get(), uploadedBytes.get(), downloads.get(), downloadedBytes.get()};
    }

    private void copy(MemorySegment dst, MemorySegment src, long bytes, int kind, String call) {
        if (bytes == 0) {
            return;
        }
        try {
            check(call, (int) memcpy.invokeExact(dst, src, bytes, kind));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void check(String call, int status) {
        if (status != 0) {
            throw new CudaException(call, status, name(status), null);
        }
    }

    private String name(int status) {
        try {
            MemorySegment text = (MemorySegment) errorName.invokeExact(status);
            return text.equals(MemorySegment.NULL) ? "cudaError " + status : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "cudaError " + status;
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
