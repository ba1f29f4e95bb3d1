package io.svdwb.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.progress.CancelledException;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration with the residual streams on disk gives bit for bit the statistics of the in-memory path: the streams
 * are stored as raw float32 and read back exactly, and every layer gets the same arithmetic in the same order.
 */
class SpilledStreamsTest {

    private static final CalibrationSettings SMALL = CalibrationCacheTest.SMALL;

    @TempDir
    Path dir;

    /** Calibrates the demo model on the short text with a cache of its own, the streams on disk or in memory. */
    private CalibrationResult calibrate(String cache, boolean onDisk, ProgressListener progress) throws Exception {
        Calibration c = new Calibration(new CalibrationCache(dir.resolve(cache)), LinearAlgebra.cpu());
        return (onDisk ? c.withStreamsOnDisk() : c).run(TestData.demoModel(), CalibrationCacheTest.shortWikiText(dir), SMALL, progress);
    }

    @Test
    void streamsOnDiskGiveBitIdenticalStatisticsAndAreRemovedOnceComplete() throws Exception {
        CalibrationResult held = calibrate("held", false, ProgressListener.NONE);
        CalibrationResult spilled = calibrate("spilled", true, ProgressListener.NONE);
        assertThat(spilled.layerCount()).isEqualTo(5);
        for (int layer = 0; layer < 5; layer++) {
            CalibrationCacheTest.assertBitIdentical(spilled.layer(layer), held.layer(layer));
        }
        assertThat(spilled.folder().resolve(SpilledStreams.FOLDER)).doesNotExist();
        assertThat(spilled.folder().resolve(ResidualCheckpoint.FILE)).doesNotExist();
    }

    /** A run stopped in layer 3 resumes from the streams after layer 2 that it kept on disk, not from the embedding. */
    @Test
    void aStoppedRunResumesFromTheSpilledStreamsBitIdentically() throws Exception {
        // 2 batches per layer: stop when the 7th unit (layer 3, batch 1) is asked for
        assertThatThrownBy(() -> calibrate("spilled", true, new CalibrationStatisticsTest.RecordingProgress(6))).isInstanceOf(CancelledException.class);
        CalibrationStatisticsTest.RecordingProgress progress = new CalibrationStatisticsTest.RecordingProgress(Long.MAX_VALUE);
        CalibrationResult resumed = calibrate("spilled", true, progress);
        assertThat(progress.first).as("resumed at layer 3 of 5, 2 batches per layer").isEqualTo(3 * 2);

        CalibrationResult held = calibrate("held", false, ProgressListener.NONE);
        for (int layer = 0; layer < 5; layer++) {
            CalibrationCacheTest.assertBitIdentical(resumed.layer(layer), held.layer(layer));
        }
    }

    @Test
    void aResumePointOfOtherSettingsOrAWrongSizeIsNotUsed() throws Exception {
        Path model = TestData.demoModel();
        Path text = CalibrationCacheTest.shortWikiText(dir);
        CalibrationCacheKey key = CalibrationCacheKey.of(model, text, 8, 64, 3, 4, true, 1);
        int[] sizes = {4, 4};
        SpilledStreams streams = SpilledStreams.create(dir, key, sizes, 64, 3);
        float[] stream = new float[4 * 64 * 3];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = (float) Math.sin(i);
        }
        for (int b = 0; b < 2; b++) {
            streams.setInitial(b, stream);
            streams.set(b, negated(stream));
        }
        streams.commit(0);

        SpilledStreams back = SpilledStreams.resume(dir, key, 0, sizes, 64, 3);
        assertThat(back).isNotNull();
        assertThat(back.get(1)).containsExactly(negated(stream));
        assertThat(SpilledStreams.resume(dir, key, 1, sizes, 64, 3)).as("another layer").isNull();
        assertThat(SpilledStreams.resume(dir, key, 0, new int[] {4, 3}, 64, 3)).as("another batching").isNull();
        CalibrationCacheKey other = CalibrationCacheKey.of(model, text, 8, 64, 4, 4, true, 1);
        assertThat(SpilledStreams.resume(dir, other, 0, sizes, 64, 3)).as("another seed").isNull();
    }

    private static float[] negated(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = -values[i];
        }
        return out;
    }
}
