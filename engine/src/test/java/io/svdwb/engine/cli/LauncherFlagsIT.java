package io.svdwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM command line the generated launcher target/svdwb builds, seen through a fake JDK whose java prints its
 * arguments: the Unsafe option only from JDK 23 on (21 and 22 would refuse to start with it), SVDWB_JAVA_OPTS after
 * the launcher's flags, SVDWB_CLASSPATH after the jar.
 */
class LauncherFlagsIT {

    private static final Path LAUNCHER = Path.of("target", "svdwb").toAbsolutePath();

    @TempDir
    Path jdk;

    @Test
    void jdk22GetsNativeAccessButNotTheUnsafeOption() throws Exception {
        fakeJdk("22.0.2");

        assertThat(javaArguments("", "", "--version")).containsExactly("--enable-native-access=ALL-UNNAMED",
                "-cp", LAUNCHER.resolveSibling("svdwb.jar").toString(), "io.svdwb.engine.cli.SvdwbCli", "--version");
    }

    @Test
    void jdk25GetsBothAndTheUsersOptionsComeAfterThem() throws Exception {
        fakeJdk("25.0.3");

        assertThat(javaArguments("-Xmx8g -Dx=y", "/opt/extra.jar", "eval", "--ctx", "32")).containsExactly(
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx8g", "-Dx=y",
                "-cp", LAUNCHER.resolveSibling("svdwb.jar") + ":/opt/extra.jar", "io.svdwb.engine.cli.SvdwbCli", "eval", "--ctx", "32");
    }

    /** 40 % of the budget, in MiB: 8e9 bytes x 0.4 / 2^20 = 3051.7, rounded down. */
    @Test
    void aMemoryBudgetBoundsTheHeapUnlessTheUserSetsItself() throws Exception {
        fakeJdk("25.0.3");

        assertThat(javaArguments("", "", "compress", "--memory-budget", "8g")).contains("-Xmx3051m");
        assertThat(javaArguments("", "", "eval", "--memory-budget=512m")).contains("-Xmx256m"); // 195 MiB, raised to 256
        assertThat(javaArguments("-Xmx2g", "", "compress", "--memory-budget", "8g")).contains("-Xmx2g")
                .doesNotContain("-Xmx3051m");
        assertThat(javaArguments("", "", "eval", "--ctx", "32")).noneMatch(a -> a.startsWith("-Xmx"));
    }

    private void fakeJdk(String version) throws IOException {
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = jdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/bash\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> javaArguments(String javaOpts, String classPath, String... args) throws Exception {
        assertThat(LAUNCHER).as("built by mvn package").isExecutable();
        List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", jdk.toString());
        builder.environment().put("SVDWB_JAVA_OPTS", javaOpts);
        builder.environment().put("SVDWB_CLASSPATH", classPath);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().toList();
    }
}
