package io.svdwb.engine.compress.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svdwb.engine.linalg.LinearAlgebra;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SvdSolverTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(SvdSolver.PROPERTY);
    }

    @Test
    void autoUsesTheGramPathOnlyFromTheThresholdOn() {
        assertThat(SvdSolver.AUTO.usesGram(4096, 4096)).isTrue();
        assertThat(SvdSolver.AUTO.usesGram(11008, 2048)).isTrue();
        assertThat(SvdSolver.AUTO.usesGram(11008, 2047)).isFalse();
        assertThat(SvdSolver.GESDD.usesGram(4096, 4096)).isFalse();
        assertThat(SvdSolver.GRAM.usesGram(8, 8)).isTrue();
    }

    @Test
    void theSystemPropertyChoosesAndAWrongValueIsNamed() {
        assertThat(SvdSolver.configured()).isEqualTo(SvdSolver.AUTO);
        System.setProperty(SvdSolver.PROPERTY, " GeSdd ");
        assertThat(SvdSolver.configured()).isEqualTo(SvdSolver.GESDD);
        System.setProperty(SvdSolver.PROPERTY, "lanczos");
        assertThatThrownBy(SvdSolver::configured).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dsvdwb.svd=lanczos").hasMessageContaining("auto, gesdd or gram");
    }

    /**
     * SVD-LLM's matrix, W S with S the Cholesky factor of a Gram of correlated activations, truncated at the rank ratio
     * 0.4 keeps: the two solvers' rank-k products agree within the Gram path's error bound (GramSvd):
     * 10 n eps (sigma_1 / sigma_k)^2, which here is far below the 6e-8 of the float32 the factors are stored in.
     */
    @Test
    void bothSolversGiveTheSameWhitenedTruncation() {
        Random rng = new Random(5);
        int out = 96;
        int in = 64;
        int tokens = 400;
        INDArray w = gaussian(out, in, rng);
        INDArray mixing = gaussian(in, in, rng);
        INDArray x = LinearAlgebra.cpu().matmul(mixing, false, gaussian(in, tokens, rng), false);
        INDArray s = LinearAlgebra.cpu().cholesky(LinearAlgebra.cpu().gram(x));
        INDArray ws = LinearAlgebra.cpu().matmul(w, false, s, false);
        int k = RankFromRatio.rank(out, in, 0.4);
        double[] sigma = LinearAlgebra.cpu().singularValues(ws).toDoubleVector();
        double bound = 10 * in * 0x1p-52 * Math.pow(sigma[0] / sigma[k - 1], 2);
        assertThat(bound).isLessThan(6e-8);
        INDArray exact = truncated(SvdSolver.GESDD, ws, k);
        INDArray viaGram = truncated(SvdSolver.GRAM, ws, k);
        double relative = exact.sub(viaGram).norm2Number().doubleValue() / exact.norm2Number().doubleValue();
        assertThat(relative).isLessThan(bound);
    }

    private static INDArray truncated(SvdSolver solver, INDArray a, int k) {
        var svd = solver.svd(LinearAlgebra.cpu(), a);
        INDArray u = svd.u().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, k)).dup();
        INDArray sk = svd.s().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, k)).reshape(1, k);
        INDArray vt = svd.vt().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, k),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        return u.mulRowVector(sk).mmul(vt);
    }

    private static INDArray gaussian(int rows, int cols, Random rng) {
        double[][] values = new double[rows][cols];
        for (double[] row : values) {
            for (int j = 0; j < cols; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return Nd4j.create(values).castTo(DataType.DOUBLE);
    }
}
