package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.TestData;
import org.junit.jupiter.api.Test;

/** sweep plans its calibration within --memory-budget as compress does: one that cannot fit is refused before any row. */
class SweepMemoryBudgetTest {

    @Test
    void aCalibrationThatCannotFitTheBudgetIsRefusedBeforeTheSweep() {
        CliRunner r = CliRunner.run("sweep", "--model", TestData.demoModel().toString(), "--methods", "svd-llm", "--ratios", "0.5",
                "--calib-samples", "4", "--calib-length", "32", "--text", TestData.tinyStories().toString(), "--max-tokens", "64",
                "--ctx", "32", "--no-progress", "--memory-budget", "100m");
        assertThat(r.exitCode()).isEqualTo(1);
        // the engine's runtime alone is counted as 0.5 GB
        assertThat(r.err()).contains("calibrating on 4 windows of 32 tokens").contains("budget of 0.10 GB")
                .contains("--memory-budget");
        assertThat(r.out()).as("no row was computed").isEmpty();
    }
}
