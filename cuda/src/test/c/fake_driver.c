/*
 * A fake libcuda.so.1 (the driver API calls the backend's kernels need) whose "GPU" runs the kernels of
 * layer_kernels.cu compiled as C: a launch runs every thread of the grid in turn, with blockIdx, blockDim and
 * threadIdx set as CUDA would. A module knows the kernels its "PTX" (from the fake NVRTC) names; a kernel is found by
 * name, as cuModuleGetFunction does.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fake_device.h"

typedef struct { unsigned int x, y, z; } fake_dim3;
static fake_dim3 blockIdx, blockDim, threadIdx;

#define SVDWB_KERNEL static
#define SVDWB_INDEX ((long long) blockIdx.x * blockDim.x + threadIdx.x)
#include "layer_kernels.cu"

enum { CUDA_SUCCESS = 0, CUDA_ERROR_INVALID_VALUE = 1, CUDA_ERROR_NOT_INITIALIZED = 3, CUDA_ERROR_INVALID_IMAGE = 200,
       CUDA_ERROR_INVALID_CONTEXT = 201, CUDA_ERROR_INVALID_HANDLE = 400, CUDA_ERROR_NOT_FOUND = 500,
       CUDA_ERROR_LAUNCH_FAILED = 719 };

/* Each kernel's parameters as cuLaunchKernel passes them: an array of pointers to the values. */
#define P(type, i) (*(type *) params[i])
static void run_rms_norm(void **params) {
    rms_norm(P(const float *, 0), P(const float *, 1), P(float *, 2), P(int, 3), P(int, 4), P(double, 5));
}
static void run_silu_times(void **params) { silu_times(P(float *, 0), P(const float *, 1), P(long long, 2)); }
static void run_add_in_place(void **params) { add_in_place(P(float *, 0), P(const float *, 1), P(long long, 2)); }
static void run_causal_softmax(void **params) { causal_softmax(P(float *, 0), P(int, 1), P(int, 2), P(float, 3)); }
static void run_rope(void **params) {
    rope(P(float *, 0), P(const float *, 1), P(const float *, 2), P(int, 3), P(int, 4), P(int, 5), P(int, 6));
}
static void run_add_bias(void **params) { add_bias(P(float *, 0), P(const float *, 1), P(int, 2), P(int, 3)); }
static void run_to_double(void **params) { to_double(P(const float *, 0), P(double *, 1), P(long long, 2)); }
static void run_abs_statistics(void **params) {
    abs_statistics(P(const double *, 0), P(double *, 1), P(double *, 2), P(int, 3), P(int, 4));
}
static void run_token_nll(void **params) {
    token_nll(P(const float *, 0), P(const int *, 1), P(double *, 2), P(int, 3), P(int, 4));
}

typedef struct { const char *name; void (*run)(void **); } kernel;
static const kernel KERNELS[] = {
    {"rms_norm", run_rms_norm}, {"silu_times", run_silu_times}, {"add_in_place", run_add_in_place},
    {"causal_softmax", run_causal_softmax}, {"token_nll", run_token_nll}, {"rope", run_rope}, {"add_bias", run_add_bias},
    {"to_double", run_to_double}, {"abs_statistics", run_abs_statistics},
};
#define KERNEL_COUNT (sizeof(KERNELS) / sizeof(KERNELS[0]))

typedef struct { int magic; char *ptx; } module;
#define MODULE_MAGIC 0x30d01e
static int initialised, context_current;
static int context_token = 7;

int cuInit(unsigned int flags) { fake_count("cuInit"); if (flags) return CUDA_ERROR_INVALID_VALUE; initialised = 1; return 0; }

int cuDeviceGet(int *device, int ordinal) {
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (ordinal != 0) return CUDA_ERROR_INVALID_VALUE;
    *device = 0;
    return CUDA_SUCCESS;
}

int cuDevicePrimaryCtxRetain(void **context, int device) {
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (device != 0) return CUDA_ERROR_INVALID_VALUE;
    *context = &context_token;
    return CUDA_SUCCESS;
}

int cuCtxSetCurrent(void *context) {
    if (context != &context_token) return CUDA_ERROR_INVALID_CONTEXT;
    context_current = 1;
    return CUDA_SUCCESS;
}

int cuModuleLoadData(module **out, const void *image) {
    fake_count("cuModuleLoadData");
    if (!context_current) return CUDA_ERROR_INVALID_CONTEXT;
    if (image == NULL || strncmp((const char *) image, "// fake PTX", 11) != 0) return CUDA_ERROR_INVALID_IMAGE;
    module *m = malloc(sizeof(module));
    m->magic = MODULE_MAGIC;
    m->ptx = strdup((const char *) image);
    *out = m;
    return CUDA_SUCCESS;
}

int cuModuleUnload(module *m) {
    if (m == NULL || m->magic != MODULE_MAGIC) return CUDA_ERROR_INVALID_HANDLE;
    m->magic = 0;
    free(m->ptx);
    free(m);
    return CUDA_SUCCESS;
}

int cuModuleGetFunction(const kernel **out, module *m, const char *name) {
    if (m == NULL || m->magic != MODULE_MAGIC) return CUDA_ERROR_INVALID_HANDLE;
    char entry[256];
    snprintf(entry, sizeof entry, ".entry %s\n", name);
    if (strstr(m->ptx, entry) == NULL) return CUDA_ERROR_NOT_FOUND;
    for (size_t i = 0; i < KERNEL_COUNT; i++) {
        if (strcmp(KERNELS[i].name, name) == 0) { *out = &KERNELS[i]; return CUDA_SUCCESS; }
    }
    return CUDA_ERROR_NOT_FOUND;
}

int cuLaunchKernel(const kernel *f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx, unsigned int by,
                   unsigned int bz, unsigned int shared, void *stream, void **params, void **extra) {
    fake_count("cuLaunchKernel");
    (void) stream;
    if (f == NULL) return CUDA_ERROR_INVALID_HANDLE;
    if (gx == 0 || gy != 1 || gz != 1 || bx == 0 || bx > 1024 || by != 1 || bz != 1 || shared != 0 || extra != NULL
            || params == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    blockDim.x = bx; blockDim.y = 1; blockDim.z = 1;
    for (unsigned int b = 0; b < gx; b++) {
        for (unsigned int t = 0; t < bx; t++) {
            blockIdx.x = b; threadIdx.x = t;
            f->run(params);
        }
    }
    return CUDA_SUCCESS;
}

int cuGetErrorName(int error, const char **text) {
    switch (error) {
        case CUDA_SUCCESS: *text = "CUDA_SUCCESS"; return 0;
        case CUDA_ERROR_INVALID_VALUE: *text = "CUDA_ERROR_INVALID_VALUE"; return 0;
        case CUDA_ERROR_NOT_INITIALIZED: *text = "CUDA_ERROR_NOT_INITIALIZED"; return 0;
        case CUDA_ERROR_INVALID_IMAGE: *text = "CUDA_ERROR_INVALID_IMAGE"; return 0;
        case CUDA_ERROR_INVALID_CONTEXT: *text = "CUDA_ERROR_INVALID_CONTEXT"; return 0;
        case CUDA_ERROR_INVALID_HANDLE: *text = "CUDA_ERROR_INVALID_HANDLE"; return 0;
        case CUDA_ERROR_NOT_FOUND: *text = "CUDA_ERROR_NOT_FOUND"; return 0;
        default: *text = NULL; return CUDA_ERROR_INVALID_VALUE;
    }
}
