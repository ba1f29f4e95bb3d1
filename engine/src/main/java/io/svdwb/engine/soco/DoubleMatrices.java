package io.svdwb.engine.soco;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between the flat row-major {@code double[]} activations of this package and the DOUBLE
 * {@link INDArray}s that {@link io.svdwb.engine.linalg.LinearAlgebra} multiplies: the backward pass keeps
 * its element-wise work on plain arrays and hands every matrix product to the linear-algebra interface.
 */
final class DoubleMatrices {

    private DoubleMatrices() {
    }

    /** A new row-major DOUBLE [rows, cols] array holding a copy of {@code values}. */
    static INDArray of(double[] values, int rows, int cols) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException("shape " + rows + " x " + cols + " holds " + ((long) rows * cols)
                    + " values, the array has " + values.length);
        }
        return io.svdwb.engine.tensor.NdArrays.fromDoubles(values, rows, cols);
    }

    /** The elements of {@code array} in row-major order, as doubles (a FLOAT array is widened exactly). */
    static double[] values(INDArray array) {
        // a pointer copy: ND4J's own asDouble() goes element by element through an indexer (see NdArrays)
        return io.svdwb.engine.tensor.NdArrays.toDoubles(array);
    }
}
