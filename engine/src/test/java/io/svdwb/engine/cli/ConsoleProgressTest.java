package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.compress.method.DecompositionRecipe;
import org.junit.jupiter.api.Test;

/** Progress lines keep room for the bar, the counts and the ETA in an 80-column terminal. */
class ConsoleProgressTest {

    @Test
    void longPhaseNamesAreShortenedAndShortOnesKept() {
        assertThat(ConsoleProgress.taskName("Collecting calibration statistics")).isEqualTo("Collecting calibration statistics");
        String cut = ConsoleProgress.taskName("Decomposing 224 matrices (whitened Options[initialRelativeRidge=1.0E-6])");
        assertThat(cut).hasSize(ConsoleProgress.MAX_TASK_NAME).startsWith("Decomposing 224 matrices").endsWith("...");
    }

    @Test
    void decompositionPhasesNameTheRecipeInOneWord() {
        assertThat(new DecompositionRecipe.Whitened(Whitening.Options.DEFAULT).shortName()).isEqualTo("whitened");
        assertThat(new DecompositionRecipe.Plain().shortName()).isEqualTo("plain");
        assertThat(new DecompositionRecipe.ActivationScaled(0.5).shortName()).isEqualTo("asvd");
    }
}
