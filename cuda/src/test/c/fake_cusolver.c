/*
 * A fake libcusolver.so.12: the dense cuSOLVER calls the CUDA backend makes, computed by the LAPACKE of the OpenBLAS
 * the CPU backend ships. As in cuSOLVER: a bad argument is status 3 (INVALID_VALUE); a numerical outcome (a minor
 * that is not positive definite, no convergence) is the int devInfo in device memory; gesvd needs m >= n; the
 * workspace must hold at least the size the _bufferSize call gave.
 */
#include <stdlib.h>
#include "fake_device.h"

enum { OK = 0, NOT_INITIALIZED = 1, INVALID_VALUE = 3, INTERNAL_ERROR = 7 };
#define COL_MAJOR 102

int LAPACKE_spotrf(int, char, int, float *, int);
int LAPACKE_dpotrf(int, char, int, double *, int);
int LAPACKE_ssyevd(int, char, char, int, float *, int, float *);
int LAPACKE_dsyevd(int, char, char, int, double *, int, double *);
int LAPACKE_sgesvd(int, char, char, int, int, float *, int, float *, float *, int, float *, int, float *);
int LAPACKE_dgesvd(int, char, char, int, int, double *, int, double *, double *, int, double *, int, double *);

typedef struct { int magic; } context;
#define MAGIC 0x5017e

static int valid(const context *h) { return h != NULL && h->magic == MAGIC; }
static char uplo_of(int fill) { return fill == 0 ? 'L' : fill == 1 ? 'U' : 0; }
static int max1(int x) { return x > 1 ? x : 1; }
static int dev(const void *p, size_t elements, size_t size) { return elements == 0 || fake_is_device(p, elements * size); }
static size_t span(int rows, int cols, int ld) { return rows == 0 || cols == 0 ? 0 : (size_t) ld * (cols - 1) + rows; }

int cusolverDnCreate(context **handle) {
    fake_count("cusolverDnCreate");
    *handle = malloc(sizeof(context));
    (*handle)->magic = MAGIC;
    return OK;
}

int cusolverDnDestroy(context *handle) {
    fake_count("cusolverDnDestroy");
    if (!valid(handle)) return NOT_INITIALIZED;
    handle->magic = 0;
    free(handle);
    return OK;
}

static int potrf_size(int n) { return n > 0 ? 2 * n : 1; }
static int syevd_size(int n) { return 2 * n + 1; }
static int gesvd_size(int m, int n) { return 5 * (m < n ? m : n) + (m > n ? m : n) + 1; }

#define POTRF(S, T, LAPACKE)                                                                                        \
int cusolverDn##S##potrf_bufferSize(context *h, int fill, int n, T *a, int lda, int *lwork) {                      \
    fake_count("cusolverDn" #S "potrf_bufferSize");                                                                 \
    if (!valid(h)) return NOT_INITIALIZED;                                                                          \
    if (!uplo_of(fill) || n < 0 || lda < max1(n)) return INVALID_VALUE;                                             \
    *lwork = potrf_size(n);                                                                                         \
    return OK;                                                                                                      \
}                                                                                                                   \
int cusolverDn##S##potrf(context *h, int fill, int n, T *a, int lda, T *work, int lwork, int *info) {             \
    fake_count("cusolverDn" #S "potrf");                                                                            \
    if (!valid(h)) return NOT_INITIALIZED;                                                                          \
    if (!uplo_of(fill) || n < 0 || lda < max1(n) || lwork < potrf_size(n)) return INVALID_VALUE;                    \
    if (!dev(a, span(n, n, lda), sizeof(T)) || !dev(work, lwork, sizeof(T)) || !dev(info, 1, sizeof(int)))          \
        return INTERNAL_ERROR;                                                                                      \
    *info = n ? LAPACKE(COL_MAJOR, uplo_of(fill), n, a, lda) : 0;                                                   \
    return OK;                                                                                                      \
}
POTRF(S, float, LAPACKE_spotrf)
POTRF(D, double, LAPACKE_dpotrf)

