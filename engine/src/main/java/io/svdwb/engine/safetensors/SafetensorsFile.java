package io.svdwb.engine.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A memory-mapped safetensors file. Opening reads and fully validates the header (including that the data
 * section is exactly as long as the header says), so a malformed or truncated file fails here, not at the
 * first read. Tensor data is mapped only while a tensor is read, window by window, so files and tensors
 * larger than the heap or than 2 GiB can be used.
 */
public final class SafetensorsFile implements TensorStore {

    private static final Logger LOG = LoggerFactory.getLogger(SafetensorsFile.class);

    /** FileChannel.map maps at most 2 GiB at once; 1 GiB windows also keep address-space use modest. */
    static final long MAP_WINDOW_BYTES = 1L << 30;

    /** The largest array length every JVM allocates (some reserve a few header words). */
    static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final long mapWindowBytes;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header, long mapWindowBytes) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.mapWindowBytes = mapWindowBytes;
    }

    public static SafetensorsFile open(Path path) throws IOException {
        return open(path, MAP_WINDOW_BYTES);
    }

    /** Opens with a smaller mapping window, so tests can cross window boundaries without gigabyte tensors. */
    static SafetensorsFile open(Path path, long mapWindowBytes) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            SafetensorsHeader header = SafetensorsHeader.read(path, channel);
            for (String warning : header.warnings()) {
                LOG.warn("{}: {}", path, warning);
            }
            return new SafetensorsFile(path, channel, header, mapWindowBytes);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Problems that do not stop the file from being read (also logged at open). */
    public List<String> warnings() {
        return header.warnings();
    }

    /** Tensor names in the order their data is stored. */
    @Override
    public List<String> names() {
        return new ArrayList<>(header.tensors().keySet());
    }

    @Override
    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new IllegalArgumentException(path + ": no tensor named '" + name + "'");
        }
        return info;
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata();
    }

    @Override
    public float[] readFloats(String name) throws IOException {
        TensorInfo info = info(name);
        long count = info.elementCount();
        if (count > MAX_ARRAY_LENGTH) {
            throw new SafetensorsException(path, "tensor '" + name + "' has " + count + " elements, more than a Java"
                    + " array can hold (" + MAX_ARRAY_LENGTH + "); read it in parts with readFloats(name, firstElement, dst, dstOffset, count)");
        }
        float[] out = new float[(int) count];
        readFloats(name, 0, out, 0, out.length);
        return out;
    }

    @Override
    public void readFloats(String name, long firstElement, float[] dst, int dstOffset, int count) throws IOException {
        TensorInfo info = info(name);
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        long total = info.elementCount();
        if (firstElement < 0 || count < 0 || firstElement > total - count) {
            throw new IndexOutOfBoundsException(path + ": tensor '" + name + "' has " + total
                    + " elements; cannot read " + count + " from element " + firstElement);
        }
        int elementSize = info.dtype().byteSize();
        long position = info.dataStart() + firstElement * elementSize;
        int done = 0;
        while (done < count) {
            int n = (int) Math.min(count - done, mapWindowBytes / elementSize);
            ByteBuffer window = map(name, position, (long) n * elementSize);
            decode(info.dtype(), window, dst, dstOffset + done, n);
            position += (long) n * elementSize;
            done += n;
        }
    }

    /** The tensor's bytes exactly as stored (little-endian, in its own dtype), for bit-exact comparison or copying. */
    @Override
    public byte[] readRaw(String name) throws IOException {
        TensorInfo info = info(name);
        if (info.byteLength() > MAX_ARRAY_LENGTH) {
            throw new SafetensorsException(path, "tensor '" + name + "' has " + info.byteLength()
                    + " bytes, more than a Java array can hold (" + MAX_ARRAY_LENGTH + ")");
        }
        ByteBuffer out = ByteBuffer.allocate((int) info.byteLength());
        checkNotShrunk(name, info.dataEnd());
        while (out.hasRemaining()) {
            if (channel.read(out, info.dataStart() + out.position()) < 0) {
                throw new SafetensorsException(path, "file shrank while reading tensor '" + name + "'");
            }
        }
        return out.array();
    }

    private ByteBuffer map(String name, long position, long length) throws IOException {
        checkNotShrunk(name, position + length);
        MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, position, length);
        return map.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Reading a mapping past the end of a file truncated after open would fault, so check first. */
    private void checkNotShrunk(String name, long end) throws IOException {
        if (channel.size() < end) {
            throw new SafetensorsException(path, "file shrank to " + channel.size() + " bytes since it was opened;"
                    + " tensor '" + name + "' needs bytes up to " + end);
        }
    }

    private static void decode(DType dtype, ByteBuffer src, float[] dst, int offset, int count) {
        switch (dtype) {
            case F32 -> src.asFloatBuffer().get(dst, offset, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = HalfFloats.fromF16(src.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = HalfFloats.fromBF16(src.getShort());
                }
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = (float) src.getDouble();
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
