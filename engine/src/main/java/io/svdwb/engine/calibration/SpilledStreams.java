package io.svdwb.engine.calibration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The calibration windows' residual streams kept on disk instead of in memory, one batch in memory at a time: the
 * streams of SVD-LLM's 256 windows of 2048 tokens take 8.6 GB at LLaMA-7B's width, more than a small budget holds.
 * A layer-major pass reads batch b ({@link #get}), runs the layer on it and writes it back ({@link #set}); writes go to
 * the other of two generations, so the streams entering the layer stay intact until {@link #commit} marks the new ones
 * as those after the layer. The marker, written under a temporary name and moved into place, is also the resume point
 * of a stopped run, as {@link ResidualCheckpoint} is for streams held in memory. Raw little-endian float32: reading
 * back gives exactly the floats written, so results equal those of the in-memory path bit for bit.
 */
final class SpilledStreams extends AbstractList<float[]> {

    static final String FOLDER = "residual-streams-spilled";
    private static final String MARKER = "after-layer";
    private static final int CHUNK_BYTES = 4 << 20;

    private final Path root;
    private final CalibrationCacheKey key;
    private final int[] floatsPerBatch;
    /** Bytes move between the files and the float arrays through this one chunk, not through a copy of a whole batch. */
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    /** The generation (0 or 1) that {@link #get} reads; {@link #set} writes the other. */
    private int current;

    private SpilledStreams(Path root, CalibrationCacheKey key, int[] floatsPerBatch, int current) {
        this.root = root;
        this.key = key;
        this.floatsPerBatch = floatsPerBatch.clone();
        this.current = current;
    }

    /** An empty store in {@code cacheFolder} for batches of {@code sizes} windows of {@code seqLen} x {@code width}. */
    static SpilledStreams create(Path cacheFolder, CalibrationCacheKey key, int[] sizes, int seqLen, int width) throws IOException {
        Path root = cacheFolder.resolve(FOLDER);
        delete(cacheFolder);
        Files.createDirectories(root.resolve("0"));
        Files.createDirectories(root.resolve("1"));
        return new SpilledStreams(root, key, floats(sizes, seqLen, width), 0);
    }

    /**
     * The stored streams after {@code layer}, or null when the folder holds none for this key, layer and batching (or
     * an unreadable marker, or a batch file of the wrong size: then calibration simply starts over).
     */
    static SpilledStreams resume(Path cacheFolder, CalibrationCacheKey key, int layer, int[] sizes, int seqLen, int width) {
        Path root = cacheFolder.resolve(FOLDER);
        try {
            String[] marker = Files.readString(root.resolve(MARKER), StandardCharsets.UTF_8).split("\n", 3);
            if (marker.length != 3 || !marker[0].equals(Integer.toString(layer)) || !marker[2].equals(key.description())) {
                return null;
            }
            int generation = Integer.parseInt(marker[1]);
            int[] floats = floats(sizes, seqLen, width);
            for (int b = 0; b < floats.length; b++) {
                if (Files.size(batchFile(root, generation, b)) != 4L * floats[b]) {
                    return null;
                }
            }
            return new SpilledStreams(root, key, floats, generation);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Bytes on disk while a pass runs: two generations of every batch. */
    static long diskBytes(long windows, int seqLen, int width) {
        return 2 * 4L * windows * seqLen * width;
    }

    static void delete(Path cacheFolder) throws IOException {
        Path root = cacheFolder.resolve(FOLDER);
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Reads batch {@code b} of the current generation into a new array. */
    @Override
    public float[] get(int b) {
        float[] stream = new float[floatsPerBatch[b]];
        Path file = batchFile(root, current, b);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int done = 0; done < stream.length; ) {
                chunk.clear().limit((int) Math.min(CHUNK_BYTES, 4L * (stream.length - done)));
                while (chunk.hasRemaining()) {
                    if (channel.read(chunk) < 0) {
                        throw new IOException("the file ends after " + (4L * done + chunk.position()) + " bytes");
                    }
                }
                int n = chunk.flip().remaining() / 4;
                chunk.asFloatBuffer().get(stream, done, n);
                done += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spilled residual stream " + file, e);
        }
        return stream;
    }

    /** Writes batch {@code b} of the next generation; returns null (the previous stream is not read back). */
    @Override
    public float[] set(int b, float[] stream) {
        if (stream.length != floatsPerBatch[b]) {
            throw new IllegalArgumentException("batch " + b + " has " + floatsPerBatch[b] + " floats, got " + stream.length);
        }
        write(1 - current, b, stream);
        return null;
    }

    /** Writes the embedding of batch {@code b} as the current generation, before the first layer runs. */
    void setInitial(int b, float[] stream) {
        write(current, b, stream);
    }

    /** The streams written since the last commit become those after {@code layer}: the next pass reads them. */
    void commit(int layer) throws IOException {
        current = 1 - current;
        Path temp = root.resolve(MARKER + ".tmp");
        Files.writeString(temp, layer + "\n" + current + "\n" + key.description(), StandardCharsets.UTF_8);
        Files.move(temp, root.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public int size() {
        return floatsPerBatch.length;
    }

    private void write(int generation, int b, float[] stream) {
        Path file = batchFile(root, generation, b);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int done = 0; done < stream.length; ) {
                int n = Math.min(CHUNK_BYTES / 4, stream.length - done);
                chunk.clear();
                chunk.asFloatBuffer().put(stream, done, n);
                chunk.limit(4 * n);
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                done += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write spilled residual stream " + file, e);
        }
    }

    private static Path batchFile(Path root, int generation, int b) {
        return root.resolve(Integer.toString(generation)).resolve("batch-" + b + ".f32");
    }

    private static int[] floats(int[] sizes, int seqLen, int width) {
        int[] floats = new int[sizes.length];
        for (int b = 0; b < sizes.length; b++) {
            long n = (long) sizes[b] * seqLen * width;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a batch of " + sizes[b] + " windows of " + seqLen + " x " + width
                        + " does not fit one Java array; use fewer windows per forward pass");
            }
            floats[b] = (int) n;
        }
        return floats;
    }
}
