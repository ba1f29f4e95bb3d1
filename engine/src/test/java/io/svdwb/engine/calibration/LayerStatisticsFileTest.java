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

/**
 * Grams larger than one read chunk (4 MB) come back bit for bit, and their checksum still holds; they are stored as
 * their lower triangle (half the bytes), so only an exactly symmetric one (as calibration's are) is accepted.
 */
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
            INDArray gram = symmetric(Nd4j.rand(DataType.DOUBLE, n, n));
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
        long squareBytes = 8L * (1100 * 1100 + 40 * 40 + 700 * 700 + 1500 * 1500);
        assertThat(java.nio.file.Files.size(file)).isBetween(squareBytes / 2, squareBytes / 2 + 200_000);
    }

    @Test
    void anAsymmetricGramIsRefusedAndNoFileIsLeft() throws Exception {
        Map<ProjectionInput, InputStatistics> inputs = new EnumMap<>(ProjectionInput.class);
        for (ProjectionInput input : ProjectionInput.values()) {
            INDArray gram = symmetric(Nd4j.rand(DataType.DOUBLE, 5, 5));
            if (input == ProjectionInput.MLP_INPUT) {
                gram.putScalar(1, 3, gram.getDouble(1, 3) + 1e-12);
            }
            inputs.put(input, new InputStatistics(gram, 1, new double[5], new double[5]));
        }
        CalibrationCacheKey key = CalibrationCacheKey.of(TestData.demoModel(), TestData.wikiTestRaw(), 2, 64, 3, 1, true, 1);
        Path file = tmp.resolve(LayerStatisticsFile.fileName(0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LayerStatisticsFile.write(file, new LayerStatistics(0, inputs), key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly symmetric")
                .hasMessageContaining("(3, 1)");
        assertThat(tmp).isEmptyDirectory();
    }

    private static INDArray symmetric(INDArray square) {
        INDArray sym = square.add(square.transpose()).dup('c');
        io.svdwb.engine.linalg.LinearAlgebra.mirrorLowerToUpper(sym); // exact, whatever the rounding of the sum
        return sym;
    }
}
