package io.svdwb.engine.linalg;

import static io.svdwb.engine.linalg.DenseMatrices.checkArguments;
import static io.svdwb.engine.linalg.DenseMatrices.dim;
import static io.svdwb.engine.linalg.DenseMatrices.doubles;
import static io.svdwb.engine.linalg.DenseMatrices.floats;
import static io.svdwb.engine.linalg.DenseMatrices.freshCopy;
import static io.svdwb.engine.linalg.DenseMatrices.isFloat;
import static io.svdwb.engine.linalg.DenseMatrices.requireFinite;
import static io.svdwb.engine.linalg.DenseMatrices.requireMatrix;
import static io.svdwb.engine.linalg.DenseMatrices.requireNonEmpty;
import static io.svdwb.engine.linalg.DenseMatrices.requireSquare;

import java.lang.ref.Reference;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The LAPACK factorisations of {@link CpuLinearAlgebra}. Every routine works column-major on a fresh
 * 'f' copy of its input (LAPACK overwrites it; LAPACK_ROW_MAJOR would make LAPACKE transpose into yet
 * another buffer) and returns 'f'-ordered results, which CpuBlas consumes without copying.
 *
 * <p>{@code Reference.reachabilityFence} keeps each scratch array reachable until its native call has
 * returned: the pointer alone does not stop ND4J from freeing the buffer once the array is collected.
 */
final class CpuLapack {

    private CpuLapack() {
    }

    static SvdResult svd(INDArray a) {
        requireMatrix(a, "svd input");
        requireNonEmpty(a, "svd");
        int m = dim(a.rows(), "rows");
        int n = dim(a.columns(), "columns");
        int k = Math.min(m, n);
        INDArray work = freshCopy(a, 'f');
        requireFinite(work, "svd");
        INDArray s = Nd4j.createUninitialized(a.dataType(), new long[] {k}, 'c');
        INDArray u = Nd4j.createUninitialized(a.dataType(), new long[] {m, k}, 'f');
        INDArray vt = Nd4j.createUninitialized(a.dataType(), new long[] {k, n}, 'f');
        byte jobz = (byte) 'S';
        String routine = isFloat(a) ? "LAPACKE_sgesdd" : "LAPACKE_dgesdd";
        int info = isFloat(a)
                ? openblas.LAPACKE_sgesdd(openblas.LAPACK_COL_MAJOR, jobz, m, n, floats(work), m, floats(s),
                        floats(u), m, floats(vt), k)
                : openblas.LAPACKE_dgesdd(openblas.LAPACK_COL_MAJOR, jobz, m, n, doubles(work), m, doubles(s),
                        doubles(u), m, doubles(vt), k);
        Reference.reachabilityFence(work);
        // gesdd destroyed the copy: free it now (an 11008 x 4096 double is 360 MB that the GC would see as a few bytes)
        work.close();
        if (info > 0) {
            // bdsdc's divide and conquer occasionally fails on matrices with many (near-)zero singular values, such as
            // a residual whose leading components were just removed; QR iteration (gesvd) is slower but converges
            // there, which is why LAPACK drivers elsewhere (NumPy's, SciPy's) fall back to it too.
            checkArguments(routine, info);
            return svdByQrIteration(a, m, n, k, s, u, vt);
        }
        checkSvdInfo(routine, info);
        return new SvdResult(u, s, vt);
    }

    /** The thin SVD by gesvd (QR iteration) into the given outputs; used when gesdd did not converge. */
    private static SvdResult svdByQrIteration(INDArray a, int m, int n, int k, INDArray s, INDArray u, INDArray vt) {
        INDArray work = freshCopy(a, 'f');
        INDArray superb = Nd4j.createUninitialized(a.dataType(), new long[] {Math.max(1, k - 1)}, 'c');
        byte jobs = (byte) 'S';
        String routine = isFloat(a) ? "LAPACKE_sgesvd" : "LAPACKE_dgesvd";
        int info = isFloat(a)
                ? openblas.LAPACKE_sgesvd(openblas.LAPACK_COL_MAJOR, jobs, jobs, m, n, floats(work), m, floats(s), floats(u), m,
                        floats(vt), k, floats(superb))
                : openblas.LAPACKE_dgesvd(openblas.LAPACK_COL_MAJOR, jobs, jobs, m, n, doubles(work), m, doubles(s), doubles(u), m,
                        doubles(vt), k, doubles(superb));
        Reference.reachabilityFence(work);
        work.close();
        superb.close();
        checkArguments(routine, info);
        if (info > 0) {
            throw new LinearAlgebraException(routine, info, "neither divide and conquer (gesdd) nor QR iteration (gesvd)"
                    + " converged; the input may be badly scaled");
        }
        return new SvdResult(u, s, vt);
    }

