/*
 * A fake libcublas.so.13: the cuBLAS v2 calls the CUDA backend makes, computed by the CBLAS of the OpenBLAS the CPU
 * backend ships, with cuBLAS's argument checks (status 7, INVALID_VALUE) and a check that every matrix lies in fake
 * device memory (status 14, INTERNAL_ERROR, where a real GPU would fault).
 */
#include <stdlib.h>
#include "fake_device.h"

enum { OK = 0, NOT_INITIALIZED = 1, INVALID_VALUE = 7, INTERNAL_ERROR = 14 };
enum { ROW_MAJOR = 101, COL_MAJOR = 102, NO_TRANS = 111, TRANS = 112, UPPER = 121, LOWER = 122, NON_UNIT = 131,
       UNIT = 132, LEFT = 141, RIGHT = 142 };

void cblas_sgemm(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
void cblas_dgemm(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int);
void cblas_ssyrk(int, int, int, int, int, float, const float *, int, float, float *, int);
void cblas_dsyrk(int, int, int, int, int, double, const double *, int, double, double *, int);
void cblas_strsm(int, int, int, int, int, int, int, float, const float *, int, float *, int);
void cblas_dtrsm(int, int, int, int, int, int, int, double, const double *, int, double *, int);

typedef struct { int magic; } context;
#define MAGIC 0x0b1a5

static int valid(const context *h) { return h != NULL && h->magic == MAGIC; }
static int op(int o) { return o == 0 ? NO_TRANS : o == 1 ? TRANS : -1; }
static int fill(int f) { return f == 0 ? LOWER : f == 1 ? UPPER : -1; }
/* the elements a column-major rows x cols matrix with leading dimension ld spans */
static size_t span(int rows, int cols, int ld) { return rows == 0 || cols == 0 ? 0 : (size_t) ld * (cols - 1) + rows; }
static int on_device(const void *p, int rows, int cols, int ld, size_t element) {
    size_t n = span(rows, cols, ld);
    return n == 0 || fake_is_device(p, n * element);
}
static int max1(int x) { return x > 1 ? x : 1; }

int cublasCreate_v2(context **handle) {
    fake_count("cublasCreate_v2");
    *handle = malloc(sizeof(context));
    (*handle)->magic = MAGIC;
    return OK;
}

static int math_mode;

/* CUBLAS_DEFAULT_MATH 0, CUBLAS_PEDANTIC_MATH 2, CUBLAS_TF32_TENSOR_OP_MATH 3 (the fake computes in full float32 anyway) */
int cublasSetMathMode(context *h, int mode) {
    fake_count("cublasSetMathMode");
    if (!valid(h)) return NOT_INITIALIZED;
    if (mode != 0 && mode != 2 && mode != 3) return INVALID_VALUE;
    math_mode = mode;
    return OK;
}

int fake_cublas_math_mode(void) { return math_mode; }

int cublasDestroy_v2(context *handle) {
    fake_count("cublasDestroy_v2");
    if (!valid(handle)) return NOT_INITIALIZED;
    handle->magic = 0;
    free(handle);
    return OK;
}

const char *cublasGetStatusName(int status) {
    switch (status) {
        case OK: return "CUBLAS_STATUS_SUCCESS";
        case NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
        case INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
        case INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
        default: return "CUBLAS_STATUS_UNKNOWN";
    }
}

#define GEMM(NAME, T, CBLAS)                                                                                         \
int NAME(context *h, int ta, int tb, int m, int n, int k, const T *alpha, const T *a, int lda, const T *b, int ldb, \
         const T *beta, T *c, int ldc) {                                                                             \
    fake_count(#NAME);                                                                                               \
    if (!valid(h)) return NOT_INITIALIZED;                                                                           \
    int opa = op(ta), opb = op(tb);                                                                                  \
    int arows = opa == NO_TRANS ? m : k, acols = opa == NO_TRANS ? k : m;                                            \
    int brows = opb == NO_TRANS ? k : n, bcols = opb == NO_TRANS ? n : k;                                            \
    if (opa < 0 || opb < 0 || m < 0 || n < 0 || k < 0 || lda < max1(arows) || ldb < max1(brows) || ldc < max1(m))    \
        return INVALID_VALUE;                                                                                        \
    if (!on_device(a, arows, acols, lda, sizeof(T)) || !on_device(b, brows, bcols, ldb, sizeof(T))                   \
            || !on_device(c, m, n, ldc, sizeof(T)))                                                                  \
        return INTERNAL_ERROR;                                                                                       \
    if (m && n) CBLAS(COL_MAJOR, opa, opb, m, n, k, *alpha, a, lda, b, ldb, *beta, c, ldc);                          \
    return OK;                                                                                                       \
}
GEMM(cublasSgemm_v2, float, cblas_sgemm)
GEMM(cublasDgemm_v2, double, cblas_dgemm)

/* One gemm per batch entry, each operand advanced by its stride (0: the same matrix for every entry). */
int cublasSgemmStridedBatched(context *h, int ta, int tb, int m, int n, int k, const float *alpha, const float *a, int lda,
                              long long stride_a, const float *b, int ldb, long long stride_b, const float *beta, float *c,
                              int ldc, long long stride_c, int batch) {
    fake_count("cublasSgemmStridedBatched");
    if (!valid(h)) return NOT_INITIALIZED;
    int opa = op(ta), opb = op(tb);
    int arows = opa == NO_TRANS ? m : k, acols = opa == NO_TRANS ? k : m;
    int brows = opb == NO_TRANS ? k : n, bcols = opb == NO_TRANS ? n : k;
    if (opa < 0 || opb < 0 || m < 0 || n < 0 || k < 0 || batch < 0 || lda < max1(arows) || ldb < max1(brows)
            || ldc < max1(m) || stride_a < 0 || stride_b < 0 || stride_c < 0)
        return INVALID_VALUE;
    for (int i = 0; i < batch; i++) {
        const float *ai = a + i * stride_a, *bi = b + i * stride_b;
        float *ci = c + i * stride_c;
        if (!on_device(ai, arows, acols, lda, sizeof(float)) || !on_device(bi, brows, bcols, ldb, sizeof(float))
                || !on_device(ci, m, n, ldc, sizeof(float)))
            return INTERNAL_ERROR;
        if (m && n) cblas_sgemm(COL_MAJOR, opa, opb, m, n, k, *alpha, ai, lda, bi, ldb, *beta, ci, ldc);
    }
    return OK;
}

#define SYRK(NAME, T, CBLAS)                                                                                         \
int NAME(context *h, int uplo, int trans, int n, int k, const T *alpha, const T *a, int lda, const T *beta, T *c,   \
         int ldc) {                                                                                                  \
    fake_count(#NAME);                                                                                               \
    if (!valid(h)) return NOT_INITIALIZED;                                                                           \
    int f = fill(uplo), t = op(trans);                                                                               \
    int arows = t == NO_TRANS ? n : k, acols = t == NO_TRANS ? k : n;                                                \
    if (f < 0 || t < 0 || n < 0 || k < 0 || lda < max1(arows) || ldc < max1(n)) return INVALID_VALUE;                \
    if (!on_device(a, arows, acols, lda, sizeof(T)) || !on_device(c, n, n, ldc, sizeof(T))) return INTERNAL_ERROR;   \
    if (n) CBLAS(COL_MAJOR, f, t, n, k, *alpha, a, lda, *beta, c, ldc);                                              \
    return OK;                                                                                                       \
}
SYRK(cublasSsyrk_v2, float, cblas_ssyrk)
SYRK(cublasDsyrk_v2, double, cblas_dsyrk)

#define TRSM(NAME, T, CBLAS)                                                                                         \
int NAME(context *h, int side, int uplo, int trans, int diag, int m, int n, const T *alpha, const T *a, int lda,    \
         T *b, int ldb) {                                                                                            \
    fake_count(#NAME);                                                                                               \
    if (!valid(h)) return NOT_INITIALIZED;                                                                           \
    int s = side == 0 ? LEFT : side == 1 ? RIGHT : -1, f = fill(uplo), t = op(trans);                                \
    int d = diag == 0 ? NON_UNIT : diag == 1 ? UNIT : -1;                                                            \
    int order = s == LEFT ? m : n;                                                                                   \
    if (s < 0 || f < 0 || t < 0 || d < 0 || m < 0 || n < 0 || lda < max1(order) || ldb < max1(m))                   \
        return INVALID_VALUE;                                                                                        \
    if (!on_device(a, order, order, lda, sizeof(T)) || !on_device(b, m, n, ldb, sizeof(T))) return INTERNAL_ERROR;   \
    if (m && n) CBLAS(COL_MAJOR, s, f, t, d, m, n, *alpha, a, lda, b, ldb);                                          \
    return OK;                                                                                                       \
}
TRSM(cublasStrsm_v2, float, cblas_strsm)
TRSM(cublasDtrsm_v2, double, cblas_dtrsm)
