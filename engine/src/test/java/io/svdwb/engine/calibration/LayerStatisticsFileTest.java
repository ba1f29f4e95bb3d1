package io.svdwb.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import io.svdwb.engine.model.ProjectionInput;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Grams larger than one read chunk (4 MB) come back bit for bit, and their checksum still holds. */
class LayerStatisticsFileTest {

    @TempDir
    Path tmp;

    @Test
    void gramsSpanningSeveralReadChunksRoundTripExactly() throws Exception {
        Nd4j.getRandom().setSeed(3);
        Map<ProjectionInput, InputStatistics> inputs = new EnumMap<>(ProjectionInput.class);
        int[] sizes = {1100, 40, 700, 1500}; // 1500² doubles are 18 MB: five chunks
        for (ProjectionInput input : ProjectionInput.values()) {
            int n = sizes[input.ordinal()];
            INDArray gram = Nd4j.rand(DataType.DOUBLE, n, n);
            double[] sum = new double[n];
            double[] max = new double[n];
            java.util.Arrays.fill(sum, 2.5);
            java.util.Arrays.fill(max, 0.5);
            inputs.put(input, new InputStatistics(gram, 77, sum, max));
        }
        LayerStatistics stats = new LayerStatistics(3, inputs);
        CalibrationCacheKey key = CalibrationCacheKey.of(TestData.demoModel(), TestData.wikiTestRaw(), 2, 64, 3, 1, true, 1);
        Path file = tmp.resolve(LayerStatisticsFile.fileName(3));
        LayerStatisticsFile.write(file, stats, key);
        LayerStatistics read = LayerStatisticsFile.read(file, 3, key);
        for (ProjectionInput input : ProjectionInput.values()) {
            // bit for bit; Arrays.mismatch, as AssertJ's element-wise diff is quadratic on 2M elements
            assertThat(java.util.Arrays.mismatch(read.of(input).gram().data().asDouble(), stats.of(input).gram().data().asDouble()))
                    .as(input.name()).isEqualTo(-1);
            assertThat(read.of(input).tokens()).isEqualTo(77);
        }
    }
}
