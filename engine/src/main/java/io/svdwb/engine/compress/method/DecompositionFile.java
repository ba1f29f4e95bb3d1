package io.svdwb.engine.compress.method;

import io.svdwb.engine.calibration.CalibrationCacheKey;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.DoubleBytes;
import io.svdwb.engine.safetensors.SafetensorsFile;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import io.svdwb.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One full-rank {@link LowRankDecomposition} as a safetensors file: {@code left} [m, r], {@code sigma} [r],
 * {@code right} [r, n], all F64, so reading gives back the computed doubles bit for bit. Metadata: the full
 * cache key (the file is refused for any other), label, kind, the memory order of left and right (restored on
 * reading, so later BLAS calls see the same layout as after computing), and a SHA-256 of all tensor bytes,
 * which catches damaged data that the safetensors header checks cannot see.
 */
public final class DecompositionFile {

    static final String KEY = "svdwb.decomposition.key";
    static final String LABEL = "svdwb.decomposition.label";
    static final String KIND = "svdwb.decomposition.kind";
    static final String LEFT_ORDER = "svdwb.decomposition.left_order";
    static final String RIGHT_ORDER = "svdwb.decomposition.right_order";
    static final String CHECKSUM = "svdwb.decomposition.sha256";

    private DecompositionFile() {
    }

    /**
     * Writes atomically (through a temporary file): a failure leaves no partial file and an existing one untouched.
     * The checksum goes into the header, before the data, so it is computed in a first pass; the bytes of each
     * tensor are then made only when the writer asks for them, so at most one tensor's bytes (a few hundred MB
     * for a LLaMA-7B MLP matrix) are held besides the decomposition itself.
     */
    public static void write(Path file, LowRankDecomposition d, String key) throws IOException {
        MessageDigest md = CalibrationCacheKey.digest();
        md.update(DoubleBytes.encode(d.left().dup('c').data().asDouble()));
        md.update(DoubleBytes.encode(d.singularValues()));
        md.update(DoubleBytes.encode(d.right().dup('c').data().asDouble()));
        long r = d.fullRank();
        SafetensorsWriter.to(file)
                .metadata(KEY, key)
                .metadata(LABEL, d.label())
                .metadata(KIND, d.kind().name())
                .metadata(LEFT_ORDER, Character.toString(d.left().ordering()))
                .metadata(RIGHT_ORDER, Character.toString(d.right().ordering()))
                .metadata(CHECKSUM, CalibrationCacheKey.hex(md.digest()))
                .addRaw("left", DType.F64, new long[] {d.rows(), r}, () -> DoubleBytes.encode(d.left().dup('c').data().asDouble()))
                .addRaw("sigma", DType.F64, new long[] {r}, () -> DoubleBytes.encode(d.singularValues()))
                .addRaw("right", DType.F64, new long[] {r, d.cols()}, () -> DoubleBytes.encode(d.right().dup('c').data().asDouble()))
                .write();
    }

    /**
     * Reads and verifies one file.
     *
     * @throws IOException naming the file if it is missing, malformed, written for another key, of inconsistent
     *         shapes or dtypes, or its data does not match its checksum
     */
    public static LowRankDecomposition read(Path file, String key) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, String> meta = f.metadata();
            require(file, key.equals(meta.get(KEY)), "it was written for another key");
            TensorInfo left = tensor(f, "left", 2);
            TensorInfo sigma = tensor(f, "sigma", 1);
            TensorInfo right = tensor(f, "right", 2);
            long m = left.dim(0);
            long r = sigma.dim(0);
            long n = right.dim(1);
            require(file, left.dim(1) == r && right.dim(0) == r && r == Math.min(m, n),
                    "shapes " + left.shapeString() + ", " + sigma.shapeString() + ", " + right.shapeString()
                            + " are not m x r, r, r x n with r = min(m, n)");
            LowRankDecomposition.Kind kind = kind(file, meta.get(KIND));
            String label = meta.get(LABEL);
            require(file, label != null && !label.isEmpty(), "it has no label");
            char leftOrder = order(file, meta.get(LEFT_ORDER));
            char rightOrder = order(file, meta.get(RIGHT_ORDER));
            MessageDigest md = CalibrationCacheKey.digest();
            INDArray l = matrix(f, md, "left", m, r, leftOrder);
            double[] s = doubles(f, md, "sigma");
            INDArray rt = matrix(f, md, "right", r, n, rightOrder);
            require(file, CalibrationCacheKey.hex(md.digest()).equals(meta.get(CHECKSUM)), "its data does not match its checksum");
            return new LowRankDecomposition(label, kind, l, s, rt);
        } catch (RuntimeException e) {
            // A damaged header can surface as an unchecked exception from a reader: it is still just a bad cache file.
            throw new IOException(file + ": unreadable decomposition cache file: " + e.getMessage(), e);
        }
    }

    private static TensorInfo tensor(SafetensorsFile f, String name, int rank) throws IOException {
        require(f.path(), f.contains(name), "tensor '" + name + "' is missing");
        TensorInfo info = f.info(name);
        require(f.path(), info.dtype() == DType.F64, "tensor '" + name + "' is " + info.dtype() + ", not F64");
        require(f.path(), info.rank() == rank, "tensor '" + name + "' has shape " + info.shapeString() + ", not rank " + rank);
        return info;
    }

    private static LowRankDecomposition.Kind kind(Path file, String name) throws IOException {
        for (LowRankDecomposition.Kind k : LowRankDecomposition.Kind.values()) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        throw invalid(file, "unknown decomposition kind '" + name + "'");
    }

    private static char order(Path file, String value) throws IOException {
        require(file, "c".equals(value) || "f".equals(value), "memory order '" + value + "' is neither c nor f");
        return value.charAt(0);
    }

    /** Reads one tensor into the digest and as doubles, dropping its bytes before the next tensor is read. */
    private static double[] doubles(SafetensorsFile f, MessageDigest md, String name) throws IOException {
        byte[] raw = f.readRaw(name);
        md.update(raw);
        return DoubleBytes.decode(raw);
    }

    private static INDArray matrix(SafetensorsFile f, MessageDigest md, String name, long rows, long cols, char order)
            throws IOException {
        INDArray c = Nd4j.create(doubles(f, md, name), new long[] {rows, cols}, DataType.DOUBLE);
        return order == 'c' ? c : c.dup(order);
    }


    private static void require(Path file, boolean ok, String problem) throws IOException {
        if (!ok) {
            throw invalid(file, problem);
        }
    }

    private static IOException invalid(Path file, String problem) {
        return new IOException(file + ": not a valid decomposition cache file: " + problem);
    }
}
