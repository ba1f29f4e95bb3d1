package io.svdwb.engine.safetensors;

import io.svdwb.engine.files.AtomicFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file. Tensors are declared first (name, dtype, shape and a source of their data);
 * {@link #write()} computes the header from the declared shapes, then asks each source for its data only
 * when that tensor is written, so at most one tensor's data is in memory at a time. The file is written
 * under a temporary name in the target's folder and moved into place only once complete: a failure leaves
 * no partial file and an existing target untouched.
 *
 * <p>Always writes {@code "format":"pt"} in {@code __metadata__} (Hugging Face transformers refuses files
 * without it), pads the header with spaces to a multiple of 8 bytes, and stores data little-endian in
 * declaration order, back to back.
 */
public final class SafetensorsWriter {

    /** Supplies a tensor's values as float32, converted to the declared dtype when written. */
    @FunctionalInterface
    public interface FloatSource {
        float[] get() throws IOException;
    }

    /** Supplies a tensor's bytes already in the declared dtype, little-endian, copied bit for bit. */
    @FunctionalInterface
    public interface RawSource {
        byte[] get() throws IOException;
    }

    /**
     * Writes a tensor's bytes (already in the declared dtype, little-endian) to a sink, in as many pieces as it likes:
     * a tensor larger than the heap (a 0.97 GB Gram matrix) is written from native memory through one small buffer.
     */
    @FunctionalInterface
    public interface StreamedSource {
        void writeTo(ByteSink sink) throws IOException;
    }

    /** Takes the bytes between a buffer's position and limit. */
    @FunctionalInterface
    public interface ByteSink {
        void write(ByteBuffer bytes) throws IOException;
    }

    private record Planned(String name, DType dtype, long[] shape, long elements, Object source) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path target;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Planned> tensors = new LinkedHashMap<>();

    private SafetensorsWriter(Path target) {
        this.target = target.toAbsolutePath();
        metadata.put("format", "pt");
    }

    public static SafetensorsWriter to(Path target) {
        return new SafetensorsWriter(target);
    }

    public SafetensorsWriter metadata(String key, String value) {
        if (key.equals("format") && !value.equals("pt")) {
            throw new IllegalArgumentException("metadata 'format' must be 'pt': this writer stores PyTorch-layout tensors");
        }
        metadata.put(checkEncodable(key), checkEncodable(value));
        return this;
    }

    public SafetensorsWriter addFloats(String name, DType dtype, long[] shape, FloatSource data) {
        return add(name, floatType(dtype), shape, data);
    }

    public SafetensorsWriter addFloats(String name, DType dtype, long[] shape, float[] data) {
        return add(name, floatType(dtype), shape, (FloatSource) () -> data);
    }

    private static DType floatType(DType dtype) {
        if (dtype == DType.I8) {
            throw new IllegalArgumentException("I8 tensors hold integer codes: add their bytes with addRaw, not floats");
        }
        return dtype;
    }

    public SafetensorsWriter addRaw(String name, DType dtype, long[] shape, RawSource data) {
        return add(name, dtype, shape, data);
    }

    public SafetensorsWriter addStreamed(String name, DType dtype, long[] shape, StreamedSource data) {
        return add(name, dtype, shape, data);
    }

    private SafetensorsWriter add(String name, DType dtype, long[] shape, Object source) {
        if (name.equals(SafetensorsHeader.METADATA_KEY) || tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor name '" + name + "' is reserved or already added");
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: " + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        Math.multiplyExact(elements, dtype.byteSize());
        tensors.put(checkEncodable(name), new Planned(name, dtype, shape.clone(), elements, source));
        return this;
    }

    /** Writes the file and moves it into place; on failure deletes the partial file and rethrows. */
    public void write() throws IOException {
        Path temp = AtomicFile.temporarySibling(target);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] header = header();
                TensorEncoder.writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                TensorEncoder.writeFully(out, ByteBuffer.wrap(header));
                for (Planned t : tensors.values()) {
                    writeData(out, t);
                }
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private byte[] header() throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(SafetensorsHeader.METADATA_KEY, metadata);
        long offset = 0;
        for (Planned t : tensors.values()) {
            long end = Math.addExact(offset, t.elements() * t.dtype().byteSize());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", t.dtype().headerName());
            entry.put("shape", t.shape());
            entry.put("data_offsets", List.of(offset, end));
            json.put(t.name(), entry);
            offset = end;
        }
        byte[] compact = JSON.writeValueAsBytes(json);
        int padded = (compact.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(compact, padded);
        Arrays.fill(header, compact.length, padded, (byte) ' ');
        return header;
    }

    private void writeData(FileChannel out, Planned t) throws IOException {
        if (t.source() instanceof FloatSource floats) {
            float[] values = floats.get();
            if (values.length != t.elements()) {
                throw mismatch(t, values.length + " floats");
            }
            TensorEncoder.writeFloats(out, t.dtype(), values);
        } else if (t.source() instanceof StreamedSource streamed) {
            long expected = t.elements() * t.dtype().byteSize();
            long[] written = {0};
            streamed.writeTo(bytes -> {
                written[0] += bytes.remaining();
                if (written[0] > expected) {
                    throw mismatch(t, "more than " + expected + " bytes");
                }
                TensorEncoder.writeFully(out, bytes);
            });
            if (written[0] != expected) {
                throw mismatch(t, written[0] + " bytes");
            }
        } else {
            byte[] bytes = ((RawSource) t.source()).get();
            if (bytes.length != t.elements() * t.dtype().byteSize()) {
                throw mismatch(t, bytes.length + " bytes");
            }
            TensorEncoder.writeFully(out, ByteBuffer.wrap(bytes));
        }
    }

    private SafetensorsException mismatch(Planned t, String got) {
        return new SafetensorsException(target, "tensor '" + t.name() + "' was declared as " + t.dtype() + " "
                + Arrays.toString(t.shape()) + " (" + t.elements() + " elements) but its source gave " + got);
    }

    /** Names must survive UTF-8 encoding unchanged; a lone surrogate would be silently replaced. */
    private static String checkEncodable(String text) {
        try {
            StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            return text;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("'" + text + "' is not valid Unicode (unpaired surrogate) and cannot be written as UTF-8");
        }
    }
}
