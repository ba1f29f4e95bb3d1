package io.svdwb.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensor names are opaque strings (rule 16): any Unicode survives byte for byte, and none is used as a path. */
class SafetensorsNamesTest {

    private static final List<String> AWKWARD_NAMES = List.of(
            "層.0.weight",
            "e\u0301.combining", // 'e' + COMBINING ACUTE, must not be normalised to U+00E9
            "\u00e9.precomposed",
            "nul\u0000inside",
            "x".repeat(64 * 1024),
            "../../etc/passwd",
            "a/b\\c",
            "/absolute",
            "",
            "emoji 🙂 \"quoted\"");

    @TempDir
    Path dir;

    @Test
    void awkwardNamesRoundTripByteExactlyAndCreateNoFiles() throws IOException {
        Path file = dir.resolve("names.safetensors");
        SafetensorsWriter writer = SafetensorsWriter.to(file);
        for (int i = 0; i < AWKWARD_NAMES.size(); i++) {
            writer.addFloats(AWKWARD_NAMES.get(i), DType.F32, new long[] {1}, new float[] {i});
        }
        writer.write();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).containsExactlyElementsOf(AWKWARD_NAMES);
            for (int i = 0; i < AWKWARD_NAMES.size(); i++) {
                String name = AWKWARD_NAMES.get(i);
                String back = f.names().get(i);
                assertThat(back.getBytes(StandardCharsets.UTF_8)).isEqualTo(name.getBytes(StandardCharsets.UTF_8));
                assertThat(f.readFloats(name)).containsExactly(i);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> !p.equals(dir)).map(p -> p.getFileName().toString())).containsExactly("names.safetensors");
        }
    }

    @Test
    void literalUtf8NamesWrittenByHandAreReadExactly() throws IOException {
        String header = "{\"層.0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"e\u0301\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        try (SafetensorsFile f = Fixtures.accepted(dir, Fixtures.file(header, Fixtures.floatsLE(1f, 2f)))) {
            assertThat(f.names()).containsExactly("層.0.weight", "e\u0301");
            assertThat(f.readFloats("e\u0301")).containsExactly(2f);
            assertThat(f.contains("\u00e9")).isFalse();
        }
    }
}
