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
    public SvdResult svd(INDArray a) {
        long start = System.nanoTime();
        try {
            return CpuLapack.svd(a);
        } finally {
            StageClock.add(StageClock.Stage.SVD, start);
        }
    }

    @Override
    public SvdResult svdViaGram(INDArray a) {
        long start = System.nanoTime();
        try {
            return GramSvd.svd(a);
        } finally {
            StageClock.add(StageClock.Stage.SVD, start);
        }
    }

    @Override
    public INDArray singularValues(INDArray a) {
        return CpuLapack.singularValues(a);
    }

    @Override
    public INDArray cholesky(INDArray spd) {
        long start = System.nanoTime();
        try {
            return CpuLapack.cholesky(spd);
        } finally {
            StageClock.add(StageClock.Stage.CHOLESKY, start);
        }
    }

    @Override
    public INDArray solveTriangular(INDArray triangular, boolean lower, boolean transpose, INDArray b, boolean leftSide) {
        long start = System.nanoTime();
        try {
            return CpuBlas.solveTriangular(triangular, lower, transpose, b, leftSide);
        } finally {
            StageClock.add(StageClock.Stage.TRIANGULAR_SOLVE, start);
        }
    }

    @Override
    public EigenResult symmetricEigen(INDArray sym) {
        long start = System.nanoTime();
        try {
            return CpuLapack.symmetricEigen(sym);
        } finally {
            StageClock.add(StageClock.Stage.SVD, start);
        }
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
}
