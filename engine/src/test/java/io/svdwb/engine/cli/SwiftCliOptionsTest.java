package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svdwb.engine.compress.swift.SwiftSvdOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.svdwb.engine.compress.method.MethodId;

/** The Swift-SVD flags (docs/METHODS.md §4.10) reach its options record, and bad values are refused by name. */
class SwiftCliOptionsTest {

    @TempDir
    Path tmp;

    private static final MethodId SWIFT_SVD = MethodId.parse("swift-svd");

    /** The options as compress reads them from flag/value pairs. */
    private static SwiftSvdOptions parse(String... args) {
        java.util.Map<String, String> given = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            given.put(args[i].substring(2), args[i + 1]);
        }
        return SwiftSvdOptions.of(MethodFlags.settings(List.of(SWIFT_SVD), given).get(SWIFT_SVD));
    }

    @Test
    void flagsReachTheOptions() {
        assertThat(parse()).isEqualTo(SwiftSvdOptions.DEFAULTS);
        assertThat(parse("--swift-allocation", "uniform").allocation()).isEqualTo(SwiftSvdOptions.Allocation.UNIFORM);
        assertThat(parse("--swift-alpha", "0.25").alpha()).isEqualTo(0.25);
        assertThat(parse("--swift-alpha-grid", "0,0.3,0.6").alphaGrid()).containsExactly(0.0, 0.3, 0.6);
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        for (List<String> bad : List.of(List.of("--swift-allocation", "greedy"), List.of("--swift-alpha", "1.5"),
                List.of("--swift-alpha-grid", "0.2,-1"))) {
            List<String> args = new java.util.ArrayList<>(List.of("compress", "--no-progress", "--calib-cache",
                    tmp.resolve("cache").toString(), "--method", "swift-svd", "--ratio", "0.4"));
            args.addAll(bad);
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
            assertThat(last).as(String.join(" ", bad)).startsWith("error: ")
                    .contains(bad.get(0).equals("--swift-alpha-grid") ? "Swift-SVD alpha" : bad.get(0))
                    .contains(bad.get(1).contains("-1") ? "-1" : bad.get(1));
        }
    }
}