#define SYEVD(S, T, LAPACKE)                                                                                        \
int cusolverDn##S##syevd_bufferSize(context *h, int jobz, int fill, int n, const T *a, int lda, const T *w,        \
                                    int *lwork) {                                                                   \
    fake_count("cusolverDn" #S "syevd_bufferSize");                                                                 \
    if (!valid(h)) return NOT_INITIALIZED;                                                                          \
    if ((jobz != 0 && jobz != 1) || !uplo_of(fill) || n < 0 || lda < max1(n)) return INVALID_VALUE;                 \
    *lwork = syevd_size(n);                                                                                         \
    return OK;                                                                                                      \
}                                                                                                                   \
int cusolverDn##S##syevd(context *h, int jobz, int fill, int n, T *a, int lda, T *w, T *work, int lwork,           \
                         int *info) {                                                                               \
    fake_count("cusolverDn" #S "syevd");                                                                            \
    if (!valid(h)) return NOT_INITIALIZED;                                                                          \
    if ((jobz != 0 && jobz != 1) || !uplo_of(fill) || n < 0 || lda < max1(n) || lwork < syevd_size(n))              \
        return INVALID_VALUE;                                                                                       \
    if (!dev(a, span(n, n, lda), sizeof(T)) || !dev(w, n, sizeof(T)) || !dev(work, lwork, sizeof(T))                \
            || !dev(info, 1, sizeof(int)))                                                                          \
        return INTERNAL_ERROR;                                                                                      \
    *info = n ? LAPACKE(COL_MAJOR, jobz ? 'V' : 'N', uplo_of(fill), n, a, lda, w) : 0;                              \
    return OK;                                                                                                      \
}
SYEVD(S, float, LAPACKE_ssyevd)
SYEVD(D, double, LAPACKE_dsyevd)

static int job_ok(signed char job) { return job == 'A' || job == 'S' || job == 'O' || job == 'N'; }

#define GESVD(S, T, LAPACKE)                                                                                        \
int cusolverDn##S##gesvd_bufferSize(context *h, int m, int n, int *lwork) {                                         \
    fake_count("cusolverDn" #S "gesvd_bufferSize");                                                                 \
    if (!valid(h)) return NOT_INITIALIZED;                                                                          \
    if (m < n || n < 0) return INVALID_VALUE;                                                                       \
    *lwork = gesvd_size(m, n);                                                                                      \
    return OK;                                                                                                      \
}                                                                                                                   \
int cusolverDn##S##gesvd(context *h, signed char jobu, signed char jobvt, int m, int n, T *a, int lda, T *s, T *u,  \
                         int ldu, T *vt, int ldvt, T *work, int lwork, T *rwork, int *info) {                       \
    fake_count("cusolverDn" #S "gesvd");                                                                            \
    if (!valid(h)) return NOT_INITIALIZED;                                                                          \
    int k = n; /* m >= n */                                                                                         \
    int ucols = jobu == 'A' ? m : k, vtrows = jobvt == 'A' ? n : k;                                                 \
    int wants_u = jobu == 'A' || jobu == 'S', wants_vt = jobvt == 'A' || jobvt == 'S';                              \
    if (!job_ok(jobu) || !job_ok(jobvt) || m < n || n < 0 || lda < max1(m) || lwork < gesvd_size(m, n)              \
            || (wants_u && ldu < max1(m)) || (wants_vt && ldvt < max1(vtrows)))                                     \
        return INVALID_VALUE;                                                                                       \
    if (!dev(a, span(m, n, lda), sizeof(T)) || !dev(s, k, sizeof(T)) || !dev(work, lwork, sizeof(T))                \
            || !dev(info, 1, sizeof(int)) || (wants_u && !dev(u, span(m, ucols, ldu), sizeof(T)))                   \
            || (wants_vt && !dev(vt, span(vtrows, n, ldvt), sizeof(T))))                                            \
        return INTERNAL_ERROR;                                                                                      \
    T *superb = malloc(sizeof(T) * (k > 1 ? k : 1));                                                                \
    *info = k ? LAPACKE(COL_MAJOR, jobu, jobvt, m, n, a, lda, s, u, wants_u ? ldu : 1, vt, wants_vt ? ldvt : 1,     \
                        superb) : 0;                                                                                \
    free(superb);                                                                                                   \
    return OK;                                                                                                      \
}
GESVD(S, float, LAPACKE_sgesvd)
GESVD(D, double, LAPACKE_dgesvd)
