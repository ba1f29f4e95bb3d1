package io.svdwb.engine.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * A safetensors file. Opening reads and fully validates the header (including that the data section is exactly as
 * long as the header says), so a malformed or truncated file fails here, not at the first read. Tensor data is read
 * chunk by chunk with positional reads into reused direct buffers (one per reading core), so files and tensors larger than the heap
 * or than 2 GiB can be used. It is not memory-mapped: pages of a mapping count in the process's resident memory
 * until the mapping is garbage-collected, and streaming a 13.5 GB LLaMA-7B through mappings left them piling up
 * (docs/BENCHMARKS.md, "LLaMA-7B on a 24 GB workstation").
 */
public final class SafetensorsFile implements TensorStore {

    private static final Logger LOG = LoggerFactory.getLogger(SafetensorsFile.class);

    /**
     * Bytes one core reads per positional read and then decodes: large enough for full disk throughput, small enough
     * that the buffer (one per reading thread) stays in cache for the decode.
     */
    static final long READ_WINDOW_BYTES = 1L << 20;

    /** The largest array length every JVM allocates (some reserve a few header words). */
    static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final long readWindowBytes;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header, long readWindowBytes) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.readWindowBytes = readWindowBytes;
    }

    public static SafetensorsFile open(Path path) throws IOException {
        return open(path, READ_WINDOW_BYTES);
    }

    /** Opens with a smaller read window, so tests can cross window boundaries without gigabyte tensors. */
    static SafetensorsFile open(Path path, long readWindowBytes) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            SafetensorsHeader header = SafetensorsHeader.read(path, channel);
            for (String warning : header.warnings()) {
                LOG.warn("{}: {}", path, warning);
            }
            return new SafetensorsFile(path, channel, header, readWindowBytes);
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
        forEachChunk(name, info, firstElement, count, (window, done, n) -> decodeSlice(info.dtype(), window, 0, dst, dstOffset + done, n));
    }

    /** Receives a chunk of stored values: {@code n} elements, the first of them element {@code done} of the read. */
    @FunctionalInterface
    private interface ChunkSink {
        void accept(ByteBuffer chunk, int done, int n);
    }

    /**
     * Reads elements {@code [firstElement, firstElement + count)} in chunks that all cores read (a positional read into
     * the thread's own buffer) and hand to {@code sink} at once, so reading is not a serial step between parallel
     * decodes: a 7B layer loads in about 0.16 s instead of 0.26 s (docs/BENCHMARKS.md). A read of one chunk or less
     * stays on the calling thread.
     */
    private void forEachChunk(String name, TensorInfo info, long firstElement, long count, ChunkSink sink) throws IOException {
        int elementSize = info.dtype().byteSize();
        long start = info.dataStart() + firstElement * elementSize;
        checkNotShrunk(name, start + count * elementSize);
        int chunkElements = (int) Math.max(1, readWindowBytes / elementSize);
        int chunks = (int) ((count + chunkElements - 1) / chunkElements);
        try {
            java.util.stream.IntStream.range(0, chunks).parallel().forEach(chunk -> {
                int done = chunk * chunkElements;
                int n = (int) Math.min(chunkElements, count - done);
                sink.accept(readChunk(name, start + (long) done * elementSize, n * elementSize), done, n);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** One direct buffer per reading thread: a heap buffer would make the channel copy through a temporary one. */
    private static final ThreadLocal<ByteBuffer> CHUNK_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect((int) READ_WINDOW_BYTES).order(ByteOrder.LITTLE_ENDIAN));

    /** {@code bytes} bytes from {@code position} into the calling thread's chunk buffer. */
    private ByteBuffer readChunk(String name, long position, int bytes) {
        ByteBuffer buffer = CHUNK_BUFFER.get().clear().limit(bytes);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new SafetensorsException(path, "file shrank while reading tensor '" + name + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.flip();
    }

    /**
     * Decodes the whole tensor straight into {@code dst}, counting NaN/Inf as it goes: each slice is converted into a
     * small scratch array, checked while it is in cache and copied out, so a weight costs one pass instead of a
     * decode, a scan and a copy over a chunk that no longer fits in cache.
     */
    @Override
    public long readFloatsCountingNonFinite(String name, java.nio.FloatBuffer dst) throws IOException {
        TensorInfo info = info(name);
        long total = info.elementCount();
        if (total > dst.capacity()) {
            throw new IllegalArgumentException(name + " has " + total + " elements, the buffer holds " + dst.capacity());
        }
        java.util.concurrent.atomic.LongAdder nonFinite = new java.util.concurrent.atomic.LongAdder();
        forEachChunk(name, info, 0, total, (chunk, done, n) -> {
            float[] scratch = FLOAT_SCRATCH.get();
            for (int from = 0; from < n; from += DECODE_SLICE) {
                int count = Math.min(DECODE_SLICE, n - from);
                decodeSlice(info.dtype(), chunk, from, scratch, 0, count);
                nonFinite.add(HalfFloats.countNonFinite(scratch, 0, count));
                dst.put(done + from, scratch, 0, count);
            }
        });
        return nonFinite.sum();
    }

    private static final ThreadLocal<float[]> FLOAT_SCRATCH = ThreadLocal.withInitial(() -> new float[SafetensorsFile.DECODE_SLICE]);

    /** Elements {@code [from, from + count)} of a window of stored values, as float32, into {@code out[offset...]}. */
    private static void decodeSlice(DType dtype, ByteBuffer src, int from, float[] out, int offset, int count) {
        switch (dtype) {
            case F32 -> src.asFloatBuffer().get(from, out, offset, count);
            case F16, BF16 -> decodeHalfSlice(src.asShortBuffer(), from, out, offset, count, dtype == DType.BF16);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) src.getDouble(8 * (from + i));
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = src.get(from + i);
                }
            }
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

    /**
     * Reads the tensor's stored bytes from byte {@code from} of its data into {@code target}, filling its remaining
     * space: for copying a tensor larger than a Java array straight into native memory, in chunks.
     */
    public void readRawInto(String name, long from, ByteBuffer target) throws IOException {
        TensorInfo info = info(name);
        long end = from + target.remaining();
        if (from < 0 || end > info.byteLength()) {
            throw new IndexOutOfBoundsException(path + ": tensor '" + name + "' has " + info.byteLength()
                    + " bytes; cannot read bytes " + from + ".." + end);
        }
        checkNotShrunk(name, info.dataStart() + end);
        long position = info.dataStart() + from;
        while (target.hasRemaining()) {
            int before = target.position();
            if (channel.read(target, position) < 0) {
                throw new SafetensorsException(path, "file shrank while reading tensor '" + name + "'");
            }
            position += target.position() - before;
        }
    }

    /** A file truncated after open would otherwise give a short read deep inside a tensor, so say it up front. */
    private void checkNotShrunk(String name, long end) throws IOException {
        if (channel.size() < end) {
            throw new SafetensorsException(path, "file shrank to " + channel.size() + " bytes since it was opened;"
                    + " tensor '" + name + "' needs bytes up to " + end);
        }
    }

    private static final int DECODE_SLICE = 1 << 14;

    private static final ThreadLocal<short[]> DECODE_SCRATCH = ThreadLocal.withInitial(() -> new short[DECODE_SLICE]);

    private static void decodeHalfSlice(java.nio.ShortBuffer bits, int from, float[] dst, int offset, int count, boolean bf16) {
        short[] scratch = DECODE_SCRATCH.get();
        for (int done = 0; done < count; done += scratch.length) {
            int n = Math.min(scratch.length, count - done);
            bits.get(from + done, scratch, 0, n);
            int at = offset + done;
            if (bf16) {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = Float.intBitsToFloat((scratch[i] & 0xFFFF) << 16);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = Float.float16ToFloat(scratch[i]);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
