package io.svdwb.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.cuda.FakeCuda;
import io.svdwb.engine.TestData;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.model.TextTokenizer;
import io.svdwb.engine.progress.ProgressListener;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Calibration statistics summed on the GPU (the layers and the Grams on the device, one download per layer) against
 * the CPU's. Tolerances: layer 0's attention input is the same RMSNorm of the same embeddings on both sides, so its
 * Gram differs only by dsyrk's summation order (1e-12 relative); deeper inputs carry the float32 rounding differences
 * of the products before them (GEMM summation orders differ), about 1e-7 per layer, so 1e-5 relative; the token
 * counts are equal.
 */
class CudaCalibrationStatisticsTest {

    @Test
    void theDevicesStatisticsAreTheCpus() throws Exception {
        int[][] windows;
        try (TextTokenizer tokenizer = TextTokenizer.open(TestData.demoModel())) {
            int[] tokens = tokenizer.encode(Files.readString(TestData.wikiTrainHead()));
            windows = new CalibrationSampler(tokenizer).sample(tokens, "wiki", 8, 64, 3).windows();
        }
        try (Checkpoint checkpoint = Checkpoint.open(TestData.demoModel())) {
            List<LayerStatistics> cpu = CalibrationStatistics.collect(
                    new LlamaModel(checkpoint, LinearAlgebra.cpu(), LlamaModel.Residency.STREAM), windows, 3, ProgressListener.NONE);
            long syrks = FakeCuda.real() ? 0 : FakeCuda.calls("cublasDsyrk_v2");
            List<LayerStatistics> gpu = CalibrationStatistics.collect(
                    new LlamaModel(checkpoint, FakeCuda.backend(), LlamaModel.Residency.STREAM), windows, 3, ProgressListener.NONE);
            int layers = cpu.size();
            // three batches per layer, four inputs each: every Gram summed on the device
            if (!FakeCuda.real()) {
                assertThat(FakeCuda.calls("cublasDsyrk_v2") - syrks).isEqualTo(3L * 4 * layers);
            }
            for (int layer = 0; layer < layers; layer++) {
                for (ProjectionInput input : ProjectionInput.values()) {
                    InputStatistics want = cpu.get(layer).of(input);
                    InputStatistics got = gpu.get(layer).of(input);
                    double tolerance = layer == 0 && input == ProjectionInput.ATTENTION_INPUT ? 1e-12 : 1e-5;
                    assertThat(got.tokens()).isEqualTo(want.tokens());
                    double scale = want.gram().norm2Number().doubleValue();
                    double difference = got.gram().sub(want.gram()).norm2Number().doubleValue();
                    assertThat(difference / scale).as("Gram of %s, layer %d", input, layer).isLessThan(tolerance);
                    assertThat(got.gram().sub(got.gram().transpose()).amaxNumber().doubleValue()).as("exactly symmetric").isZero();
                    for (int j = 0; j < want.absSum().length; j++) {
                        assertThat(Math.abs(got.absSum()[j] - want.absSum()[j])).isLessThanOrEqualTo(tolerance * want.absSum()[j]);
                        assertThat(Math.abs(got.absMax()[j] - want.absMax()[j])).isLessThanOrEqualTo(tolerance * want.absMax()[j]);
                    }
                }
            }
        }
    }
}
