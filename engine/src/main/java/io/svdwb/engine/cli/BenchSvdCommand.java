package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.bench.SvdBenchmark;
import io.svdwb.engine.bench.SvdBenchmark.Backend;
import io.svdwb.engine.bench.SvdBenchmark.Row;
import io.svdwb.engine.bench.SvdBenchmark.Shape;
import io.svdwb.engine.bench.SvdBenchmark.Status;
import io.svdwb.engine.bench.SvdBenchmark.Timing;
import io.svdwb.engine.linalg.LinearAlgebra;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "svd", mixinStandardHelpOptions = true,
        description = {"Time the engine's SVD (LAPACKE gesdd) against ND4J's Lapack.gesvd and EJML on the same seeded",
                "random float32 matrices in the same run, and report the ratios nd4j/engine and ejml/engine.",
                "Every result is checked by its reconstruction error ||A - U S V^T||_F / ||A||_F (at most 1e-3).",
                "ND4J gesvd computes the full SVD and is slow (about 90 s at 2048x2048 on 2 cores, far longer",
                "at 2048x5632); EJML takes about a minute at 2048x5632. Use --max-seconds or --skip."})
final class BenchSvdCommand implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", paramLabel = "N|MxN",
            description = "Matrix sizes, run in this order. Default: 512,1024,2048,2048x5632.")
    List<String> sizes;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "1",
            description = "Timed runs per backend and size (the median is reported), after one untimed warm-up on the smallest size. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--skip", split = ",", paramLabel = "nd4j|ejml", description = "Backends not to run.")
    List<String> skip;

    @Option(names = "--max-seconds", paramLabel = "S",
            description = "Once one run of nd4j or ejml takes longer than S seconds, skip that backend on every later size at least as large (the engine always runs). Default: no limit.")
    Double maxSeconds;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random matrices. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON to FILE.")
    Path json;

    @Option(names = "--no-progress", description = "Do not draw a progress bar on stderr.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Shape> shapes = new ArrayList<>();
        if (sizes == null || sizes.isEmpty()) {
            shapes.addAll(SvdBenchmark.DEFAULT_SHAPES);
        } else {
            for (String size : sizes) {
                shapes.add(Shape.parse(size));
            }
        }
        Set<Backend> skipped = EnumSet.noneOf(Backend.class);
        if (skip != null) {
            for (String name : skip) {
                Backend b = Backend.parse(name);
                if (b == Backend.ENGINE) {
                    throw new IllegalArgumentException("--skip engine: the engine is the baseline of every ratio");
                }
                skipped.add(b);
            }
        }
        if (maxSeconds != null && !(maxSeconds > 0)) {
            throw new IllegalArgumentException("--max-seconds must be positive");
        }
        if (json != null) {
            // before the benchmark, which takes minutes: an existing file is replaced, as before
            io.svdwb.engine.files.AtomicFile.checkTarget(json, true);
        }
        SvdBenchmark.Result r = new SvdBenchmark(LinearAlgebra.cpu(), seed).run(shapes, repeats, skipped,
                maxSeconds != null ? maxSeconds : Double.POSITIVE_INFINITY, new ConsoleProgress(!noProgress));
        if (json != null) {
            io.svdwb.engine.files.AtomicFile.write(json, true, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(r));
        }
        print(r, spec.commandLine().getOut());
        return r.allPassed() ? 0 : 3;
    }

    private static final String TABLE_ROW = "%-10s  %-22s  %-24s  %-24s  %-11s  %s";

    private static void print(SvdBenchmark.Result r, PrintWriter out) {
        out.printf("engine backend  %s (LAPACKE sgesdd, thin); nd4j: Lapack.gesvd (sgesvd, full U and V^T); ejml: FDRM SVD (pure Java, 1 thread)%n",
                r.engineBackend());
        out.printf("float32, uniform [-1, 1), seed %d; %d timed run(s) per cell (median), warm-up on %s%s%n", r.seed(), r.repeats(),
                r.warmupShape(), r.maxSeconds() != null ? "; --max-seconds " + SvdBenchmark.formatSeconds(r.maxSeconds()) : "");
        out.println("seconds per SVD; ratio = backend / engine in this run; err = ||A - U S V^T||_F / ||A||_F");
        out.println(String.format(TABLE_ROW, "size", "engine gesdd", "nd4j gesvd", "ejml", "nd4j/engine", "ejml/engine").stripTrailing());
        for (Row row : r.rows()) {
            out.println(String.format(TABLE_ROW, row.shape(), cell(row.engine()), cell(row.nd4j()), cell(row.ejml()),
                    ratio(row.nd4jOverEngine()), ratio(row.ejmlOverEngine())).stripTrailing());
        }
        for (Row row : r.rows()) {
            for (Timing t : List.of(row.engine(), row.nd4j(), row.ejml())) {
                if (t.status() == Status.OK && t.message() != null) {
                    out.printf("note: %s, %s: %s%n", row.shape(), t.backend().label(), t.message());
                }
            }
            if (row.failure() != null) {
                out.printf("FAILED %s: %s%n", row.shape(), row.failure());
            }
        }
    }

    private static String cell(Timing t) {
        return switch (t.status()) {
            case OK -> String.format(Locale.ROOT, "%.3f s (err %.1e)", t.medianSeconds(), t.reconstructionError());
            case FAILED -> "FAILED";
            case SKIPPED, SKIPPED_OVER_LIMIT -> t.message();
        };
    }

    private static String ratio(Double r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.1f", r);
    }
}
