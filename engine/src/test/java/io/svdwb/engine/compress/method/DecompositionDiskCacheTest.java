package io.svdwb.engine.compress.method;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.svdwb.engine.TestData;
import io.svdwb.engine.calibration.CalibrationCacheKey;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LowRankLinear;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.LoggerFactory;

/**
 * The disk tier of the {@link DecompositionCache} on the demo model (5 layers x 7 matrices = 35 decompositions per
 * recipe): a second run reads instead of computing and compresses bit-identically, other data never hits, and
 * a bad file or an unwritable folder costs a recomputation or a warning, never the compression.
 */
class DecompositionDiskCacheTest {

    /** Shared by every test so the demo calibration (16 x 128 tokens) runs once per seed. */
    @TempDir
    static Path calibrationCache;

    @TempDir
    Path folder;

    @Test
    void aSecondContextReadsEveryDecompositionAndCompressesBitIdentically() throws Exception {
        List<MethodId> methods = List.of(MethodId.SVD, MethodId.SVD_LLM, MethodId.FWSVD); // Plain, Whitened, FisherExact
        Map<MethodId, CompressionResult> first = new java.util.LinkedHashMap<>();
        try (CompressionContext context = open(DemoCompression.SMALL, folder)) {
            for (MethodId method : methods) {
                first.put(method, compress(context, method));
            }
            assertThat(context.decompositions().misses()).isEqualTo(3 * 35);
            assertThat(context.decompositions().diskHits()).isZero();
            assertThat(context.decompositions().diskWriteFailures()).isZero();
        }
        assertThat(files(folder)).hasSize(3 * 35);
        try (CompressionContext context = open(DemoCompression.SMALL, folder)) {
            for (MethodId method : methods) {
                assertBitIdentical(compress(context, method), first.get(method));
            }
            assertThat(context.decompositions().misses()).isZero();
            assertThat(context.decompositions().diskHits()).isEqualTo(3 * 35);
        }
    }

    @Test
    void anotherSeedOrAnotherModelNeverHitsAFileOfTheFirst() throws Exception {
        Set<Path> seed3;
        LowRankDecomposition whitened3;
        MatrixSpec q0;
        try (CompressionContext context = open(DemoCompression.SMALL, folder)) {
            compress(context, MethodId.SVD_LLM);
            compress(context, MethodId.SVD);
            q0 = spec(context, 0, ProjectionKind.Q);
            whitened3 = context.decomposition(whitened(), q0, ProgressListener.NONE);
            seed3 = files(folder);
        }
        assertThat(seed3).hasSize(2 * 35);

        try (CompressionContext context = open(DemoCompression.SMALL.withSeed(4), folder)) {
            compress(context, MethodId.SVD_LLM);
            // other calibration windows: every whitened decomposition is computed again, into new files
            assertThat(context.decompositions().diskHits()).isZero();
            assertThat(context.decompositions().misses()).isEqualTo(35);
            // and it really differs, so a false hit would have changed the result
            assertThat(context.decomposition(whitened(), q0, ProgressListener.NONE).singularValues())
                    .isNotEqualTo(whitened3.singularValues());
            // the plain SVD reads no calibration data: its files serve any seed
            compress(context, MethodId.SVD);
            assertThat(context.decompositions().diskHits()).isEqualTo(35);
            assertThat(context.decompositions().misses()).isEqualTo(35);
        }
        Set<Path> afterSeed4 = files(folder);
        assertThat(afterSeed4).hasSize(3 * 35).containsAll(seed3);

        // the same weights in another folder count as another model (the key names the model's real path)
        Path copy = Files.createDirectories(folder.resolve("model-copy"));
        try (Stream<Path> model = Files.list(TestData.demoModel())) {
            for (Path file : model.filter(Files::isRegularFile).toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        try (CompressionContext context = open(copy, DemoCompression.SMALL, folder)) {
            compress(context, MethodId.SVD);
            assertThat(context.decompositions().diskHits()).isZero();
            assertThat(context.decompositions().misses()).isEqualTo(35);
        }
        assertThat(files(folder)).hasSize(4 * 35).containsAll(afterSeed4);
    }

    @Test
    void aDamagedOrTruncatedFileIsRecomputedAndRewritten() throws Exception {
        CompressionResult first;
        Path damaged;
        Path truncated;
        String damagedKey;
        try (CompressionContext context = open(DemoCompression.SMALL, folder)) {
            first = compress(context, MethodId.SVD);
            String model = CalibrationCacheKey.modelDescription(TestData.demoModel());
            damagedKey = DecompositionCache.fullKey(new DecompositionRecipe.Plain(), spec(context, 2, ProjectionKind.Q), model);
            damaged = context.decompositions().file(damagedKey);
            truncated = context.decompositions().file(
                    DecompositionCache.fullKey(new DecompositionRecipe.Plain(), spec(context, 4, ProjectionKind.DOWN), model));
        }
        assertThat(files(folder)).contains(damaged, truncated);
        try (RandomAccessFile raf = new RandomAccessFile(damaged.toFile(), "rw")) {
            long position = raf.length() - 5; // in the data: only the checksum sees it
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x40);
        }
        try (RandomAccessFile raf = new RandomAccessFile(truncated.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }

        try (CompressionContext context = open(DemoCompression.SMALL, folder)) {
            assertBitIdentical(compress(context, MethodId.SVD), first);
            assertThat(context.decompositions().misses()).isEqualTo(2);
            assertThat(context.decompositions().diskHits()).isEqualTo(33);
        }
        DecompositionFile.read(damaged, damagedKey); // rewritten: reads and verifies again
        try (CompressionContext context = open(DemoCompression.SMALL, folder)) {
            assertBitIdentical(compress(context, MethodId.SVD), first);
            assertThat(context.decompositions().misses()).isZero();
            assertThat(context.decompositions().diskHits()).isEqualTo(35);
        }
    }

    @Test
    void anUnwritableFolderOnlyWarns() throws Exception {
        // A folder below a regular file can never be created. (Permission bits would not do: the tests may run as
        // root, which writes into read-only folders.)
        Path blocker = Files.writeString(folder.resolve("not-a-folder"), "x");
        Path unwritable = blocker.resolve("decompositions");
        CompressionResult memoryOnly;
        try (CompressionContext context = open(DemoCompression.SMALL, null)) {
            memoryOnly = compress(context, MethodId.SVD);
        }
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DecompositionCache.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (CompressionContext context = open(DemoCompression.SMALL, unwritable)) {
            assertBitIdentical(compress(context, MethodId.SVD), memoryOnly);
            assertThat(context.decompositions().misses()).isEqualTo(35);
            assertThat(context.decompositions().diskWriteFailures()).isEqualTo(35);
        } finally {
            logger.detachAppender(log);
        }
        assertThat(log.list).hasSize(35).allSatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("Could not store", unwritable.toString());
        });
        assertThat(Files.isRegularFile(blocker)).isTrue();
    }

