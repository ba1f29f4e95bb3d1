package io.svdwb.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors fixtures byte by byte (no binary files in the repository) and checks rejections. */
final class Fixtures {

    private Fixtures() {
    }

    static byte[] lengthPrefix(long headerLength) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array();
    }

    /** 8-byte little-endian length, the header bytes as given (no padding added), then the data. */
    static byte[] file(byte[] header, byte[] data) {
        return concat(lengthPrefix(header.length), header, data);
    }

    static byte[] file(String headerJson, byte[] data) {
        return file(headerJson.getBytes(StandardCharsets.UTF_8), data);
    }

    static byte[] file(String headerJson, int dataBytes) {
        return file(headerJson, new byte[dataBytes]);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }

    static byte[] floatsLE(float... values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            out.putFloat(v);
        }
        return out.array();
    }

    static Path write(Path dir, byte[] bytes) throws IOException {
        return Files.write(dir.resolve("model.safetensors"), bytes);
    }

    /** Opens the bytes as a file and returns the rejection's message, checking it starts with the file path. */
    static String rejection(Path dir, byte[] bytes) throws IOException {
        Path file = write(dir, bytes);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(file).close());
        assertThat(e.getMessage()).startsWith(file + ": ");
        return e.getMessage().substring(file.toString().length() + 2);
    }

    /** Opens a file that must be accepted. */
    static SafetensorsFile accepted(Path dir, byte[] bytes) throws IOException {
        return SafetensorsFile.open(write(dir, bytes));
    }
}
