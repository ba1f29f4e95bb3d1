/*
 * The elementwise steps of a LLaMA decoder layer and of the loss, on the GPU; compiled at run time by NVRTC
 * (io.svdwb.cuda.LayerKernels). Each mirrors the CPU engine's io.svdwb.engine.model.Activations (and
 * TokenLogProbabilities) operation for operation, with its sums in double, so the two backends agree to rounding.
 *
 * Written one work item (a row or an element) per thread, with no shared memory and no barriers: the fake CUDA
 * driver the tests run on without a GPU compiles this very file as C and runs every thread of a launch in turn
 * (cuda/src/test/c/fake_kernels.c), so what the tests check is this source, not a copy of it. Faster versions (a warp
 * per row) will need their own check on a GPU.
 */
#ifndef SVDWB_KERNEL
#define SVDWB_KERNEL extern "C" __global__
#define SVDWB_INDEX ((long long) blockIdx.x * blockDim.x + threadIdx.x)
#endif

/* y[r, :] = w * (x[r, :] / sqrt(mean(x[r, :]^2) + eps)), one row per thread. */
SVDWB_KERNEL void rms_norm(const float *x, const float *w, float *y, int rows, int width, double eps) {
    long long r = SVDWB_INDEX;
    if (r >= rows) {
        return;
    }
    const float *xr = x + r * width;
    float *yr = y + r * width;
    double sum_squares = 0;
    for (int i = 0; i < width; i++) {
        double v = xr[i];
        sum_squares += v * v;
    }
    float scale = (float) (1.0 / sqrt(sum_squares / width + eps));
    for (int i = 0; i < width; i++) {
        yr[i] = w[i] * (xr[i] * scale);
    }
}

/* gate = silu(gate) * up (SwiGLU), one element per thread. */
SVDWB_KERNEL void silu_times(float *gate, const float *up, long long n) {
    long long i = SVDWB_INDEX;
    if (i >= n) {
        return;
    }
    float g = gate[i];
    gate[i] = (float) (g / (1.0 + exp(-(double) g))) * up[i];
}

/* target += delta (the residual connections), one element per thread. */
SVDWB_KERNEL void add_in_place(float *target, const float *delta, long long n) {
    long long i = SVDWB_INDEX;
    if (i >= n) {
        return;
    }
    target[i] += delta[i];
}

/*
 * Causal softmax in place over stacked [seq_len, seq_len] blocks of scores: row r is position r % seq_len, attends to
 * columns 0..position and gets zeros after it. One row per thread.
 */
SVDWB_KERNEL void causal_softmax(float *scores, int rows, int seq_len, float scale) {
    long long r = SVDWB_INDEX;
    if (r >= rows) {
        return;
    }
    int position = (int) (r % seq_len);
    float *row = scores + r * seq_len;
    float max = -INFINITY;
    for (int j = 0; j <= position; j++) {
        max = fmaxf(max, row[j] * scale);
    }
    double sum = 0;
    for (int j = 0; j <= position; j++) {
        float e = (float) exp((double) (row[j] * scale - max));
        row[j] = e;
        sum += e;
    }
    float inverse = (float) (1.0 / sum);
    for (int j = 0; j <= position; j++) {
        row[j] *= inverse;
    }
    for (int j = position + 1; j < seq_len; j++) {
        row[j] = 0.0f;
    }
}

/*
 * nll[r] = logsumexp(logits[r, :]) - logits[r, targets[r]] in double, one row per thread; a negative target (a
 * position that predicts nothing) gives 0.
 */
SVDWB_KERNEL void token_nll(const float *logits, const int *targets, double *nll, int rows, int vocab) {
    long long r = SVDWB_INDEX;
    if (r >= rows) {
        return;
    }
    if (targets[r] < 0) {
        nll[r] = 0;
        return;
    }
    const float *row = logits + r * vocab;
    double max = -INFINITY;
    for (int i = 0; i < vocab; i++) {
        max = fmax(max, (double) row[i]);
    }
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
        sum += exp(row[i] - max);
    }
    nll[r] = max + log(sum) - row[targets[r]];
}

/*
 * Rotary position embedding in place (Hugging Face's rotate_half: dimension i pairs with i + head_dim / 2) on
 * [rows, heads * head_dim] with position = row % seq_len; cos/sin tables [position * head_dim / 2 + i]. One (row, head)
 * per thread.
 */
SVDWB_KERNEL void rope(float *x, const float *cos_table, const float *sin_table, int rows, int seq_len, int heads,
                       int head_dim) {
    long long item = SVDWB_INDEX;
    if (item >= (long long) rows * heads) {
        return;
    }
    long long r = item / heads;
    int h = (int) (item % heads);
    int half = head_dim / 2;
    const float *c = cos_table + (r % seq_len) * half;
    const float *s = sin_table + (r % seq_len) * half;
    float *base = x + r * heads * head_dim + (long long) h * head_dim;
    for (int i = 0; i < half; i++) {
        float x1 = base[i];
        float x2 = base[i + half];
        base[i] = x1 * c[i] - x2 * s[i];
        base[i + half] = x2 * c[i] + x1 * s[i];
    }
}

/* y[r, :] += bias over a [rows, cols] matrix, one element per thread. */
SVDWB_KERNEL void add_bias(float *y, const float *bias, int rows, int cols) {
    long long i = SVDWB_INDEX;
    if (i >= (long long) rows * cols) {
        return;
    }
    y[i] += bias[i % cols];
}

/* y = (double) x over n values, one per thread: calibration statistics are summed in double. */
SVDWB_KERNEL void to_double(const float *x, double *y, long long n) {
    long long i = SVDWB_INDEX;
    if (i >= n) {
        return;
    }
    y[i] = (double) x[i];
}

/*
 * abs_sum[j] += sum over rows of |x[r, j]| and abs_max[j] = max(abs_max[j], |x[r, j]|) for a [rows, features] double
 * block; one feature per thread, the rows in order, as the CPU accumulator adds them (the sums are then identical).
 */
SVDWB_KERNEL void abs_statistics(const double *x, double *abs_sum, double *abs_max, int rows, int features) {
    long long j = SVDWB_INDEX;
    if (j >= features) {
        return;
    }
    double sum = abs_sum[j];
    double max = abs_max[j];
    for (long long r = 0; r < rows; r++) {
        double a = fabs(x[r * features + j]);
        sum += a;
        if (a > max) {
            max = a;
        }
    }
    abs_sum[j] = sum;
    abs_max[j] = max;
}