    private static CompressionContext open(io.svdwb.engine.calibration.CalibrationSettings settings, Path folder) throws Exception {
        return open(TestData.demoModel(), settings, folder);
    }

    private static CompressionContext open(Path model, io.svdwb.engine.calibration.CalibrationSettings settings, Path folder)
            throws Exception {
        return DemoCompression.open(model, settings, calibrationCache, folder);
    }

    private static CompressionResult compress(CompressionContext context, MethodId method) {
        return new Compressor(context).compress(DemoCompression.request(context, method, 0.4), ProgressListener.NONE);
    }

    private static DecompositionRecipe whitened() {
        return new DecompositionRecipe.Whitened(io.svdwb.engine.compress.kernels.Whitening.Options.DEFAULT);
    }

    private static MatrixSpec spec(CompressionContext context, int layer, ProjectionKind kind) {
        return context.checkpoint().matrices().stream().filter(m -> m.layer() == layer && m.kind() == kind).findFirst().orElseThrow();
    }

    /** The decomposition files directly in {@code folder}. */
    private static Set<Path> files(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return new HashSet<>(s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).toList());
        }
    }

    /** Same modules, ranks, and factors and biases equal bit for bit. */
    private static void assertBitIdentical(CompressionResult actual, CompressionResult expected) {
        assertThat(actual.replacements().keySet()).containsExactlyElementsOf(expected.replacements().keySet());
        for (Map.Entry<String, Linear> e : expected.replacements().entrySet()) {
            LowRankLinear x = (LowRankLinear) actual.replacements().get(e.getKey());
            LowRankLinear y = (LowRankLinear) e.getValue();
            assertThat(x.rank()).as(e.getKey()).isEqualTo(y.rank());
            assertThat(bits(x.a())).as(e.getKey() + " A").isEqualTo(bits(y.a()));
            assertThat(bits(x.b())).as(e.getKey() + " B").isEqualTo(bits(y.b()));
            assertThat(x.bias() == null).isEqualTo(y.bias() == null);
            if (x.bias() != null) {
                assertThat(bits(x.bias())).as(e.getKey() + " bias").isEqualTo(bits(y.bias()));
            }
        }
    }

    /** Raw bit patterns of a (float) factor in row-major order. */
    private static long[] bits(INDArray x) {
        return DecompositionFileTest.bits(x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
    }
}
