package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.FreshJvm;
import io.svdwb.engine.bench.SyntheticCheckpoint;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.RopeScaling;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compress --out process killed with SIGKILL while it writes its export leaves nothing at the target path
 * (the export lives in a hidden temporary sibling until it is complete), and the same command run again succeeds.
 */
class KilledExportTest {

    @TempDir
    Path tmp;

    @Test
    void aKilledExportLeavesNoCheckpointAtTheTarget() throws Exception {
        // large enough (2 layers, 8.4 M parameters, 34 MB of float32) that writing takes a visible moment
        ModelConfig config = new ModelConfig("llama", 512, 2048, 2, 8, 8, 64, 512, 512, 1e-5, 10000.0,
                RopeScaling.NONE, false, false, false, "silu");
        Path model = tmp.resolve("model");
        SyntheticCheckpoint.write(config, model, DType.F32, 1, 7, ProgressListener.NONE);
        Path target = tmp.resolve("out");
        String[] args = {"compress", "--model", model.toString(), "--method", "svd", "--ratio", "0.5", "--out", target.toString(),
            "--no-progress"};

        boolean killedWhileWriting = false;
        for (int attempt = 0; attempt < 5 && !killedWhileWriting; attempt++) {
            Process p = FreshJvm.cli(args).redirectErrorStream(true).redirectOutput(tmp.resolve("log-" + attempt).toFile()).start();
            while (p.isAlive() && !killedWhileWriting) {
                if (temporaryExportExists()) {
                    p.destroyForcibly();
                    killedWhileWriting = true;
                }
                Thread.sleep(2);
            }
            p.waitFor(1, TimeUnit.MINUTES);
            if (!killedWhileWriting) {
                // it finished before we saw it writing: start over
                assertThat(p.exitValue()).as(Files.readString(tmp.resolve("log-" + attempt))).isZero();
                deleteTree(target);
            }
        }
        assertThat(killedWhileWriting).as("caught an export in progress").isTrue();
        assertThat(target).doesNotExist();

        FreshJvm.Result again = FreshJvm.run(args);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(target.resolve("model.safetensors")).isRegularFile();
        assertThat(target.resolve("manifest.json")).isRegularFile();
    }

    private boolean temporaryExportExists() throws Exception {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(".out.export-"));
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
