package io.svdwb.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's file layout, its atomic replace, and that every file it writes is one our reader accepts. */
class SafetensorsWriterTest {

    @TempDir
    Path dir;

    @Test
    void headerIsSpacePaddedToEightBytesAndCarriesFormatPt() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafetensorsWriter.to(file).metadata("note", "x").addFloats("a", DType.F32, new long[] {1}, new float[] {2f}).write();
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).isZero();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{\"__metadata__\":{\"format\":\"pt\",\"note\":\"x\"},\"a\":{\"dtype\":\"F32\","
                + "\"shape\":[1],\"data_offsets\":[0,4]}}").matches("(?s)\\{.*\\} *");
        assertThat(bytes.length).isEqualTo(8 + headerLength + 4);
    }

    @Test
    void failingSourceLeavesExistingTargetUntouchedAndNoTempFile() throws IOException {
        Path target = Files.writeString(dir.resolve("model.safetensors"), "previous contents");
        SafetensorsWriter writer = SafetensorsWriter.to(target)
                .addFloats("first", DType.F32, new long[] {4}, new float[4])
                .addFloats("second", DType.F32, new long[] {4}, () -> {
                    throw new UncheckedIOException(new IOException("disk on fire"));
                });
        assertThatThrownBy(writer::write).isInstanceOf(UncheckedIOException.class).hasMessageContaining("disk on fire");
        assertThat(Files.readString(target)).isEqualTo("previous contents");
        assertThat(listDir()).containsExactly("model.safetensors");
    }

    @Test
    void sourceGivingTheWrongLengthIsRejectedAndNothingIsWritten() throws IOException {
        Path target = dir.resolve("model.safetensors");
        SafetensorsWriter writer = SafetensorsWriter.to(target).addFloats("a", DType.F16, new long[] {2}, new float[3]);
        assertThatThrownBy(writer::write).isInstanceOf(SafetensorsException.class).hasMessage(target.toAbsolutePath()
                + ": tensor 'a' was declared as F16 [2] (2 elements) but its source gave 3 floats");
        assertThat(listDir()).isEmpty();
    }

    @Test
    void declarationMistakesAreRefusedEarly() {
        SafetensorsWriter writer = SafetensorsWriter.to(dir.resolve("m.safetensors"))
                .addFloats("a", DType.F32, new long[] {1}, new float[1]);
        assertThatThrownBy(() -> writer.addFloats("a", DType.F32, new long[] {1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' is reserved or already added");
        assertThatThrownBy(() -> writer.addFloats("b", DType.F32, new long[] {-1}, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative dimension");
        assertThatThrownBy(() -> writer.metadata("format", "np"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'format' must be 'pt'");
        assertThatThrownBy(() -> writer.addFloats("\uD800", DType.F32, new long[] {1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
    }

    /** A seeded random sweep over dtypes, ranks, empty and scalar tensors, names and metadata. */
    @Test
    void everyFileTheWriterProducesIsAcceptedByTheReader() throws IOException {
        Random random = new Random(20240601);
        DType[] dtypes = DType.values();
        String[] nameParts = {"a", "layers.0", "層", "e\u0301", "/", "..", " ", "\"", "\\", "\u0000", "🙂"};
        for (int round = 0; round < 150; round++) {
            Path file = dir.resolve("r" + round + ".safetensors");
            SafetensorsWriter writer = SafetensorsWriter.to(file);
            Map<String, byte[]> expected = new LinkedHashMap<>();
            int count = random.nextInt(5);
            for (int t = 0; t < count; t++) {
                String name = t + nameParts[random.nextInt(nameParts.length)];
                DType dtype = dtypes[random.nextInt(dtypes.length)];
                long[] shape = new long[random.nextInt(4)];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = random.nextInt(4);
                }
                byte[] raw = new byte[(int) (Arrays.stream(shape).reduce(1, Math::multiplyExact) * dtype.byteSize())];
                random.nextBytes(raw);
                writer.addRaw(name, dtype, shape, () -> raw);
                expected.put(name, raw);
            }
            writer.metadata("round", Integer.toString(round));
            writer.write();

            byte[] bytes = Files.readAllBytes(file);
            assertThat(ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() % 8).as("round %d", round).isZero();
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                assertThat(f.metadata()).containsEntry("format", "pt").containsEntry("round", Integer.toString(round));
                assertThat(f.warnings()).isEmpty();
                assertThat(f.names()).containsExactlyInAnyOrderElementsOf(expected.keySet());
                for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                    assertThat(f.readRaw(e.getKey())).as("round %d tensor %s", round, e.getKey()).isEqualTo(e.getValue());
                }
            }
        }
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
