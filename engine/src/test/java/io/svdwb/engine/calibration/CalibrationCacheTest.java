package io.svdwb.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache gives back exactly what was computed, without running the model, and never a damaged file. */
class CalibrationCacheTest {

    static final CalibrationSettings SMALL = CalibrationSettings.defaults().withSamples(8).withWindowLength(64).withWindowsPerBatch(4);

    @TempDir
    Path dir;

    private final Path model = TestData.demoModel();
    private Path text;

    /** The first 40 kB of the WikiText-2 head: plenty for 8 x 64 tokens, and quick to tokenize on every run. */
    @BeforeEach
    void shortText() throws Exception {
        text = shortWikiText(dir);
    }

    /** The first 40 kB of the WikiText-2 head, cut at a line end, written into {@code dir}. */
    static Path shortWikiText(Path dir) throws java.io.IOException {
        Path text = dir.resolve("wiki.train.40k.tokens");
        byte[] all = Files.readAllBytes(CalibrationSamplerTest.wikiTrainHead());
        String head = new String(Arrays.copyOf(all, 40_000), StandardCharsets.UTF_8);
        return Files.writeString(text, head.substring(0, head.lastIndexOf('\n') + 1));
    }

    private Calibration calibration() {
        return new Calibration(new CalibrationCache(dir.resolve("cache")), LinearAlgebra.cpu());
    }

    @Test
    void secondRunLoadsBitIdenticalStatisticsWithoutRunningTheModel() throws Exception {
        CalibrationStatisticsTest.RecordingProgress firstProgress = new CalibrationStatisticsTest.RecordingProgress(Long.MAX_VALUE);
        CalibrationResult first = calibration().run(model, text, SMALL, firstProgress);
        assertThat(first.fromCache()).isFalse();
        assertThat(firstProgress.phases).containsExactly(CalibrationStatistics.PHASE);
        assertThat(first.layerCount()).isEqualTo(5);

        // What the cache holds is exactly what an in-memory run computes.
        List<LayerStatistics> computed;
        try (Checkpoint checkpoint = Checkpoint.open(model)) {
            computed = CalibrationStatistics.collect(new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM),
                    first.windows().windows(), SMALL.windowsPerBatch(), ProgressListener.NONE);
        }
        for (int layer = 0; layer < 5; layer++) {
            assertBitIdentical(first.layer(layer), computed.get(layer));
        }

