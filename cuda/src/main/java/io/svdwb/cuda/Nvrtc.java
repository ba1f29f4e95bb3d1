package io.svdwb.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** NVRTC (libnvrtc.so.13): CUDA C++ source to PTX at run time, so the jar carries sources, not per-GPU binaries. */
final class Nvrtc {

    private final MethodHandle create;
    private final MethodHandle compile;
    private final MethodHandle ptxSize;
    private final MethodHandle ptx;
    private final MethodHandle logSize;
    private final MethodHandle log;
    private final MethodHandle destroy;
    private final MethodHandle errorString;

    Nvrtc(NativeLibrary libnvrtc) {
        create = libnvrtc.function("nvrtcCreateProgram",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        compile = libnvrtc.function("nvrtcCompileProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        ptxSize = libnvrtc.function("nvrtcGetPTXSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        ptx = libnvrtc.function("nvrtcGetPTX", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        logSize = libnvrtc.function("nvrtcGetProgramLogSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        log = libnvrtc.function("nvrtcGetProgramLog", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        destroy = libnvrtc.function("nvrtcDestroyProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        errorString = libnvrtc.function("nvrtcGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    /**
     * The PTX of {@code source}; a compilation error is a {@link CudaException} carrying NVRTC's log.
     *
     * @param name the file name NVRTC uses in its messages
     */
    String compile(String source, String name, List<String> options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment programOut = arena.allocate(ADDRESS);
            check("nvrtcCreateProgram(" + name + ")", (int) create.invokeExact(programOut, arena.allocateFrom(source),
                    arena.allocateFrom(name), 0, MemorySegment.NULL, MemorySegment.NULL), null);
            MemorySegment program = programOut.get(ADDRESS, 0);
            try {
                MemorySegment optionArray = arena.allocate(ADDRESS, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) {
                    optionArray.setAtIndex(ADDRESS, i, arena.allocateFrom(options.get(i)));
                }
                int status = (int) compile.invokeExact(program, options.size(), optionArray);
                check("nvrtcCompileProgram(" + name + ")", status, status != 0 ? programLog(arena, program) : null);
                MemorySegment size = arena.allocate(JAVA_LONG);
                check("nvrtcGetPTXSize", (int) ptxSize.invokeExact(program, size), null);
                MemorySegment text = arena.allocate(size.get(JAVA_LONG, 0));
                check("nvrtcGetPTX", (int) ptx.invokeExact(program, text), null);
                return text.getString(0);
            } finally {
                check("nvrtcDestroyProgram", (int) destroy.invokeExact(programOut), null);
            }
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    private String programLog(Arena arena, MemorySegment program) throws Throwable {
        MemorySegment size = arena.allocate(JAVA_LONG);
        if ((int) logSize.invokeExact(program, size) != 0) {
            return "(no log)";
        }
        MemorySegment text = arena.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
        return (int) log.invokeExact(program, text) == 0 ? text.getString(0).strip() : "(no log)";
    }

    private void check(String call, int status, String detail) throws Throwable {
        if (status != 0) {
            MemorySegment text = (MemorySegment) errorString.invokeExact(status);
            String name = text.equals(MemorySegment.NULL) ? "nvrtcResult " + status : text.reinterpret(256).getString(0);
            throw new CudaException(call, status, name, detail);
        }
    }
}
