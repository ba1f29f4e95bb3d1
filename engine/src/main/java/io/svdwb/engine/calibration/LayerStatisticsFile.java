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
 * doubles bit for bit. Per projection input ({@code attention_input}, ...): {@code <input>.gram_lower}
 * [n (n + 1) / 2], the Gram's lower triangle row by row (it is exactly symmetric, and half the bytes matter: a
 * LLaMA-7B's 32 layers take 22 GB instead of 44),
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
        SafetensorsWriter writer = SafetensorsWriter.to(file)
                .metadata(KEY, key.description())
                .metadata(LAYER, Integer.toString(stats.layer()));
        // the checksum goes into the header, before the data: so the data is streamed twice, once into the digest
        MessageDigest md = CalibrationCacheKey.digest();
        for (Map.Entry<ProjectionInput, InputStatistics> e : stats.inputs().entrySet()) {
            String p = prefix(e.getKey());
            InputStatistics s = e.getValue();
            int n = s.features();
            PackedGram gram = new PackedGram(s.gram());
            gram.writeTo(bytes -> md.update(bytes));
            byte[] sum = DoubleBytes.encode(s.absSum());
            byte[] max = DoubleBytes.encode(s.absMax());
            md.update(sum);
            md.update(max);
            writer.addStreamed(p + ".gram_lower", DType.F64, new long[] {PackedGram.length(n)}, gram::writeTo);
            writer.addRaw(p + ".abs_sum", DType.F64, new long[] {n}, () -> sum);
            writer.addRaw(p + ".abs_max", DType.F64, new long[] {n}, () -> max);
            writer.metadata(p + ".tokens", Long.toString(s.tokens()));
        }
        writer.metadata(CHECKSUM, CalibrationCacheKey.hex(md.digest()));
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
                require(file, f.contains(p + ".abs_sum"), "tensor '" + p + ".abs_sum' is missing");
                long n = f.info(p + ".abs_sum").dim(0);
                INDArray gram = gram(f, md, p + ".gram_lower", n);
                byte[] sumBytes;
                byte[] maxBytes;
                try {
                    sumBytes = raw(f, md, p + ".abs_sum");
                    maxBytes = raw(f, md, p + ".abs_max");
                    require(file, Arrays.equals(f.info(p + ".abs_max").shape(), new long[] {n}), "tensor shapes of " + p + " disagree");
                } catch (IOException | RuntimeException e) {
                    gram.close();
                    throw e;
                }
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

    /**
     * A packed lower triangle read into a dense row-major n x n array in native memory, 4 MB at a time, each chunk
     * digested on the way, and mirrored into the upper triangle: a LLaMA-7B MLP input's Gram is 0.97 GB, which byte[]
     * and double[] copies on the heap would triple.
     */
    private static INDArray gram(SafetensorsFile f, MessageDigest md, String name, long n) throws IOException {
        require(f.path(), f.contains(name), "tensor '" + name + "' is missing");
        TensorInfo info = f.info(name);
        require(f.path(), info.dtype() == DType.F64 && Arrays.equals(info.shape(), new long[] {PackedGram.length(n)}),
                "tensor '" + name + "' is not the F64 lower triangle of a " + n + " x " + n + " matrix");
        INDArray gram = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, n}, 'c');
        try {
            PackedGram.readInto(gram, (offset, chunk) -> {
                f.readRawInto(name, offset, chunk);
                md.update(chunk.duplicate().flip());
            }, READ_CHUNK_BYTES);
        } catch (IOException | RuntimeException e) {
            gram.close();
            throw e;
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
