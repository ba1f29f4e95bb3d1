package io.svdwb.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The driver API calls (libcuda.so.1) that load and launch run-time compiled kernels, on the device's primary context,
 * which is the one the runtime (libcudart) uses: device memory from either API is valid in both.
 */
final class CudaDriver {

    private final MethodHandle init;
    private final MethodHandle deviceGet;
    private final MethodHandle primaryContextRetain;
    private final MethodHandle contextSetCurrent;
    private final MethodHandle moduleLoadData;
    private final MethodHandle moduleUnload;
    private final MethodHandle moduleGetFunction;
    private final MethodHandle launchKernel;
    private final MethodHandle errorName;

    CudaDriver(NativeLibrary libcuda) {
        init = libcuda.function("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        deviceGet = libcuda.function("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        primaryContextRetain = libcuda.function("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        contextSetCurrent = libcuda.function("cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        moduleLoadData = libcuda.function("cuModuleLoadData", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        moduleUnload = libcuda.function("cuModuleUnload", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        moduleGetFunction = libcuda.function("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        launchKernel = libcuda.function("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        errorName = libcuda.function("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** Makes device {@code ordinal}'s primary context current on this thread. */
    void useDevice(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            check("cuInit", (int) init.invokeExact(0));
            MemorySegment device = arena.allocate(JAVA_INT);
            check("cuDeviceGet(" + ordinal + ")", (int) deviceGet.invokeExact(device, ordinal));
            MemorySegment context = arena.allocate(ADDRESS);
            check("cuDevicePrimaryCtxRetain", (int) primaryContextRetain.invokeExact(context, device.get(JAVA_INT, 0)));
            check("cuCtxSetCurrent", (int) contextSetCurrent.invokeExact(context.get(ADDRESS, 0)));
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    MemorySegment loadModule(String ptx) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cuModuleLoadData", (int) moduleLoadData.invokeExact(out, arena.allocateFrom(ptx)));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    void unloadModule(MemorySegment module) {
        try {
            check("cuModuleUnload", (int) moduleUnload.invokeExact(module));
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    MemorySegment function(MemorySegment module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cuModuleGetFunction(" + name + ")", (int) moduleGetFunction.invokeExact(out, module, arena.allocateFrom(name)));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** Launches {@code function} on a 1-D grid; {@code arguments} holds one pointer per kernel parameter to its value. */
    void launch(String name, MemorySegment function, int blocks, int threadsPerBlock, MemorySegment arguments) {
        try {
            check("cuLaunchKernel(" + name + ")", (int) launchKernel.invokeExact(function, blocks, 1, 1, threadsPerBlock, 1, 1, 0,
                    MemorySegment.NULL, arguments, MemorySegment.NULL));
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    private void check(String call, int status) {
        if (status != 0) {
            throw new CudaException(call, status, name(status), null);
        }
    }

    private String name(int status) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(ADDRESS);
            int s = (int) errorName.invokeExact(status, text);
            MemorySegment p = text.get(ADDRESS, 0);
            return s != 0 || p.equals(MemorySegment.NULL) ? "CUresult " + status : p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "CUresult " + status;
        }
    }
}
