/* A fake libcudart.so.13 over host memory: the symbols and semantics the CUDA backend uses, nothing more. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <pthread.h>
#include "fake_device.h"

#define MAX_ALLOCATIONS 4096
#define MAX_NAMES 64

typedef struct { char *ptr; size_t bytes; } allocation;
static allocation live[MAX_ALLOCATIONS];
static size_t used_bytes;
/* the backend frees unreachable device matrices from a cleaner thread while other calls run */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t limit_bytes;          /* from FAKE_CUDA_MEMORY_BYTES; 0 = 1 TiB */
static struct { const char *name; long count; } calls[MAX_NAMES];

enum { cudaSuccess = 0, cudaErrorInvalidValue = 1, cudaErrorMemoryAllocation = 2, cudaErrorInvalidDevice = 101,
       cudaErrorInvalidMemcpyDirection = 21 };

static size_t limit(void) {
    if (limit_bytes == 0) {
        const char *env = getenv("FAKE_CUDA_MEMORY_BYTES");
        limit_bytes = env ? (size_t) strtoull(env, NULL, 10) : ((size_t) 1 << 40);
    }
    return limit_bytes;
}

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

static void count_locked(const char *name);

void fake_count(const char *name) {
    pthread_mutex_lock(&count_lock);
    count_locked(name);
    pthread_mutex_unlock(&count_lock);
}

static void count_locked(const char *name) {
    for (int i = 0; i < MAX_NAMES; i++) {
        if (calls[i].name == NULL) { calls[i].name = name; calls[i].count = 1; return; }
        if (strcmp(calls[i].name, name) == 0) { calls[i].count++; return; }
    }
}

long fake_calls(const char *name) {
    for (int i = 0; i < MAX_NAMES && calls[i].name; i++) {
        if (strcmp(calls[i].name, name) == 0) return calls[i].count;
    }
    return 0;
}

long fake_live_allocations(void) {
    long n = 0;
    pthread_mutex_lock(&table_lock);
    for (int i = 0; i < MAX_ALLOCATIONS; i++) if (live[i].ptr) n++;
    pthread_mutex_unlock(&table_lock);
    return n;
}

/* Test control: the device's size from now on (0 = back to FAKE_CUDA_MEMORY_BYTES or 1 TiB). */
void fake_set_memory_limit(size_t bytes) { limit_bytes = bytes; }

int fake_is_device(const void *ptr, size_t bytes) {
    const char *p = ptr;
    int found = 0;
    pthread_mutex_lock(&table_lock);
    for (int i = 0; i < MAX_ALLOCATIONS && !found; i++) {
        if (live[i].ptr && p >= live[i].ptr && p + bytes <= live[i].ptr + live[i].bytes) found = 1;
    }
    pthread_mutex_unlock(&table_lock);
    return found;
}

int cudaGetDeviceCount(int *count) { fake_count("cudaGetDeviceCount"); *count = 1; return cudaSuccess; }

int cudaSetDevice(int device) { fake_count("cudaSetDevice"); return device == 0 ? cudaSuccess : cudaErrorInvalidDevice; }

int cudaRuntimeGetVersion(int *version) { *version = 13000; return cudaSuccess; }

int cudaMalloc(void **ptr, size_t bytes) {
    fake_count("cudaMalloc");
    int status = cudaErrorMemoryAllocation;
    *ptr = NULL;
    pthread_mutex_lock(&table_lock);
    if (used_bytes + bytes <= limit()) {
        for (int i = 0; i < MAX_ALLOCATIONS; i++) {
            if (live[i].ptr == NULL) {
                /* filled with a pattern: like device memory, a caller that reads before writing sees garbage */
                live[i].ptr = malloc(bytes ? bytes : 1);
                if (!live[i].ptr) break;
                memset(live[i].ptr, 0x7f, bytes);
                live[i].bytes = bytes;
                used_bytes += bytes;
                *ptr = live[i].ptr;
                status = cudaSuccess;
                break;
            }
        }
    }
    pthread_mutex_unlock(&table_lock);
    return status;
}

int cudaFree(void *ptr) {
    fake_count("cudaFree");
    if (ptr == NULL) return cudaSuccess;
    int status = cudaErrorInvalidValue;
    pthread_mutex_lock(&table_lock);
    for (int i = 0; i < MAX_ALLOCATIONS; i++) {
        if (live[i].ptr == ptr) {
            free(live[i].ptr);
            used_bytes -= live[i].bytes;
            live[i].ptr = NULL;
            live[i].bytes = 0;
            status = cudaSuccess;
            break;
        }
    }
    pthread_mutex_unlock(&table_lock);
    return status;
}

/* kinds: 0 host->host, 1 host->device, 2 device->host, 3 device->device, 4 default */
int cudaMemcpy(void *dst, const void *src, size_t bytes, int kind) {
    fake_count("cudaMemcpy");
    int dst_dev = fake_is_device(dst, bytes), src_dev = fake_is_device(src, bytes);
    if ((kind == 1 && (!dst_dev || src_dev)) || (kind == 2 && (dst_dev || !src_dev)) || (kind == 3 && (!dst_dev || !src_dev))
            || kind < 0 || kind > 4) {
        return cudaErrorInvalidMemcpyDirection;
    }
    memmove(dst, src, bytes);
    return cudaSuccess;
}

int cudaMemset(void *ptr, int value, size_t bytes) {
    fake_count("cudaMemset");
    if (!fake_is_device(ptr, bytes)) return cudaErrorInvalidValue;
    memset(ptr, value, bytes);
    return cudaSuccess;
}

int cudaMemGetInfo(size_t *free_bytes, size_t *total) {
    *total = limit();
    *free_bytes = limit() - used_bytes;
    return cudaSuccess;
}

int cudaDeviceSynchronize(void) { fake_count("cudaDeviceSynchronize"); return cudaSuccess; }

const char *cudaGetErrorName(int error) {
    switch (error) {
        case cudaSuccess: return "cudaSuccess";
        case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
        case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
        case cudaErrorInvalidMemcpyDirection: return "cudaErrorInvalidMemcpyDirection";
        case cudaErrorInvalidDevice: return "cudaErrorInvalidDevice";
        default: return "cudaErrorUnknown";
    }
}
