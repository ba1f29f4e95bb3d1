package io.svdwb.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.FreshJvm;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The streaming design at LLaMA-7B scale: a synthetic 32-layer fp16 checkpoint (13.5 GB in 4 shards of
 * over 2 GiB) is inspected and one decoder layer is run on it in a fresh JVM whose peak resident memory
 * must stay at or below 3 GB. Slow (it writes 13.5 GB), so it runs only with
 * {@code mvn -pl engine test -Dtest=Llama7bStreamingTest -Dsvdwb.excludedGroups=}; set
 * {@code -Dsvdwb.synth7b=DIR} to reuse a checkpoint written by {@code svdwb bench synth}.
 */
@Tag("slow")
class Llama7bStreamingTest {

    private static final long LIMIT_BYTES = 3_000_000_000L;

    @Test
    void oneLayerOfA7bModelRunsInThreeGigabytes() throws Exception {
        String reuse = System.getProperty("svdwb.synth7b");
        Path dir = reuse != null ? Path.of(reuse) : Files.createTempDirectory("llama7b-synth");
        try {
            if (reuse == null) {
                SyntheticCheckpoint.write(SyntheticCheckpoint.llama7b(32), dir, DType.F16, 8, 1, ProgressListener.NONE);
            }
            FreshJvm.Result inspect = FreshJvm.run("inspect", "--model", dir.toString(), "--json");
            assertThat(inspect.exitCode()).as(inspect.err()).isZero();
            JsonNode summary = new ObjectMapper().readTree(inspect.out());
            // LLaMA-7B: 32 x (4 x 4096^2 + 3 x 4096 x 11008) decoder linear parameters, docs/METHODS.md §2.3
            assertThat(summary.get("compressible_parameters").asLong()).isEqualTo(6_476_005_376L);
            assertThat(summary.get("total_parameters").asLong()).isEqualTo(6_738_415_616L);

            FreshJvm.Result layer = FreshJvm.run("bench", "layer", "--model", dir.toString(), "--layer", "31", "--tokens", "512", "--json");
            assertThat(layer.exitCode()).as(layer.err()).isZero();
            JsonNode r = new ObjectMapper().readTree(layer.out());
            assertThat(r.get("outputFinite").asBoolean()).isTrue();
            assertThat(r.get("checkpointBytes").asLong()).isGreaterThan(13_000_000_000L);
            assertThat(r.get("peakResidentBytes").asLong()).isPositive().isLessThanOrEqualTo(LIMIT_BYTES);
        } finally {
            if (reuse == null) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
