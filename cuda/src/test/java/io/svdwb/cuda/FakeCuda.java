package io.svdwb.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
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
import java.util.stream.Stream;

/**
 * Builds the fake libcudart.so.13, libcublas.so.13 and libcusolver.so.12 from src/test/c (once per JVM) so that every
 * build runs the CUDA backend's whole code path without a GPU: the fakes export the real symbols with the real
 * signatures, keep "device" memory apart from host memory, and compute with the LAPACKE/CBLAS of the OpenBLAS that
 * ND4J's CPU backend already extracted (found through javacpp's loader).
 */
public final class FakeCuda {

    private static final String CORE = "libsvdwb_fakecuda.so";
    private static Path directory;
    private static CudaLinearAlgebra backend;

    private FakeCuda() {
    }

    /**
     * Whether the tests run on NVIDIA's real libraries (-Dsvdwb.cuda.real=true, the device check on a GPU machine,
     * scripts/device-check.sh): then {@link #backend()} is the real GPU and the fakes' counters are not there.
     */
    public static boolean real() {
        return Boolean.getBoolean("svdwb.cuda.real");
    }

    /** Where the CUDA libraries the tests use are: the fakes, or the real ones of SVDWB_CUDA_LIBRARY_PATH. */
    public static List<Path> libraryDirectories() {
        return real() ? CudaLinearAlgebra.libraryDirectories() : List.of(libraries());
    }

    /** The folder holding the three fake libraries, compiled on first use. */
    public static synchronized Path libraries() {
        if (directory == null) {
            directory = build();
        }
        return directory;
    }

    /** One backend on the fakes for the whole test JVM (its handles live as long as the libraries). */
    public static synchronized CudaLinearAlgebra backend() {
        if (backend == null) {
            backend = CudaLinearAlgebra.open(0, libraryDirectories());
        }
        return backend;
    }

    /** How many times the fakes saw {@code function} called. */
    public static long calls(String function) {
        return (long) invoke("fake_calls", function);
    }

    /** Fake device allocations not yet freed. */
    public static long liveAllocations() {
        try {
            MethodHandle h = Linker.nativeLinker().downcallHandle(cudart().find("fake_live_allocations").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG));
            return (long) h.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Makes the fake device {@code bytes} large (0: back to its default of 1 TiB). */
    public static void setMemoryLimit(long bytes) {
        try {
            MethodHandle h = Linker.nativeLinker().downcallHandle(cudart().find("fake_set_memory_limit").orElseThrow(),
                    FunctionDescriptor.ofVoid(JAVA_LONG));
            h.invokeExact(bytes);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static Object invoke(String name, String argument) {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle h = Linker.nativeLinker().downcallHandle(cudart().find(name).orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, ADDRESS));
            return (long) h.invokeExact(arena.allocateFrom(argument));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static SymbolLookup cudart() {
        return SymbolLookup.libraryLookup(libraries().resolve(CORE), Arena.global());
    }

    private static Path build() {
        Path sources = Path.of(System.getProperty("svdwb.fakeCuda.sources", "src/test/c"));
        Path out = Path.of(System.getProperty("svdwb.fakeCuda.output", "target/fake-cuda"));
        Path blas = openBlasDirectory();
        try {
            Files.createDirectories(out);
            // The fakes' device memory, counters and runtime calls live in a library of their own name, and
            // libcudart.so.13 only points to it: a real libcudart.so.13 that something else in the JVM loaded first
            // (DJL probes for one) would otherwise stand in for the fake wherever a fake library needs its symbols.
            compile(out, CORE, sources.resolve("fake_cudart.c"), null, false);
            Path shell = out.resolve("fake_cudart_shell.c");
            Files.writeString(shell, "/* libcudart.so.13: the runtime calls are in " + CORE + " */\n");
            compile(out, "libcudart.so.13", shell, null, true);
            compile(out, "libcublas.so.13", sources.resolve("fake_cublas.c"), blas, true);
            compile(out, "libcusolver.so.12", sources.resolve("fake_cusolver.c"), blas, true);
            compile(out, "libnvrtc.so.13", sources.resolve("fake_nvrtc.c"), null, false);
            compile(out, "libcuda.so.1", sources.resolve("fake_driver.c"), null, true);
        } catch (IOException e) {
            throw new IllegalStateException("building the fake CUDA libraries in " + out, e);
        }
        return out.toAbsolutePath();
    }

    private static void compile(Path out, String soname, Path source, Path blas, boolean linksRuntime) throws IOException {
        List<String> command = new ArrayList<>(List.of("cc", "-O2", "-Wall", "-Werror", "-fPIC", "-shared",
                "-Wl,-soname," + soname, "-o", out.resolve(soname).toString(), source.toString()));
        if (linksRuntime) {
            command.addAll(List.of("-L" + out, "-Wl,--no-as-needed", "-l:" + CORE, "-Wl,-rpath,$ORIGIN"));
        }
        if (blas != null) {
            command.addAll(List.of("-L" + blas, "-l:libopenblas.so.0", "-Wl,-rpath," + blas));
        }
        if (soname.equals("libcuda.so.1")) {
            // the fake driver runs the kernels of the jar's layer_kernels.cu, compiled here as C
            command.addAll(List.of("-I" + Path.of(System.getProperty("svdwb.fakeCuda.kernels", "src/main/resources/io/svdwb/cuda")),
                    "-lm"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("cc failed for " + soname + " (" + String.join(" ", command) + "):\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where javacpp extracted the OpenBLAS (with LAPACKE) that the CPU backend uses. */
    private static Path openBlasDirectory() {
        // loading the preset makes javacpp extract the library into its cache
        String jni = org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas.class);
        try {
            Path cache = org.bytedeco.javacpp.Loader.getCacheDir().toPath();
            try (Stream<Path> files = Files.walk(cache)) {
                return files.filter(p -> p.getFileName().toString().equals("libopenblas.so.0")).map(Path::getParent)
                        .findFirst().orElseThrow(() -> new IllegalStateException("no libopenblas.so.0 under " + cache
                                + " (javacpp loaded " + jni + ")"));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
