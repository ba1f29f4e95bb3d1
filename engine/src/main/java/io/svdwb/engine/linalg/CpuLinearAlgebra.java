package io.svdwb.engine.linalg;

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
        return CpuLapack.svd(a);
    }

    @Override
    public INDArray singularValues(INDArray a) {
        return CpuLapack.singularValues(a);
    }

    @Override
    public INDArray cholesky(INDArray spd) {
        return CpuLapack.cholesky(spd);
    }

    @Override
    public INDArray solveTriangular(INDArray triangular, boolean lower, boolean transpose, INDArray b, boolean leftSide) {
        return CpuBlas.solveTriangular(triangular, lower, transpose, b, leftSide);
    }

    @Override
    public EigenResult symmetricEigen(INDArray sym) {
        return CpuLapack.symmetricEigen(sym);
    }

    @Override
    public INDArray gram(INDArray x) {
        return CpuBlas.gram(x);
    }
}
