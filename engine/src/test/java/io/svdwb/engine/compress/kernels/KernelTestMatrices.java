package io.svdwb.engine.compress.kernels;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Fixed-seed random DOUBLE matrices and Frobenius norms for the kernel tests. */
public final class KernelTestMatrices {

    private KernelTestMatrices() {
    }

    public static INDArray gaussian(int m, int n, long seed) {
        Random rng = new Random(seed);
        double[][] a = new double[m][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return Nd4j.createFromArray(a);
    }

    public static double frobenius(INDArray a) {
        return a.norm2Number().doubleValue();
    }

    static double relativeDifference(INDArray a, INDArray b) {
        return frobenius(a.sub(b)) / frobenius(b);
    }
}