        CalibrationStatisticsTest.RecordingProgress secondProgress = new CalibrationStatisticsTest.RecordingProgress(Long.MAX_VALUE);
        CalibrationResult second = calibration().run(model, text, SMALL, secondProgress);
        assertThat(second.fromCache()).isTrue();
        assertThat(secondProgress.phases).containsExactly(CalibrationCache.VERIFY_PHASE);
        assertThat(second.folder()).isEqualTo(first.folder());
        for (int layer = 0; layer < 5; layer++) {
            assertBitIdentical(second.layer(layer), computed.get(layer));
        }
    }

    /**
     * A run that needs only the first layers stops there and keeps the residual streams; a later run for every layer
     * resumes from them, and what it stores is bit for bit what one uninterrupted run stores (the streams are float32
     * on both paths, and each layer gets the same arithmetic).
     */
    @Test
    void aPartialRunStopsAtTheLayersNeededAndALaterRunResumesBitIdentically() throws Exception {
        CalibrationStatisticsTest.RecordingProgress partialProgress = new CalibrationStatisticsTest.RecordingProgress(Long.MAX_VALUE);
        CalibrationResult partial = calibration().run(model, text, SMALL, 2, partialProgress);
        assertThat(partial.layerCount()).isEqualTo(2);
        // the bar ends with the layers needed: 2 layers of 2 batches, not all 5
        assertThat(partialProgress.total).isEqualTo(2 * 2);
        assertThat(partialProgress.last).isEqualTo(2 * 2);
        assertThat(partial.folder().resolve(CalibrationCache.COMPLETE_MARKER)).doesNotExist();
        assertThat(partial.folder().resolve(ResidualCheckpoint.FILE)).exists();
        assertThat(partial.folder().resolve(LayerStatisticsFile.fileName(2))).doesNotExist();

        CalibrationResult reused = calibration().run(model, text, SMALL, 1, ProgressListener.NONE);
        assertThat(reused.fromCache()).isTrue();
        assertThat(reused.layerCount()).isEqualTo(2);

        CalibrationStatisticsTest.RecordingProgress progress = new CalibrationStatisticsTest.RecordingProgress(Long.MAX_VALUE);
        CalibrationResult resumed = calibration().run(model, text, SMALL, progress);
        assertThat(resumed.layerCount()).isEqualTo(5);
        assertThat(resumed.folder().resolve(CalibrationCache.COMPLETE_MARKER)).exists();
        assertThat(resumed.folder().resolve(ResidualCheckpoint.FILE)).doesNotExist();
        // resumed at layer 2: the progress started at 2 of 5 layers' units (2 batches each)
        assertThat(progress.first).isEqualTo(2 * 2);

        CalibrationResult uninterrupted = new Calibration(new CalibrationCache(dir.resolve("other-cache")), LinearAlgebra.cpu())
                .run(model, text, SMALL, ProgressListener.NONE);
        for (int layer = 0; layer < 5; layer++) {
            assertBitIdentical(resumed.layer(layer), uninterrupted.layer(layer));
        }
    }

    @Test
    void damagedOrTruncatedLayerFileIsRecomputedNotUsed() throws Exception {
        CalibrationResult first = calibration().run(model, text, SMALL, ProgressListener.NONE);
        LayerStatistics layer2 = first.layer(2);
        Path file = first.folder().resolve(LayerStatisticsFile.fileName(2));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long position = raf.length() - 1000; // inside the last tensor's data: only the checksum can see it
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x10);
        }
        assertThatThrownBy(() -> first.layer(2)).hasMessageContaining("checksum");
        CalibrationResult again = calibration().run(model, text, SMALL, ProgressListener.NONE);
        assertThat(again.fromCache()).isFalse();
        assertBitIdentical(again.layer(2), layer2);

        Path file4 = first.folder().resolve(LayerStatisticsFile.fileName(4));
        try (RandomAccessFile raf = new RandomAccessFile(file4.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertThat(calibration().run(model, text, SMALL, ProgressListener.NONE).fromCache()).isFalse();
        assertThat(calibration().run(model, text, SMALL, ProgressListener.NONE).fromCache()).isTrue();
    }

    @Test
    void cancelledRunLeavesNoUsableCache() throws Exception {
        assertThatThrownBy(() -> calibration().run(model, text, SMALL, new CalibrationStatisticsTest.RecordingProgress(5)))
                .isInstanceOf(CancelledException.class);
        assertThat(calibration().run(model, text, SMALL, ProgressListener.NONE).fromCache()).isFalse();
    }

    @Test
    void keyChangesWithSeedSamplesLengthAndDataButNotWithTheDataFilesLocation() throws Exception {
        Path copy = dir.resolve("copy.tokens");
        Files.copy(text, copy);
        Path edited = dir.resolve("edited.tokens");
        byte[] bytes = Files.readAllBytes(text);
        bytes[bytes.length / 2] ^= 1;
        Files.write(edited, bytes);

        String base = key(text, 8, 64, 3, 4);
        assertThat(key(text, 8, 64, 3, 4)).isEqualTo(base);
        assertThat(key(copy, 8, 64, 3, 4)).isEqualTo(base);
        Set<String> keys = new HashSet<>(List.of(base, key(text, 8, 64, 4, 4), key(text, 9, 64, 3, 4), key(text, 8, 65, 3, 4),
                key(edited, 8, 64, 3, 4), key(text, 8, 64, 3, 2)));
        assertThat(keys).hasSize(6);
    }

    @Test
    void rootComesFromTheSystemPropertyOrTheUserCache() {
        String previous = System.getProperty(CalibrationCache.PROPERTY);
        try {
            System.setProperty(CalibrationCache.PROPERTY, dir.toString());
            assertThat(CalibrationCache.atDefaultLocation().root()).isEqualTo(dir.toAbsolutePath());
            System.clearProperty(CalibrationCache.PROPERTY);
            assertThat(CalibrationCache.atDefaultLocation().root())
                    .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "svdwb", "calibration").toAbsolutePath());
        } finally {
            if (previous != null) {
                System.setProperty(CalibrationCache.PROPERTY, previous);
            }
        }
    }

    private String key(Path data, int n, int l, long seed, int batch) throws Exception {
        return CalibrationCacheKey.of(model, data, n, l, seed, batch, true, 1).hash();
    }

    static void assertBitIdentical(LayerStatistics actual, LayerStatistics expected) {
        assertThat(actual.layer()).isEqualTo(expected.layer());
        for (ProjectionInput input : ProjectionInput.values()) {
            InputStatistics a = actual.of(input);
            InputStatistics e = expected.of(input);
            assertThat(a.tokens()).isEqualTo(e.tokens());
            assertThat(bits(a.gram().dup('c').data().asDouble())).as("%s gram", input).containsExactly(bits(e.gram().dup('c').data().asDouble()));
            assertThat(bits(a.absSum())).containsExactly(bits(e.absSum()));
            assertThat(bits(a.absMax())).containsExactly(bits(e.absMax()));
        }
    }

    private static long[] bits(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Double.doubleToRawLongBits(values[i]);
        }
        return out;
    }
}
