package io.svdwb.engine.model;

import io.svdwb.engine.linalg.LinearAlgebra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link LowRankLinear} whose factors wait in a file instead of in memory, read back (and freed again) each time
 * they are used. A LLaMA-7B compressed at ratio 0.4 holds 15.6 GB of float32 factors, more than a 24 GB workstation
 * can keep beside the model it streams; a layer-major evaluation or export needs one layer's factors at a time.
 * The file is A [out, r] then B [r, in], float32 little-endian, row-major; the bias (out numbers) stays in memory.
 */
public final class SpilledLowRankLinear implements Linear {

    private final Path file;
    private final int out;
    private final int rank;
    private final int in;
    private final INDArray bias;
    private final LinearAlgebra linalg;

    private SpilledLowRankLinear(Path file, int out, int rank, int in, INDArray bias, LinearAlgebra linalg) {
        this.file = file;
        this.out = out;
        this.rank = rank;
        this.in = in;
        this.bias = bias;
        this.linalg = linalg;
    }

    /** Writes {@code factors}' A and B to {@code file} (which must not exist) and returns their spilled form. */
    public static SpilledLowRankLinear spill(LowRankLinear factors, Path file) throws IOException {
        INDArray a = factors.a().castTo(DataType.FLOAT);
        INDArray b = factors.b().castTo(DataType.FLOAT);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(channel, a.dup('c'));
            write(channel, b.dup('c'));
        }
        return new SpilledLowRankLinear(file, (int) a.rows(), (int) a.columns(), (int) b.columns(), factors.bias(),
                factors.linearAlgebra());
    }

    /** The float32 elements of a dense array as bytes, without a copy; a plain pointer's own capacity may be unset. */
    private static ByteBuffer bytesOf(INDArray rowMajor) {
        BytePointer bytes = new BytePointer(rowMajor.data().addressPointer());
        bytes.capacity(rowMajor.length() * Float.BYTES);
        return bytes.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void write(FileChannel channel, INDArray rowMajor) throws IOException {
        ByteBuffer bytes = bytesOf(rowMajor);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** The factors read back into memory; the caller closes them (or lets them go) when done. */
    public LowRankLinear load() {
        return new LowRankLinear(loadA(), loadB(), bias, linalg);
    }

    private static INDArray read(FileChannel channel, long position, int rows, int cols) throws IOException {
        INDArray m = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'c');
        ByteBuffer target = bytesOf(m);
        while (target.hasRemaining()) {
            if (channel.read(target, position + target.position()) < 0) {
                throw new IOException("spilled factor file ended early");
            }
        }
        return m;
    }

    /** A [out, r] read back into memory. */
    public INDArray loadA() {
        return readPart(0, out, rank);
    }

    /** B [r, in] read back into memory. */
    public INDArray loadB() {
        return readPart((long) out * rank * Float.BYTES, rank, in);
    }

    private INDArray readPart(long position, int rows, int cols) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel, position, rows, cols);
        } catch (IOException e) {
            throw new UncheckedIOException("reading spilled factors " + file, e);
        }
    }

    @Override
    public INDArray forward(INDArray x) {
        LowRankLinear factors = load();
        try {
            return factors.forward(x);
        } finally {
            factors.a().close();
            factors.b().close();
        }
    }

    public int rank() {
        return rank;
    }

    public INDArray bias() {
        return bias;
    }

    @Override
    public int inFeatures() {
        return in;
    }

    @Override
    public int outFeatures() {
        return out;
    }

    @Override
    public long storedWeightParameters() {
        return (long) rank * (out + in);
    }
}