    static INDArray singularValues(INDArray a) {
        requireMatrix(a, "singularValues input");
        requireNonEmpty(a, "singularValues");
        int m = dim(a.rows(), "rows");
        int n = dim(a.columns(), "columns");
        INDArray work = freshCopy(a, 'f');
        requireFinite(work, "singularValues");
        INDArray s = Nd4j.createUninitialized(a.dataType(), new long[] {Math.min(m, n)}, 'c');
        // jobz 'N': U and Vt are not referenced, so null pointers and leading dimensions of 1 are legal.
        byte jobz = (byte) 'N';
        String routine = isFloat(a) ? "LAPACKE_sgesdd" : "LAPACKE_dgesdd";
        int info = isFloat(a)
                ? openblas.LAPACKE_sgesdd(openblas.LAPACK_COL_MAJOR, jobz, m, n, floats(work), m, floats(s),
                        null, 1, null, 1)
                : openblas.LAPACKE_dgesdd(openblas.LAPACK_COL_MAJOR, jobz, m, n, doubles(work), m, doubles(s),
                        null, 1, null, 1);
        Reference.reachabilityFence(work);
        work.close();
        checkSvdInfo(routine, info);
        return s;
    }

    private static void checkSvdInfo(String routine, int info) {
        checkArguments(routine, info);
        if (info > 0) {
            throw new LinearAlgebraException(routine, info, "the bidiagonal divide-and-conquer SVD (bdsdc) did not"
                    + " converge; the input may be badly scaled");
        }
    }

    static INDArray cholesky(INDArray spd) {
        requireMatrix(spd, "cholesky input");
        requireSquare(spd, "cholesky input");
        requireNonEmpty(spd, "cholesky");
        int n = dim(spd.rows(), "order");
        // A row-major copy read as column-major is the transpose, so potrf's upper factor of it is our lower one (and it
        // reads our lower triangle): no transposing copy, which took seconds for an 11008² Gram.
        char order = spd.ordering() == 'c' ? 'c' : 'f';
        return factorInPlace(freshCopy(spd, order), n);
    }

    static INDArray choleskyInPlace(INDArray spd) {
        requireMatrix(spd, "cholesky input");
        requireSquare(spd, "cholesky input");
        requireNonEmpty(spd, "cholesky");
        if (spd.isView() || spd.offset() != 0 || spd.data().length() != spd.length()) {
            throw new IllegalArgumentException("choleskyInPlace needs a dense array that is not a view");
        }
        return factorInPlace(spd, dim(spd.rows(), "order"));
    }

