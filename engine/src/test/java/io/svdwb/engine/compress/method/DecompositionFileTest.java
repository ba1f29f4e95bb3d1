package io.svdwb.engine.compress.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.PlainSvd;
import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A decomposition file gives back exactly what was written, and refuses anything else with a message naming it. */
class DecompositionFileTest {

    static final String KEY = "format=test\nrecipe=plain\ntensor=model.layers.0.self_attn.q_proj.weight\n";

    @TempDir
    Path dir;

    @Test
    void aComputedDecompositionRoundTripsBitForBit() throws Exception {
        Nd4j.getRandom().setSeed(7);
        LowRankDecomposition d = PlainSvd.decompose(LinearAlgebra.cpu(), Nd4j.rand(DataType.FLOAT, 12, 7), "L0.q");
        Path file = dir.resolve("d.safetensors");
        DecompositionFile.write(file, d, KEY);
        assertBitIdentical(DecompositionFile.read(file, KEY), d);
    }

    @Test
    void columnMajorFactorsComeBackColumnMajor() throws Exception {
        // the order decides how later BLAS calls walk the factors, so it is restored, not only the values
        Nd4j.getRandom().setSeed(8);
        INDArray left = Nd4j.rand(DataType.DOUBLE, 5, 3).dup('f');
        INDArray right = Nd4j.rand(DataType.DOUBLE, 3, 3).dup('c');
        LowRankDecomposition d = new LowRankDecomposition("L1.k", LowRankDecomposition.Kind.COLUMN_SCALED, left,
                new double[] {3.5, 2.25, Math.ulp(1.0)}, right);
        Path file = dir.resolve("f.safetensors");
        DecompositionFile.write(file, d, KEY);
        LowRankDecomposition back = DecompositionFile.read(file, KEY);
        assertThat(back.left().ordering()).isEqualTo('f');
        assertThat(back.right().ordering()).isEqualTo('c');
        assertBitIdentical(back, d);
    }

    @Test
    void aFileForAnotherKeyIsRefused() throws Exception {
        Path file = written();
        assertThatThrownBy(() -> DecompositionFile.read(file, KEY + "data.sha256=other\n"))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("another key");
    }

    @Test
    void damagedDataFailsTheChecksum() throws Exception {
        Path file = written();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long position = raf.length() - 3; // inside the right factor's last double: only the checksum sees it
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x01);
        }
        assertThatThrownBy(() -> DecompositionFile.read(file, KEY))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("checksum");
    }

    @Test
    void aTruncatedFileIsRefused() throws Exception {
        Path file = written();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 100);
        }
        assertThatThrownBy(() -> DecompositionFile.read(file, KEY))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString());
    }

    @Test
    void wrongDtypeOrInconsistentShapesAreRefused() throws Exception {
        Path f32 = dir.resolve("f32.safetensors");
        crafted(f32, DType.F32, 3).write();
        assertThatThrownBy(() -> DecompositionFile.read(f32, KEY))
                .isInstanceOf(IOException.class).hasMessageContaining(f32.toString()).hasMessageContaining("not F64");
        Path shapes = dir.resolve("shapes.safetensors");
        crafted(shapes, DType.F64, 2).write();
        assertThatThrownBy(() -> DecompositionFile.read(shapes, KEY))
                .isInstanceOf(IOException.class).hasMessageContaining(shapes.toString()).hasMessageContaining("shapes");
    }

    @Test
    void aMissingFileIsAnIOExceptionToo() {
        Path file = dir.resolve("absent.safetensors");
        assertThat(Files.exists(file)).isFalse();
        assertThatThrownBy(() -> DecompositionFile.read(file, KEY)).isInstanceOf(IOException.class);
    }

    private Path written() throws Exception {
        Nd4j.getRandom().setSeed(9);
        Path file = dir.resolve("w.safetensors");
        DecompositionFile.write(file, PlainSvd.decompose(LinearAlgebra.cpu(), Nd4j.rand(DataType.FLOAT, 6, 4), "L0.v"), KEY);
        return file;
    }

    /** A 4 x 3 decomposition file with the right metadata but {@code left} of the given dtype and column count. */
    private static SafetensorsWriter crafted(Path file, DType leftType, int leftColumns) {
        return SafetensorsWriter.to(file)
                .metadata(DecompositionFile.KEY, KEY)
                .metadata(DecompositionFile.LABEL, "L0.q")
                .metadata(DecompositionFile.KIND, "PLAIN")
                .metadata(DecompositionFile.LEFT_ORDER, "c")
                .metadata(DecompositionFile.RIGHT_ORDER, "c")
                .metadata(DecompositionFile.CHECKSUM, "0")
                .addRaw("left", leftType, new long[] {4, leftColumns}, () -> new byte[4 * leftColumns * leftType.byteSize()])
                .addRaw("sigma", DType.F64, new long[] {3}, () -> new byte[3 * 8])
                .addRaw("right", DType.F64, new long[] {3, 3}, () -> new byte[9 * 8]);
    }

    static void assertBitIdentical(LowRankDecomposition actual, LowRankDecomposition expected) {
        assertThat(actual.label()).isEqualTo(expected.label());
        assertThat(actual.kind()).isEqualTo(expected.kind());
        assertThat(actual.left().shape()).isEqualTo(expected.left().shape());
        assertThat(actual.right().shape()).isEqualTo(expected.right().shape());
        assertThat(actual.left().dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(bits(actual.left())).isEqualTo(bits(expected.left()));
        assertThat(bits(actual.singularValues())).isEqualTo(bits(expected.singularValues()));
        assertThat(bits(actual.right())).isEqualTo(bits(expected.right()));
    }

    /** The raw bit patterns in row-major order: equal means bit-identical (NaN payloads and -0.0 included). */
    static long[] bits(INDArray x) {
        return bits(x.dup('c').data().asDouble());
    }

    static long[] bits(double[] values) {
        return java.util.Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
