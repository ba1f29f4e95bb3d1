package io.svdwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/system-packages.sh, which ./run.sh and ./test.sh call before building. It runs here with a PATH that
 * holds only stubs (ldconfig, fc-list, id, apt-get), so the machine's own libraries, user and package manager
 * play no part: each test decides which libraries "exist" and checks the exact line the script prints.
 */
class SystemPackagesScriptTest {

    private static final Path SCRIPT = Path.of(System.getProperty("svdwb.root", "..")).resolve("scripts/system-packages.sh");
    private static final List<String> FONT_LIBRARIES = List.of("libfreetype.so.6", "libfontconfig.so.1", "libpango-1.0.so.0",
            "libpangoft2-1.0.so.0");
    private static final List<String> WINDOW_LIBRARIES = List.of("libgtk-3.so.0", "libXtst.so.6");

    @TempDir
    Path stubs;

    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void stubTheSystem() throws IOException {
        // ldconfig -p lists the libraries named in the file "libraries", one per line, in its real format.
        stub("ldconfig", "while read -r lib; do printf '\\t%s (libc6,x86-64) => /lib/x86_64-linux-gnu/%s\\n' \"$lib\" \"$lib\"; done < "
                + stubs.resolve("libraries"));
        stub("fc-list", "cat " + stubs.resolve("fonts"));
        stub("id", "echo " + "$(cat " + stubs.resolve("uid") + ")");
        // apt-get records its arguments, and "installs" by adding every library to the ldconfig list and a font.
        stub("apt-get", "echo \"$*\" >> " + stubs.resolve("apt-get.calls") + "\n"
                + "if [ \"$1\" = install ]; then printf '%s\\n' " + String.join(" ", all()) + " >> " + stubs.resolve("libraries")
                + "; echo /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf > " + stubs.resolve("fonts") + "; fi");
        for (String tool : List.of("cat", "rm")) {
            Files.createSymbolicLink(stubs.resolve(tool), Path.of("/bin", tool));
        }
        // a C compiler (the CUDA backend's tests build fake CUDA libraries); one test takes it away
        stub("cc", "exit 0");
        write("libraries", "");
        write("fonts", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf: DejaVu Sans:style=Book\n");
        write("uid", "1000\n");
        env.put("PATH", stubs.toString());
        env.put("TMPDIR", stubs.toString());
    }

    @Test
    void aMachineWithoutGtkStopsWithOneLineNamingThePackagesAndTheCommand() throws Exception {
        libraries(FONT_LIBRARIES);
        env.put("DISPLAY", ":0");

        Result result = run("window");

        assertThat(result.stderr()).isEqualTo("error: the workbench window needs the system packages libgtk-3-0 libxtst6; "
                + "install them with: sudo apt-get install -y libgtk-3-0 libxtst6\n");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(aptGetCalls()).as("a normal user without sudo installs nothing").isEmpty();
    }

    @Test
    void noInstallOnlyChecksEvenAsRoot() throws Exception {
        libraries(FONT_LIBRARIES);
        env.put("DISPLAY", ":0");
        write("uid", "0\n");
        env.put("SVDWB_NO_INSTALL", "1");

        Result result = run("window");

        assertThat(result.stderr()).isEqualTo("error: the workbench window needs the system packages libgtk-3-0 libxtst6; "
                + "install them with: apt-get install -y libgtk-3-0 libxtst6\n");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(aptGetCalls()).isEmpty();
    }

    @Test
    void rootGetsTheMissingPackagesInstalledWithAptGet() throws Exception {
        libraries(List.of("libgtk-3.so.0", "libfreetype.so.6", "libfontconfig.so.1"));
        write("fonts", "");
        env.put("DISPLAY", ":0");
        write("uid", "0\n");

        Result result = run("window");

        assertThat(aptGetCalls()).containsExactly("update -qq",
                "install -y -qq libxtst6 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    @Test
    void withoutADisplayItNamesXvfbAndTheMissingPackagesAndInstallsNothing() throws Exception {
        libraries(FONT_LIBRARIES);
        write("uid", "0\n");

        Result result = run("window");

        assertThat(result.stderr()).isEqualTo("error: no display (DISPLAY and WAYLAND_DISPLAY are unset) and the workbench window "
                + "needs libgtk-3-0 libxtst6; install and start it under a virtual display with: "
                + "apt-get install -y libgtk-3-0 libxtst6 xvfb xauth && xvfb-run -a ./run.sh\n");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(aptGetCalls()).isEmpty();
    }

    @Test
    void theTestsNeedACCompiler() throws Exception {
        libraries(FONT_LIBRARIES);
        Files.delete(stubs.resolve("cc"));
        env.put("SVDWB_NO_INSTALL", "1");

        Result result = run("tests");

        assertThat(result.stderr()).isEqualTo("error: the headless UI tests need the system packages gcc libc6-dev; "
                + "install them with: sudo apt-get install -y gcc libc6-dev\n");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void withEverythingButADisplayItSuggestsXvfbRun() throws Exception {
        libraries(all());
        stub("xvfb-run", "exit 0");

        Result result = run("window");

        assertThat(result.stderr()).isEqualTo("error: no display (DISPLAY and WAYLAND_DISPLAY are unset); "
                + "start it under a virtual display with: xvfb-run -a ./run.sh\n");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void aCompleteMachineWithADisplayPassesSilently() throws Exception {
        libraries(all());
        env.put("WAYLAND_DISPLAY", "wayland-0");

        Result result = run("window");

        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void theHeadlessTestsNeedFontsButNeitherGtkNorADisplay() throws Exception {
        libraries(FONT_LIBRARIES);
        assertThat(run("tests").exitCode()).isZero();

        write("fonts", "");
        libraries(List.of("libfreetype.so.6", "libfontconfig.so.1"));
        Result result = run("tests");

        assertThat(result.stderr()).isEqualTo("error: the headless UI tests need the system packages libpango-1.0-0 "
                + "libpangoft2-1.0-0 fonts-dejavu-core; install them with: sudo apt-get install -y libpango-1.0-0 "
                + "libpangoft2-1.0-0 fonts-dejavu-core\n");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void withoutAptGetItGivesTheDebianNamesAndLeavesThePackageManagerToTheUser() throws Exception {
        Files.delete(stubs.resolve("apt-get"));
        libraries(FONT_LIBRARIES);
        env.put("DISPLAY", ":0");

        Result result = run("window");

        assertThat(result.stderr()).isEqualTo("error: the workbench window needs the system packages libgtk-3-0 libxtst6 "
                + "(Debian/Ubuntu names); install them with your package manager, on Debian/Ubuntu: "
                + "sudo apt-get install -y libgtk-3-0 libxtst6\n");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    private static List<String> all() {
        return java.util.stream.Stream.concat(WINDOW_LIBRARIES.stream(), FONT_LIBRARIES.stream()).toList();
    }

    private void libraries(List<String> names) throws IOException {
        write("libraries", names.isEmpty() ? "" : String.join("\n", names) + "\n");
    }

    private List<String> aptGetCalls() throws IOException {
        Path calls = stubs.resolve("apt-get.calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private void stub(String name, String body) throws IOException {
        Path file = stubs.resolve(name);
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(stubs.resolve(name), content);
    }

    private Result run(String purpose) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", SCRIPT.toString(), purpose);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        return new Result(process.exitValue(), stderr);
    }

    private record Result(int exitCode, String stderr) {
    }
}