    /** Factors a dense array in place; its ordering decides which triangle LAPACK is told to use. */
    private static INDArray factorInPlace(INDArray l, int n) {
        requireFinite(l, "cholesky");
        byte triangle = (byte) (l.ordering() == 'f' ? 'L' : 'U');
        String routine = isFloat(l) ? "LAPACKE_spotrf" : "LAPACKE_dpotrf";
        int info = isFloat(l)
                ? openblas.LAPACKE_spotrf(openblas.LAPACK_COL_MAJOR, triangle, n, floats(l), n)
                : openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, triangle, n, doubles(l), n);
        checkArguments(routine, info);
        if (info > 0) {
            throw new NotPositiveDefiniteException(routine, info, n);
        }
        zeroStrictUpperTriangle(l, n);
        return l;
    }

    /**
     * potrf leaves the input's other triangle in place; the part above the diagonal is, in memory order, column j's
     * rows 0..j-1 ('f') or row i's columns i+1..n-1 ('c'). Rows (or columns) are shared among the cores.
     */
    private static void zeroStrictUpperTriangle(INDArray matrix, int n) {
        boolean rowMajor = matrix.ordering() == 'c';
        FloatIndexer f = isFloat(matrix) ? (FloatIndexer) matrix.data().indexer() : null;
        DoubleIndexer d = f == null ? (DoubleIndexer) matrix.data().indexer() : null;
        java.util.stream.IntStream.range(0, n).parallel().forEach(line -> {
            long from = rowMajor ? (long) line * n + line + 1 : (long) line * n;
            long to = rowMajor ? (long) (line + 1) * n : (long) line * n + line;
            for (long at = from; at < to; at++) {
                if (f != null) {
                    f.put(at, 0f);
                } else {
                    d.put(at, 0d);
                }
            }
        });
    }

    static EigenResult symmetricEigen(INDArray sym) {
        requireMatrix(sym, "symmetricEigen input");
        requireSquare(sym, "symmetricEigen input");
        requireNonEmpty(sym, "symmetricEigen");
        int n = dim(sym.rows(), "order");
        // The eigenvectors come back column-major. A dense row-major input is copied byte for byte into the column-major
        // result, where it reads as its transpose: dsyevd is then told to use the upper triangle, which is our lower one.
        // No transposing copy (a strided walk of every element: a large share of a 7B SVD's Java time).
        boolean rowMajor = sym.ordering() == 'c' && !sym.isView() && sym.offset() == 0 && sym.data().length() == sym.length();
        INDArray vectors;
        if (rowMajor) {
            vectors = Nd4j.createUninitialized(sym.dataType(), new long[] {n, n}, 'f');
            org.bytedeco.javacpp.Pointer.memcpy(vectors.data().addressPointer(), sym.data().addressPointer(),
                    (long) n * n * sym.dataType().width());
        } else {
            vectors = freshCopy(sym, 'f');
        }
        requireFinite(vectors, "symmetricEigen");
        INDArray values = Nd4j.createUninitialized(sym.dataType(), new long[] {n}, 'c');
        byte wantVectors = (byte) 'V';
        byte lower = (byte) (rowMajor ? 'U' : 'L');
        String routine = isFloat(sym) ? "LAPACKE_ssyevd" : "LAPACKE_dsyevd";
        int info = isFloat(sym)
                ? openblas.LAPACKE_ssyevd(openblas.LAPACK_COL_MAJOR, wantVectors, lower, n, floats(vectors), n, floats(values))
                : openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, wantVectors, lower, n, doubles(vectors), n, doubles(values));
        checkArguments(routine, info);
        if (info > 0) {
            throw new LinearAlgebraException(routine, info, "the eigensolver did not converge");
        }
        reverseToDescending(values, vectors, n);
        return new EigenResult(values, vectors);
    }

    /**
     * LAPACK returns ascending eigenvalues: reverse them and swap the matching eigenvector columns
     * (contiguous in column-major), treating the whole vector matrix as one array of n blocks of n.
     */
    private static void reverseToDescending(INDArray values, INDArray columnMajorVectors, int n) {
        reverseBlocks(values, 1, n);
        reverseBlocks(columnMajorVectors, n, n);
    }

    private static void reverseBlocks(INDArray dense, long blockLength, long blocks) {
        if (isFloat(dense)) {
            FloatIndexer x = (FloatIndexer) dense.data().indexer();
            for (long j = 0, r = blocks - 1; j < r; j++, r--) {
                for (long i = 0; i < blockLength; i++) {
                    float t = x.get(j * blockLength + i);
                    x.put(j * blockLength + i, x.get(r * blockLength + i));
                    x.put(r * blockLength + i, t);
                }
            }
        } else {
            DoubleIndexer x = (DoubleIndexer) dense.data().indexer();
            for (long j = 0, r = blocks - 1; j < r; j++, r--) {
                for (long i = 0; i < blockLength; i++) {
                    double t = x.get(j * blockLength + i);
                    x.put(j * blockLength + i, x.get(r * blockLength + i));
                    x.put(r * blockLength + i, t);
                }
            }
        }
    }
}
