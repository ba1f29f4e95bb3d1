package io.svdwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts the workbench through its generated launcher target/svd-workbench (written by `mvn package` from
 * scripts/launcher.sh.in) the way run.sh does, but headless (Monocle) and in smoke mode: it opens the demo model,
 * lays out the window once and quits. A start must print nothing on stderr: no JVM, JavaFX, GTK or log warning.
 */
class WorkbenchSmokeIT {

    private static final Path LAUNCHER = Path.of("target", "svd-workbench").toAbsolutePath();
    private static final String HEADLESS = "-Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw";

    @Test
    void aStartOnTheDemoModelPrintsNoWarning() throws Exception {
        assertThat(LAUNCHER).as("built by mvn package").isExecutable();
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // Monocle is a test dependency, so it reaches the workbench's class path only here
        builder.environment().put("SVDWB_CLASSPATH", monocleJar().toString());
        Path target = Path.of("target").toAbsolutePath();
        builder.environment().put("SVDWB_JAVA_OPTS", HEADLESS + " -D" + SmokeRun.PROPERTY + "=true"
                + " -Dsvdwb.config=" + target.resolve("smoke-config") + " -Dsvdwb.cache=" + target.resolve("smoke-calibration-cache"));
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        String stderr = read(process.getErrorStream());
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("quit within 90 s").isTrue();

        assertThat(stderr).as("stderr of a workbench start").isEmpty();
        assertThat(stdout.join()).matches("smoke: opened stories260K in a \\d+ x \\d+ window\\R");
        assertThat(process.exitValue()).isZero();
    }

    private static Path monocleJar() throws Exception {
        Class<?> monocle = Class.forName("com.sun.glass.ui.monocle.MonoclePlatformFactory", false, WorkbenchSmokeIT.class.getClassLoader());
        return Path.of(monocle.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
