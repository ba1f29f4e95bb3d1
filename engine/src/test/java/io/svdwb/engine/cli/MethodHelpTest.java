package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.compress.method.MethodId;
import org.junit.jupiter.api.Test;

/** The help of compress and sweep lists every method, soco included (it once stopped at duo-svd). */
class MethodHelpTest {

    private static final String EVERY_METHOD = "svd, fwsvd, asvd, svd-llm, ressvd, duo-svd, soco, swift-svd, zero-sum-svd";

    @Test
    void theListIsEveryMethodId() {
        assertThat(String.join(", ", new MethodNames())).isEqualTo(MethodId.names()).isEqualTo(EVERY_METHOD);
    }

    @Test
    void compressHelpListsSocoUnderMethod() {
        CliRunner help = CliRunner.run("compress", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(oneLine(help.out())).contains("--method=NAME One of: " + EVERY_METHOD + ".");
    }

    @Test
    void sweepHelpListsSocoUnderMethods() {
        CliRunner help = CliRunner.run("sweep", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(oneLine(help.out())).contains("from: " + EVERY_METHOD + ".");
    }

    /** The help wraps at 80 columns; compare it as one line with single spaces. */
    private static String oneLine(String help) {
        return help.replaceAll("\\s+", " ");
    }
}
