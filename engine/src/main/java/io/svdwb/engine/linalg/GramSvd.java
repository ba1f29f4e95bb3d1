package io.svdwb.engine.linalg;

import static io.svdwb.engine.linalg.DenseMatrices.requireMatrix;
import static io.svdwb.engine.linalg.DenseMatrices.requireNonEmpty;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The thin SVD through the Gram matrix of the shorter side and a symmetric eigensolver (syrk + dsyevd), for DOUBLE
 * matrices. At LLaMA-7B widths it is 2-4x faster than gesdd on this project's machines (docs/BENCHMARKS.md), because
 * dsyevd on an n x n Gram costs less than gesdd's bidiagonalisation of the m x n matrix plus its vector updates.
 *
 * <p>Why it is still accurate where it is used: the eigensolver's eigenvalues have an absolute error of about
 * {@code n eps sigma_1^2}, so sigma_i carries a relative error of about {@code n eps (sigma_1 / sigma_i)^2 / 2}:
 * 1e-11 for a component a hundredth of the largest (n = 4096, eps = 1.1e-16), below the float32 the factors are
 * stored in down to about sigma_1 / 1000. Components far smaller than that are a valid but not an optimal basis of
 * what is left; their {@code u_i sigma_i = A v_i} is still exact, so every truncation is the exact projection
 * {@code A V_k V_kᵀ} and the full rank reproduces A. An eigenvalue that rounding made zero or negative gives
 * sigma_i = 0 and a zero column of U (its component A v_i is then at rounding level).
 */
public final class GramSvd {

    private GramSvd() {
    }

    /** The three operations the Gram path needs, from whichever backend runs it. */
    interface Operations {
        INDArray gram(INDArray x);

        EigenResult symmetricEigen(INDArray sym);

