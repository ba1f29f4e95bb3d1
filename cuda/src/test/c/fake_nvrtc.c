/*
 * A fake libnvrtc.so.13: "compiles" a kernel source to a fake PTX that lists the kernels it defines (".entry NAME"
 * lines, found after each "SVDWB_KERNEL void "), which the fake driver then runs as C. A source with "#error" fails
 * to compile with the line in the log, as NVRTC reports a compilation error.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

enum { NVRTC_SUCCESS = 0, NVRTC_ERROR_INVALID_INPUT = 3, NVRTC_ERROR_INVALID_PROGRAM = 4, NVRTC_ERROR_COMPILATION = 6 };

typedef struct { int magic; char *source; char *ptx; char *log; } program;
#define MAGIC 0x4e5652

static int valid(const program *p) { return p != NULL && p->magic == MAGIC; }

int nvrtcCreateProgram(program **out, const char *source, const char *name, int headers, const char *const *contents,
                       const char *const *names) {
    (void) name; (void) contents; (void) names;
    if (out == NULL || source == NULL || headers < 0) return NVRTC_ERROR_INVALID_INPUT;
    program *p = calloc(1, sizeof(program));
    p->magic = MAGIC;
    p->source = strdup(source);
    *out = p;
    return NVRTC_SUCCESS;
}

int nvrtcCompileProgram(program *p, int count, const char *const *options) {
    if (!valid(p)) return NVRTC_ERROR_INVALID_PROGRAM;
    for (int i = 0; i < count; i++) {
        if (options[i] == NULL || options[i][0] != '-') return NVRTC_ERROR_INVALID_INPUT;
    }
    const char *error = strstr(p->source, "#error");
    if (error != NULL) {
        const char *end = strchr(error, '\n');
        size_t n = end ? (size_t) (end - error) : strlen(error);
        p->log = malloc(n + 32);
        snprintf(p->log, n + 32, "kernels.cu: error: %.*s", (int) n, error);
        return NVRTC_ERROR_COMPILATION;
    }
    size_t size = 64;
    char *ptx = malloc(size);
    strcpy(ptx, "// fake PTX\n");
    const char *marker = "SVDWB_KERNEL void ";
    for (const char *at = strstr(p->source, marker); at != NULL; at = strstr(at + 1, marker)) {
        const char *name = at + strlen(marker);
        size_t n = strcspn(name, "(");
        size_t used = strlen(ptx);
        while (used + n + 16 > size) { size *= 2; ptx = realloc(ptx, size); }
        snprintf(ptx + used, size - used, ".entry %.*s\n", (int) n, name);
    }
    p->ptx = ptx;
    p->log = strdup("");
    return NVRTC_SUCCESS;
}

int nvrtcGetPTXSize(program *p, size_t *size) {
    if (!valid(p) || p->ptx == NULL) return NVRTC_ERROR_INVALID_PROGRAM;
    *size = strlen(p->ptx) + 1;
    return NVRTC_SUCCESS;
}

int nvrtcGetPTX(program *p, char *out) {
    if (!valid(p) || p->ptx == NULL) return NVRTC_ERROR_INVALID_PROGRAM;
    strcpy(out, p->ptx);
    return NVRTC_SUCCESS;
}

int nvrtcGetProgramLogSize(program *p, size_t *size) {
    if (!valid(p)) return NVRTC_ERROR_INVALID_PROGRAM;
    *size = (p->log ? strlen(p->log) : 0) + 1;
    return NVRTC_SUCCESS;
}

int nvrtcGetProgramLog(program *p, char *out) {
    if (!valid(p)) return NVRTC_ERROR_INVALID_PROGRAM;
    strcpy(out, p->log ? p->log : "");
    return NVRTC_SUCCESS;
}

int nvrtcDestroyProgram(program **p) {
    if (p == NULL || !valid(*p)) return NVRTC_ERROR_INVALID_PROGRAM;
    (*p)->magic = 0;
    free((*p)->source); free((*p)->ptx); free((*p)->log); free(*p);
    *p = NULL;
    return NVRTC_SUCCESS;
}

const char *nvrtcGetErrorString(int result) {
    switch (result) {
        case NVRTC_SUCCESS: return "NVRTC_SUCCESS";
        case NVRTC_ERROR_INVALID_INPUT: return "NVRTC_ERROR_INVALID_INPUT";
        case NVRTC_ERROR_INVALID_PROGRAM: return "NVRTC_ERROR_INVALID_PROGRAM";
        case NVRTC_ERROR_COMPILATION: return "NVRTC_ERROR_COMPILATION";
        default: return "NVRTC_ERROR_UNKNOWN";
    }
}
