package io.svdwb.engine.calibration;

import io.svdwb.engine.model.ProjectionInput;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.DoubleBytes;
import io.svdwb.engine.safetensors.SafetensorsFile;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import io.svdwb.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One layer's statistics as a safetensors file. Everything is F64, so a cache hit gives back the computed
 * doubles bit for bit. Per projection input ({@code attention_input}, ...): {@code <input>.gram} [n, n],
 * {@code <input>.abs_sum} [n], {@code <input>.abs_max} [n]; metadata: the token count per input, the layer
 * index, the full cache key and a SHA-256 of all tensor bytes. The header checks of {@link SafetensorsFile}
 * catch truncation and malformed files; the checksum catches damaged data, which the format itself cannot.
 */
final class LayerStatisticsFile {

    static final String KEY = "svdwb.calibration.key";
    static final String LAYER = "svdwb.calibration.layer";
    static final String CHECKSUM = "svdwb.calibration.sha256";

    private LayerStatisticsFile() {
    }

    static String fileName(int layer) {
        return String.format("layer-%04d.safetensors", layer);
    }

    static void write(Path file, LayerStatistics stats, CalibrationCacheKey key) throws IOException {
        Map<String, byte[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        SafetensorsWriter writer = SafetensorsWriter.to(file)
                .metadata(KEY, key.description())
                .metadata(LAYER, Integer.toString(stats.layer()));
        for (Map.Entry<ProjectionInput, InputStatistics> e : stats.inputs().entrySet()) {
            String p = prefix(e.getKey());
            InputStatistics s = e.getValue();
            int n = s.features();
            boolean dense = s.gram().ordering() == 'c' && !s.gram().isView() && s.gram().offset() == 0;
            INDArray rowMajor = dense ? s.gram() : s.gram().dup('c');
            put(tensors, shapes, p + ".gram", rowMajor.data().asDouble(), n, n);
            if (rowMajor != s.gram()) {
                rowMajor.close(); // up to 0.97 GB off-heap at 7B widths: freed now, not at some collection
            }
            put(tensors, shapes, p + ".abs_sum", s.absSum(), n);
            put(tensors, shapes, p + ".abs_max", s.absMax(), n);
            writer.metadata(p + ".tokens", Long.toString(s.tokens()));
        }
        MessageDigest md = CalibrationCacheKey.digest();
        tensors.values().forEach(md::update);
        writer.metadata(CHECKSUM, CalibrationCacheKey.hex(md.digest()));
        for (Map.Entry<String, byte[]> t : tensors.entrySet()) {
            byte[] bytes = t.getValue();
            writer.addRaw(t.getKey(), DType.F64, shapes.get(t.getKey()), () -> bytes);
        }
        writer.write();
    }

    /**
     * Reads and verifies one layer's file.
     *
     * @throws IOException (a SafetensorsException among others) if the file is missing, malformed, for another
     *         key or layer, or its data does not match its checksum
     */
    static LayerStatistics read(Path file, int layer, CalibrationCacheKey key) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, String> meta = f.metadata();
            require(file, key.description().equals(meta.get(KEY)), "it was written for another calibration key");
            require(file, Integer.toString(layer).equals(meta.get(LAYER)), "it does not hold layer " + layer);
            MessageDigest md = CalibrationCacheKey.digest();
            Map<ProjectionInput, InputStatistics> inputs = new EnumMap<>(ProjectionInput.class);
            for (ProjectionInput input : ProjectionInput.values()) {
                String p = prefix(input);
                INDArray gram = gram(f, md, p + ".gram");
                byte[] sumBytes = raw(f, md, p + ".abs_sum");
                byte[] maxBytes = raw(f, md, p + ".abs_max");
                long n = f.info(p + ".abs_sum").dim(0);
                require(file, Arrays.equals(f.info(p + ".gram").shape(), new long[] {n, n})
                        && Arrays.equals(f.info(p + ".abs_max").shape(), new long[] {n}), "tensor shapes of " + p + " disagree");
                String tokens = meta.get(p + ".tokens");
                require(file, tokens != null && tokens.matches("[0-9]+"), "it has no token count for " + p);
                inputs.put(input, new InputStatistics(gram, Long.parseLong(tokens), DoubleBytes.decode(sumBytes), DoubleBytes.decode(maxBytes)));
            }
            require(file, CalibrationCacheKey.hex(md.digest()).equals(meta.get(CHECKSUM)), "its data does not match its checksum");
            return new LayerStatistics(layer, inputs);
        } catch (RuntimeException e) {
            // A damaged header can surface as an unchecked exception from a reader: it is still just a bad cache file.
            throw new IOException(file + ": unreadable calibration cache file: " + e.getMessage(), e);
        }
    }

    private static String prefix(ProjectionInput input) {
        return input.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void put(Map<String, byte[]> tensors, Map<String, long[]> shapes, String name, double[] values, long... shape) {
        tensors.put(name, DoubleBytes.encode(values));
        shapes.put(name, shape);
    }

    /**
     * A Gram read straight into native memory in 4 MB chunks, each digested on the way: a LLaMA-7B MLP input's is
     * 0.97 GB, which the former byte[] and double[] copies on the heap tripled.
     */
    private static INDArray gram(SafetensorsFile f, MessageDigest md, String name) throws IOException {
        require(f.path(), f.contains(name), "tensor '" + name + "' is missing");
        TensorInfo info = f.info(name);
        require(f.path(), info.dtype() == DType.F64 && info.shape().length == 2 && info.shape()[0] == info.shape()[1],
                "tensor '" + name + "' is not a square F64 matrix");
        INDArray gram = Nd4j.createUninitialized(DataType.DOUBLE, info.shape(), 'c');
        long total = info.byteLength();
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocateDirect((int) Math.min(total, READ_CHUNK_BYTES))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[chunk.capacity() / Double.BYTES];
        org.bytedeco.javacpp.DoublePointer target = (org.bytedeco.javacpp.DoublePointer) gram.data().addressPointer();
        try {
            for (long done = 0; done < total; ) {
                int count = (int) Math.min(chunk.capacity(), total - done);
                chunk.clear().limit(count);
                f.readRawInto(name, done, chunk);
                chunk.flip();
                md.update(chunk.duplicate());
                chunk.asDoubleBuffer().get(values, 0, count / Double.BYTES);
                target.position(done / Double.BYTES).put(values, 0, count / Double.BYTES);
                done += count;
            }
        } catch (IOException | RuntimeException e) {
            gram.close();
            throw e;
        } finally {
            target.position(0);
        }
        return gram;
    }

    private static final long READ_CHUNK_BYTES = 4L << 20;

    private static byte[] raw(SafetensorsFile f, MessageDigest md, String name) throws IOException {
        require(f.path(), f.contains(name), "tensor '" + name + "' is missing");
        TensorInfo info = f.info(name);
        require(f.path(), info.dtype() == DType.F64, "tensor '" + name + "' is " + info.dtype() + ", not F64");
        byte[] bytes = f.readRaw(name);
        md.update(bytes);
        return bytes;
    }

    private static void require(Path file, boolean ok, String problem) throws IOException {
        if (!ok) {
            throw new IOException(file + ": not a valid calibration cache file: " + problem);
        }
    }
}
