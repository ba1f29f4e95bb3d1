package io.svdwb.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Parameter counts of the embedded demo model, against the numbers documented in its PROVENANCE.md. */
class CheckpointParametersTest {

    private static Path demoModel() {
        return Path.of(System.getProperty("svdwb.root", "..")).resolve("resources/models/stories260K");
    }

    @Test
    void demoModelCountsMatchItsDocumentation() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(demoModel())) {
            // 260,032 with the tied lm_head counted once, as Karpathy reports it.
            assertThat(checkpoint.totalParameters()).isEqualTo(260_032L);
            // 5 layers x (q 64x64 + k 32x64 + v 32x64 + o 64x64 + 3 x 172x64).
            assertThat(checkpoint.compressibleParameters()).isEqualTo(5L * (4096 + 2048 + 2048 + 4096 + 3 * 11008));
            // = 226,560; with the embedding (512 x 64 = 32,768) and the 11 norms (704) it adds up to 260,032.
            assertThat(checkpoint.compressibleParameters()).isEqualTo(226_560L);
            assertThat(checkpoint.compressibleParameters() + 512 * 64 + 11 * 64).isEqualTo(checkpoint.totalParameters());
        }
    }
}
