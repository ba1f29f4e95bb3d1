package io.svdwb.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One CUDA library opened through the Foreign Function API, its functions bound by name. Every function the backend
 * calls is bound when the backend starts: a symbol missing from the installed library would otherwise be found only
 * at its first call (gpu.md: lazily resolved symbols kill the process there).
 */
final class NativeLibrary {

    private static final Linker LINKER = Linker.nativeLinker();

    private final String soname;
    private final String location;
    private final SymbolLookup lookup;

    private NativeLibrary(String soname, String location, SymbolLookup lookup) {
        this.soname = soname;
        this.location = location;
        this.lookup = lookup;
    }

    /**
     * Opens {@code soname} from the first of {@code directories} that holds it, else by name through the dynamic
     * loader's own search ({@code LD_LIBRARY_PATH}, the system's cache).
     *
     * @throws CudaUnavailableException naming the library and where it was looked for
     */
    static NativeLibrary open(String soname, List<Path> directories) {
        List<String> tried = new ArrayList<>();
        for (Path dir : directories) {
            Path file = dir.resolve(soname);
            if (Files.isRegularFile(file)) {
                try {
                    return new NativeLibrary(soname, file.toString(), SymbolLookup.libraryLookup(file, Arena.global()));
                } catch (IllegalArgumentException e) {
                    tried.add(file + " (" + e.getMessage() + ")");
                }
            } else {
                tried.add(file + " (absent)");
            }
        }
        try {
            return new NativeLibrary(soname, soname, SymbolLookup.libraryLookup(soname, Arena.global()));
        } catch (IllegalArgumentException e) {
            tried.add(soname + " on the loader's path (" + e.getMessage() + ")");
        }
        throw new CudaUnavailableException("cannot load " + soname + "; tried " + String.join(", ", tried)
                + ". Install the CUDA 13 runtime (or the pip packages nvidia-cublas, nvidia-cusolver, nvidia-cuda-runtime) and"
                + " name its lib folders in SVDWB_CUDA_LIBRARY_PATH or LD_LIBRARY_PATH");
    }

    /** The function {@code name}, bound now; fails naming the library if it does not export it. */
    MethodHandle function(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new CudaUnavailableException(
                location + " does not export " + name + "; it is not the CUDA 13 " + soname + " the backend was written for"));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** Where the library was loaded from. */
    String location() {
        return location;
    }
}
