package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compress and sweep refuse bad input with an error that names the problem, before doing expensive work. */
class CompressCliErrorsTest {

    @TempDir
    Path tmp;

    private CliRunner compress(String... extra) {
        List<String> args = Stream.concat(Stream.of("compress", "--no-progress", "--calib-cache", tmp.resolve("cache").toString()),
                Stream.of(extra)).toList();
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static void assertError(CliRunner r, String... fragments) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("error: ").contains(fragments);
    }

    @Test
    void ratioOutsideTheOpenUnitInterval() {
        for (String ratio : new String[] {"0", "1", "1.5", "-0.2", "NaN"}) {
            assertError(compress("--method", "svd", "--ratio", ratio), "compression ratio must be strictly between 0 and 1");
        }
    }

    @Test
    void unknownMethodListsTheValidOnes() {
        assertError(compress("--method", "svd-xl", "--ratio", "0.4"), "svd-xl", "svd, fwsvd, asvd, svd-llm, ressvd, duo-svd");
    }

    @Test
    void unknownModule() {
        assertError(compress("--method", "svd", "--ratio", "0.4", "--modules", "q,qkv"), "qkv");
    }

    @Test
    void layersOutOfRange() {
        assertError(compress("--method", "svd", "--ratio", "0.4", "--layers", "2-7"), "out of range", "0-4");
    }

    @Test
    void calibrationTextTooShortForNTimesL() throws Exception {
        Path shortText = tmp.resolve("short.txt");
        Files.writeString(shortText, "Once upon a time there was a tiny text that is far too short to calibrate on.\n");
        assertError(compress("--method", "svd-llm", "--ratio", "0.4", "--calib", shortText.toString(), "--calib-samples", "16",
                "--calib-length", "128"), "short.txt", "calibration needs", "16 windows");
    }

    @Test
    void missingCalibrationFile() {
        Path missing = tmp.resolve("missing.txt");
        assertError(compress("--method", "svd-llm", "--ratio", "0.4", "--calib", missing.toString()), "missing.txt", "no such file");
    }

    @Test
    void anExistingOutputFolderIsRefusedUnlessOverwrite() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("existing"));
        Files.writeString(out.resolve("keep.txt"), "precious");
        assertError(compress("--method", "svd", "--ratio", "0.4", "--out", out.toString()), "existing", "--overwrite");
        assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("precious");
    }

    @Test
    void unknownExportFormat() {
        assertError(compress("--method", "svd", "--ratio", "0.4", "--format", "gguf", "--out", tmp.resolve("o").toString()), "gguf",
                "dense or factored");
    }

    @Test
    void aSingularGramFallsBackAndSaysSo() {
        // one calibration window of 8 tokens: every H has rank <= 8 < 64, so an unregularised Cholesky must fail
        CliRunner r = compress("--method", "svd-llm", "--ratio", "0.4", "--calib-samples", "1", "--calib-length", "8",
                "--whitening", "duo-svd");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("note", "Cholesky of H failed", "DAMPING");
    }

    @Test
    void sweepRejectsABadRatioBeforeCalibrating() {
        CliRunner r = CliRunner.run("sweep", "--methods", "svd,svd-llm", "--ratios", "0.2,1.2", "--no-progress");
        assertError(r, "1.2");
    }
}
