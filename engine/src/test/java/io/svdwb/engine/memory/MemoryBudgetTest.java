package io.svdwb.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.bench.SyntheticCheckpoint;
import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.model.ForwardMemory;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.pipeline.MemoryPolicy;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void sizesAndSharesParse() {
        assertThat(MemoryBudget.parse("8g").bytes()).isEqualTo(8_000_000_000L);
        assertThat(MemoryBudget.parse("8GB").bytes()).isEqualTo(8_000_000_000L);
        assertThat(MemoryBudget.parse("512m").bytes()).isEqualTo(512_000_000L);
        assertThat(MemoryBudget.parse("2.5G").bytes()).isEqualTo(2_500_000_000L);
        assertThat(MemoryBudget.parse("123456").bytes()).isEqualTo(123_456L);
        long physical = MemoryBudget.physicalBytes();
        if (physical > 0) {
            assertThat(MemoryBudget.parse("50%").bytes()).isEqualTo((long) (physical * 50 / 100.0));
        }
    }

    @Test
    void nonsenseIsRefusedByName() {
        for (String bad : new String[] {"abc", "0", "-1g", "150%", "0%", "g", ""}) {
            assertThatThrownBy(() -> MemoryBudget.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("memory budget");
        }
    }

    @Test
    void aRunThatDoesNotFitIsRefusedWithBothFigures() {
        assertThatThrownBy(() -> new MemoryBudget(1_000_000_000L).require(3_500_000_000L, "evaluating"))
                .isInstanceOf(InsufficientMemoryException.class)
                .hasMessageContaining("evaluating needs about 3.50 GB").hasMessageContaining("budget of 1.00 GB")
                .hasMessageContaining("--memory-budget");
        new MemoryBudget(1_000_000_000L).require(1_000_000_000L, "fits exactly");
    }

    /**
     * LLaMA-7B's published shapes: a decoder layer holds 4·4096² + 3·4096·11008 + 2·4096 = 202,383,360 parameters and the
     * model 6,738,415,616 (32 layers, embedding and lm_head of 32000 x 4096, the final norm), all as float32.
     */
    @Test
    void llama7bWeightsAreCountedExactly() {
        ModelConfig c = SyntheticCheckpoint.llama7b(32);
        assertThat(ForwardMemory.layerBytes(c)).isEqualTo(4L * 202_383_360L);
        assertThat(ForwardMemory.residentModelBytes(c)).isEqualTo(4L * 6_738_415_616L);
        assertThat(ForwardMemory.residencyFor(c, 24_000_000_000L)).isEqualTo(LlamaModel.Residency.STREAM);
        assertThat(ForwardMemory.residencyFor(c, 60_000_000_000L)).isEqualTo(LlamaModel.Residency.KEEP);
        // 8 windows of 2048 at once do not fit 8 GB (their temporaries alone pass 6 GB); the chosen batch is the largest
        // power-of-two share that does
        assertThat(ForwardMemory.calibrationBytes(c, 8, 2048, 8)).isGreaterThan(8_000_000_000L);
        int chosen = ForwardMemory.calibrationBatch(c, 8, 2048, 8, 8_000_000_000L);
        assertThat(chosen).isLessThan(8);
        assertThat(ForwardMemory.calibrationBytes(c, 8, 2048, chosen)).isLessThanOrEqualTo(8_000_000_000L);
        assertThat(ForwardMemory.calibrationBytes(c, 8, 2048, 2 * chosen)).isGreaterThan(8_000_000_000L);
    }

    /**
     * SVD-LLM's own calibration, 256 windows of 2048 tokens, has residual streams of 256·2048·4096·4 B = 8.6 GB at
     * LLaMA-7B's width: more than an 8 GB budget, so they go to disk; a small calibration keeps them in memory.
     */
    @Test
    void streamsThatDoNotFitTheBudgetGoToDiskAndTooSmallABudgetIsRefused() {
        ModelConfig c = SyntheticCheckpoint.llama7b(32);
        assertThat(ForwardMemory.hiddenBytes(c, 256L * 2048)).isEqualTo(8_589_934_592L);
        MemoryPolicy eightGb = new MemoryPolicy(new MemoryBudget(8_000_000_000L), null);
        CalibrationSettings svdLlm = CalibrationSettings.defaults().withWindowLength(2048);
        MemoryPolicy.CalibrationPlan full = eightGb.calibrationPlan(c, svdLlm, false);
        assertThat(full.streamsOnDisk()).isTrue();
        assertThat(ForwardMemory.calibrationBytes(c, 256, 2048, full.settings().windowsPerBatch(), true)).isLessThanOrEqualTo(8_000_000_000L);

        MemoryPolicy.CalibrationPlan small = eightGb.calibrationPlan(c, svdLlm.withSamples(8), false);
        assertThat(small.streamsOnDisk()).isFalse();
        assertThat(small.settings().windowsPerBatch()).isEqualTo(ForwardMemory.calibrationBatch(c, 8, 2048, 8, 8_000_000_000L));

        assertThatThrownBy(() -> new MemoryPolicy(new MemoryBudget(3_000_000_000L), null).calibrationPlan(c, svdLlm, false))
                .isInstanceOf(InsufficientMemoryException.class).hasMessageContaining("residual streams on disk");
    }
}
