package io.svdwb.engine.tensor;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between Java float arrays and ND4J arrays. ND4J's own {@code Nd4j.create(float[])} and
 * {@code data().asFloat()} copy element by element through an indexer, which measured 20x slower
 * than the forward pass's arithmetic; a pointer copy is one memcpy.
 */
public final class NdArrays {

    private NdArrays() {
    }

    /** A new row-major FLOAT array of the given shape holding a copy of {@code values}. */
    public static INDArray fromFloats(float[] values, long... shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape holds " + n + " values, the array has " + values.length);
        }
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        if (n > 0) {
            ((FloatPointer) out.data().addressPointer()).put(values, 0, values.length);
        }
        return out;
    }

    /** The elements of a FLOAT array in row-major order. */
    public static float[] toFloats(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("expected a FLOAT array, got " + array.dataType());
        }
        INDArray dense = array.ordering() == 'c' && !array.isView() && array.offset() == 0 ? array : array.dup('c');
        float[] out = new float[(int) dense.length()];
        if (out.length > 0) {
            ((FloatPointer) dense.data().addressPointer()).get(out, 0, out.length);
        }
        return out;
    }

    /**
     * Copies the elements of a dense row-major FLOAT array into {@code out} from index 0, for callers that reuse one
     * heap buffer instead of allocating a new array per call (see {@link #toFloats(INDArray)}).
     *
     * @throws IllegalArgumentException if the array is not FLOAT or does not fit in {@code out}
     */
    public static void copyInto(INDArray array, float[] out) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("expected a FLOAT array, got " + array.dataType());
        }
        if (array.length() > out.length) {
            throw new IllegalArgumentException("the array has " + array.length() + " elements, the buffer holds " + out.length);
        }
        INDArray dense = array.ordering() == 'c' && !array.isView() && array.offset() == 0 ? array : array.dup('c');
        if (dense.length() > 0) {
            ((FloatPointer) dense.data().addressPointer()).get(out, 0, (int) dense.length());
        }
        if (dense != array) {
            dense.close();
        }
    }

    /** A new row-major DOUBLE array of the given shape holding a copy of {@code values}. */
    public static INDArray fromDoubles(double[] values, long... shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape holds " + n + " values, the array has " + values.length);
        }
        INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c');
        if (n > 0) {
            ((DoublePointer) out.data().addressPointer()).put(values, 0, values.length);
        }
        return out;
    }

    /** The elements of an array in row-major order as doubles (FLOAT is widened exactly). */
    public static double[] toDoubles(INDArray array) {
        INDArray wide = array.dataType() == DataType.DOUBLE ? array : array.castTo(DataType.DOUBLE);
        INDArray dense = wide.ordering() == 'c' && !wide.isView() && wide.offset() == 0 ? wide : wide.dup('c');
        double[] out = new double[(int) dense.length()];
        if (out.length > 0) {
            ((DoublePointer) dense.data().addressPointer()).get(out, 0, out.length);
        }
        return out;
    }
}