        INDArray matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB);
    }

    /** Matrix products as {@link LinearAlgebra#matmul(INDArray, boolean, INDArray, boolean)} takes them. */
    @FunctionalInterface
    interface Product {
        INDArray of(INDArray a, boolean transposeA, INDArray b, boolean transposeB);
    }

    /** The three operations from functions: one backend's, or the CPU's own routines. */
    private record Functions(java.util.function.UnaryOperator<INDArray> gramOf,
                             java.util.function.Function<INDArray, EigenResult> eigenOf, Product product) implements Operations {
        @Override
        public INDArray gram(INDArray x) {
            return gramOf.apply(x);
        }

        @Override
        public EigenResult symmetricEigen(INDArray sym) {
            return eigenOf.apply(sym);
        }

        @Override
        public INDArray matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
            return product.of(a, transposeA, b, transposeB);
        }
    }

    /** The CPU's routines without {@link CpuLinearAlgebra}'s stage timing (the whole call is timed as SVD once). */
    private static final Operations CPU = new Functions(CpuBlas::gram, CpuLapack::symmetricEigen, CpuBlas::matmul);

    static SvdResult svd(INDArray a) {
        return svd(CPU, a);
    }

    /** {@link LinearAlgebra#svdViaGram} on any backend: its Gram, eigensolver and products. */
    public static SvdResult svd(LinearAlgebra backend, INDArray a) {
        return svd(operationsOf(backend), a);
    }

    private static Operations operationsOf(LinearAlgebra backend) {
        return new Functions(backend::gram, backend::symmetricEigen, backend::matmul);
    }

    private static SvdResult svd(Operations ops, INDArray a) {
        requireMatrix(a, "svdViaGram input");
        requireNonEmpty(a, "svdViaGram");
        if (a.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("svdViaGram needs a DOUBLE matrix (its Gram squares the condition number),"
                    + " got " + a.dataType());
        }
        boolean tall = a.rows() >= a.columns();
        // the Gram of the shorter side: Aᵀ A (n x n) for a tall A, A Aᵀ (m x m) for a wide one
        GramSpectrum spectrum = GramSpectrum.of(ops, tall ? a.transpose() : a);
        INDArray vectors = spectrum.vectors();
        double[] sigma = spectrum.sigma();
        INDArray s = org.nd4j.linalg.factory.Nd4j.createFromArray(sigma);
        if (tall) {
            // V = eigenvectors; U = A V diag(1/sigma)
            INDArray u = ops.matmul(a, false, vectors, false);
            scaleColumns(u, sigma);
            INDArray vt = vectors.transpose().dup('c');
            vectors.close();
            return new SvdResult(u, s, vt);
        }
        // U = eigenvectors; Vᵀ = diag(1/sigma) Uᵀ A
        INDArray vt = ops.matmul(vectors, true, a, false);
        divideRows(vt, sigma);
        INDArray u = vectors.dup('c');
        vectors.close();
        return new SvdResult(u, s, vt);
    }

    /** The eigenvectors (column-major, descending) of X Xᵀ and the singular values of X, the Gram itself freed. */
    private record GramSpectrum(INDArray vectors, double[] sigma) {
        static GramSpectrum of(Operations ops, INDArray x) {
            INDArray gram = ops.gram(x);
            EigenResult eigen;
            try {
                eigen = ops.symmetricEigen(gram);
            } finally {
                gram.close();
            }
            double[] sigma = singularValues(eigen.values());
            eigen.values().close();
            return new GramSpectrum(eigen.vectors(), sigma);
        }
    }

    /** U (m x m, row-major) and the singular values, descending, of an m x n matrix with m <= n. */
    public record LeftVectors(INDArray u, double[] sigma) {
    }

    /**
     * The left singular vectors and singular values of a DOUBLE matrix with no more rows than columns, from its Gram
     * A Aᵀ and {@code backend}'s eigensolver, without Vᵀ: for a caller that needs only U (the whitened SVD, whose right
     * factor Vᵀ S⁻¹ equals Σ⁻¹ Uᵀ W).
     */
    public static LeftVectors leftVectors(LinearAlgebra backend, INDArray a) {
        requireMatrix(a, "leftVectors input");
        requireNonEmpty(a, "leftVectors");
        if (a.dataType() != DataType.DOUBLE || a.rows() > a.columns()) {
            throw new IllegalArgumentException("leftVectors needs a DOUBLE matrix with no more rows than columns, got "
                    + a.dataType() + " " + a.rows() + " x " + a.columns());
        }
        GramSpectrum spectrum = GramSpectrum.of(operationsOf(backend), a);
        INDArray u = spectrum.vectors().dup('c');
        spectrum.vectors().close();
        return new LeftVectors(u, spectrum.sigma());
    }

    private static double[] singularValues(INDArray eigenvaluesDescending) {
        double[] lambda = eigenvaluesDescending.toDoubleVector();
        double[] sigma = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            sigma[i] = Math.sqrt(Math.max(lambda[i], 0.0));
        }
        return sigma;
    }

    private static double inverse(double sigma) {
        return sigma > 0 ? 1.0 / sigma : 0.0;
    }

    /** Column j of a dense row-major ('c') array times 1/sigma_j, in place. */
    private static void scaleColumns(INDArray rowMajor, double[] sigma) {
        long rows = rowMajor.rows();
        int cols = sigma.length;
        double[] inv = new double[cols];
        for (int j = 0; j < cols; j++) {
            inv[j] = inverse(sigma[j]);
        }
        DoubleIndexer x = (DoubleIndexer) rowMajor.data().indexer();
        java.util.stream.LongStream.range(0, rows).parallel().forEach(i -> {
            long base = i * cols;
            for (int j = 0; j < cols; j++) {
                x.put(base + j, x.get(base + j) * inv[j]);
            }
        });
    }

    /** Row i of a dense row-major DOUBLE array divided by sigma_i (a zero sigma gives a zero row), in place. */
    public static void divideRows(INDArray rowMajor, double[] sigma) {
        long cols = rowMajor.columns();
        DoubleIndexer x = (DoubleIndexer) rowMajor.data().indexer();
        java.util.stream.IntStream.range(0, sigma.length).parallel().forEach(i -> {
            double inv = inverse(sigma[i]);
            long base = i * cols;
            for (long j = 0; j < cols; j++) {
                x.put(base + j, x.get(base + j) * inv);
            }
        });
    }
}
