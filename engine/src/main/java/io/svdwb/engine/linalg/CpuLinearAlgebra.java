package io.svdwb.engine.linalg;

import io.svdwb.engine.progress.StageClock;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link LinearAlgebra} on the CPU through the OpenBLAS (CBLAS/LAPACKE) that ND4J's CPU backend ships,
 * called directly on the arrays' native buffers. Stateless; OpenBLAS itself is thread-safe, but
 * concurrent calls each use all of OpenBLAS's threads, so callers should not parallelise on top.
 */
public final class CpuLinearAlgebra implements LinearAlgebra {

    static final CpuLinearAlgebra INSTANCE = new CpuLinearAlgebra();

    @Override
    public String name() {
        return "cpu-openblas";
    }

    @Override
    public INDArray matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        return CpuBlas.matmul(a, transposeA, b, transposeB);
    }

    @Override
    public INDArray multiplyLowerTriangular(INDArray a, INDArray lower) {
        return CpuBlas.multiplyLowerTriangular(a, lower);
    }

    @Override
    public SvdResult svd(INDArray a) {
        return timed(StageClock.Stage.SVD, () -> CpuLapack.svd(a));
    }

    @Override
    public SvdResult svdViaGram(INDArray a) {
        return timed(StageClock.Stage.SVD, () -> GramSvd.svd(a));
    }

    @Override
    public INDArray singularValues(INDArray a) {
        return CpuLapack.singularValues(a);
    }

    @Override
    public INDArray cholesky(INDArray spd) {
        return timed(StageClock.Stage.CHOLESKY, () -> CpuLapack.cholesky(spd));
    }

    @Override
    public INDArray choleskyInPlace(INDArray spd) {
        return timed(StageClock.Stage.CHOLESKY, () -> CpuLapack.choleskyInPlace(spd));
    }

    @Override
    public INDArray solveTriangular(INDArray triangular, boolean lower, boolean transpose, INDArray b, boolean leftSide) {
        return timed(StageClock.Stage.TRIANGULAR_SOLVE, () -> CpuBlas.solveTriangular(triangular, lower, transpose, b, leftSide));
    }

    @Override
    public EigenResult symmetricEigen(INDArray sym) {
        return timed(StageClock.Stage.SVD, () -> CpuLapack.symmetricEigen(sym));
    }

    @Override
    public INDArray gram(INDArray x) {
        return CpuBlas.gram(x);
    }

    @Override
    public void addGramLower(INDArray x, INDArray accumulator) {
        long start = System.nanoTime();
        CpuBlas.addGramLower(x, accumulator);
        StageClock.add(StageClock.Stage.GRAM, start);
    }

    /** Runs one operation and adds its wall time to {@code stage} of the {@link StageClock}, whether or not it throws. */
    private static <T> T timed(StageClock.Stage stage, java.util.function.Supplier<T> operation) {
        long start = System.nanoTime();
        try {
            return operation.get();
        } finally {
            StageClock.add(stage, start);
        }
    }
}
