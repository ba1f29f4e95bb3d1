package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodOption;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The methods' options reach the command line from the methods: every one is a flag, and a flag goes only to its owners. */
class MethodFlagsTest {

    @Test
    void everyOptionOfEveryMethodIsAFlagOfCompressAndSweep() {
        for (String command : List.of("compress", "sweep")) {
            StringWriter out = new StringWriter();
            int code = SvdwbCli.run(new String[] {command, "--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
            assertThat(code).isZero();
            for (MethodId id : MethodId.values()) {
                for (MethodOption option : id.method().options()) {
                    assertThat(out.toString()).as(command + " --help").contains("--" + option.name());
                }
            }
        }
    }

    @Test
    void aFlagGoesToTheMethodsThatDeclareItAndIsAnErrorForOthers() {
        Map<String, String> given = Map.of("asvd-alpha", "0.3", "probe-samples", "4");
        var settings = MethodFlags.settings(List.of(MethodId.ASVD, MethodId.RESSVD, MethodId.SVD), given);
        assertThat(settings.get(MethodId.ASVD).text("asvd-alpha")).isEqualTo("0.3");
        assertThat(settings.get(MethodId.ASVD).text("probe-samples")).isEqualTo("4");
        assertThat(settings.get(MethodId.RESSVD).text("probe-samples")).isEqualTo("4");
        assertThat(settings.get(MethodId.SVD)).isEqualTo(MethodId.SVD.defaults());
        assertThatThrownBy(() -> MethodFlags.settings(List.of(MethodId.SVD, MethodId.SVD_LLM), Map.of("asvd-alpha", "0.3")))
                .hasMessage("--asvd-alpha is an option of asvd, not of svd, svd-llm");
    }

    @Test
    void anOnOffFlagAloneMeansOn() {
        StringWriter err = new StringWriter();
        // parsing only: --help after the flags stops before any work
        int code = SvdwbCli.run(new String[] {"compress", "--method", "soco", "--ratio", "0.4", "--soco-resume", "--duo-columns", "off",
                "--help"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
    }
}
