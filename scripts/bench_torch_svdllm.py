#!/usr/bin/env python3
"""The PyTorch half of the side-by-side benchmark (scripts/bench-vs-pytorch.sh, docs/BENCHMARKS.md): SVD-LLM's
whitening + truncation of a LLaMA-architecture safetensors checkpoint, written by us in plain PyTorch for this
benchmark (not SVD-LLM's own code), run layer-major with bounded memory, plus the perplexity of the original model.

    python scripts/bench_torch_svdllm.py --model DIR --windows WINDOWS.json --ratio 0.4 --threads 2 \
        --json-out OUT.json [--layers all|0-3,6] [--batch 1] [--logit-rows 512]

WINDOWS.json (written by `svdwb bench pipeline --windows-out`): {"calibration": [[ids], ...], "evaluation":
[[ids], ...]}, each list of equal-length windows of token ids.

What it does, all on the CPU:
  calibration  embed every calibration window; for each decoder layer up to the last selected one: load it (fp16/bf16
               converted to float32 per tensor), run it on every window (float32, --batch windows at a time) and,
               for a selected layer, accumulate in float64 the Gram H = sum X^T X of the four projection inputs
               (attention input for q,k,v; attention output for o; MLP input for gate,up; silu(gate)*up for down).
               The ORIGINAL layer's output is the next layer's input (SVD-LLM's whitening on original activations).
  compression  per selected layer and Gram: S = cholesky(H) (float64, lower; if H is not positive definite a ridge
               of 1e-6*mean(diag H) is added, doubled until it works); per projection W [m,n]: SVD of W S (float64),
               k = floor((1-ratio) m n / (m+n)), A = U_k diag(s_k) [m,k], B = V_k^T S^-1 [k,n] by a triangular solve.
               The factors are formed and dropped (this is a timing benchmark; nothing is written).
  evaluation   perplexity of the original model on the evaluation windows, layer-major too: position t predicts
               token t+1; the last position of a window predicts nothing; logits in chunks of --logit-rows rows.

Peak memory is about one layer in float32, the hidden states of all windows of the running pass, the four Grams in
float64 and the SVD's working set. Stage times (time.perf_counter) and the peak RSS go to --json-out; per-layer
progress goes to stderr.
"""
import argparse
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F
from safetensors import safe_open

# Gram name -> the projections whose input it is
GRAMS = {
    "attn_in": ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"),
    "attn_out": ("self_attn.o_proj",),
    "mlp_in": ("mlp.gate_proj", "mlp.up_proj"),
    "mlp_hidden": ("mlp.down_proj",),
}
PROJECTIONS = [p for ps in GRAMS.values() for p in ps]
NORMS = ("input_layernorm", "post_attention_layernorm")
STAGES = ("load", "calibration_forward", "gram", "cholesky", "svd", "evaluation", "total")
DEVICE = torch.device("cpu")   # --device; on a GPU every stage waits for the device before its clock is read


def sync():
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


class Stages:
    """Seconds per stage; `with stages("load"): ...` adds the block's wall time to "load"."""

    def __init__(self):
        self.seconds = {s: 0.0 for s in STAGES}

    def __call__(self, name):
        return _Timed(self.seconds, name)


class _Timed:
    def __init__(self, seconds, name):
        self.seconds, self.name = seconds, name

    def __enter__(self):
        sync()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        sync()
        self.seconds[self.name] += time.perf_counter() - self.start
        return False


class Config:
    """The LLaMA fields of config.json this benchmark uses."""

    def __init__(self, folder):
        with open(os.path.join(folder, "config.json")) as f:
            c = json.load(f)
        self.hidden = c["hidden_size"]
        self.intermediate = c["intermediate_size"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads") or self.heads
        self.head_dim = c.get("head_dim") or self.hidden // self.heads
        self.eps = c.get("rms_norm_eps", 1e-6)
        self.vocab = c["vocab_size"]
        self.layers = c["num_hidden_layers"]
        self.tied = bool(c.get("tie_word_embeddings", False))
        # transformers 5 keeps rope_theta (and the scaling) in rope_parameters; transformers 4 at the top level
        params = dict(c.get("rope_parameters") or c.get("rope_scaling") or {})
        self.rope_theta = float(params.get("rope_theta", c.get("rope_theta", 10000.0)))
        self.rope = params
        self.rope_type = params.get("rope_type") or params.get("type") or "default"
        if self.rope_type not in ("default", "llama3"):
            raise SystemExit(f"bench_torch_svdllm: rope type {self.rope_type!r} is not implemented (default, llama3)")
        if c.get("model_type", "llama") != "llama":
            print(f"bench_torch_svdllm: model_type {c.get('model_type')!r} read as LLaMA", file=sys.stderr)

    def inv_freq(self):
        """theta^(-2i/head_dim) in float32 as transformers computes it, with llama3 scaling when configured."""
        d = self.head_dim
        inv = 1.0 / (self.rope_theta ** (torch.arange(0, d, 2, dtype=torch.int64).to(torch.float32) / d))
        if self.rope_type == "llama3":
            p = self.rope
            factor, lo, hi = p["factor"], p["low_freq_factor"], p["high_freq_factor"]
            old = p["original_max_position_embeddings"]
            wavelen = 2 * math.pi / inv
            scaled = torch.where(wavelen > old / lo, inv / factor, inv)
            smooth = (old / wavelen - lo) / (hi - lo)
            smoothed = (1 - smooth) * scaled / factor + smooth * scaled
            medium = ~(wavelen < old / hi) * ~(wavelen > old / lo)
            inv = torch.where(medium, smoothed, scaled)
        return inv

    def rotary(self, ctx):
        """cos, sin [ctx, head_dim] for positions 0..ctx-1 (the "rotate_half" layout: the frequencies twice)."""
        freqs = torch.outer(torch.arange(ctx, dtype=torch.float32), self.inv_freq())
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos(), emb.sin()


class Checkpoint:
    """Tensors of a safetensors checkpoint, one file or sharded (model.safetensors.index.json), read on demand."""

    def __init__(self, folder):
        index = os.path.join(folder, "model.safetensors.index.json")
        if os.path.exists(index):
            with open(index) as f:
                weight_map = json.load(f)["weight_map"]
            self.file_of = {name: os.path.join(folder, file) for name, file in weight_map.items()}
        else:
            single = os.path.join(folder, "model.safetensors")
            with safe_open(single, framework="pt") as f:
                self.file_of = {name: single for name in f.keys()}

    def has(self, name):
        return name in self.file_of

    def load(self, names):
        """{name: float32 tensor}, each file opened once, each tensor converted to float32 as it is read."""
        by_file = {}
        for name in names:
            if name not in self.file_of:
                raise SystemExit(f"bench_torch_svdllm: tensor {name} is not in the checkpoint")
            by_file.setdefault(self.file_of[name], []).append(name)
        out = {}
        for file, group in by_file.items():
            with safe_open(file, framework="pt") as f:
                for name in group:
                    t = f.get_tensor(name)
                    out[name] = (t if t.dtype == torch.float32 else t.to(torch.float32)).to(DEVICE)
                    del t
        return out

    def layer(self, index):
        """Decoder layer `index`: {short name: tensor}, e.g. "self_attn.q_proj.weight", "input_layernorm.weight"."""
        prefix = f"model.layers.{index}."
        names = [prefix + p + ".weight" for p in PROJECTIONS] + [prefix + n + ".weight" for n in NORMS]
        names += [prefix + p + ".bias" for p in PROJECTIONS if self.has(prefix + p + ".bias")]
        return {name[len(prefix):]: t for name, t in self.load(names).items()}


def rms_norm(x, weight, eps):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def linear(x, w, name):
    return F.linear(x, w[name + ".weight"], w.get(name + ".bias"))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def layer_forward(w, x, cfg, cos, sin, tap=None):
    """One LLaMA decoder layer on x [batch, ctx, hidden] (float32); tap(gram name, projection input) if given."""
    b, t, _ = x.shape
    h = rms_norm(x, w["input_layernorm.weight"], cfg.eps)
    if tap:
        tap("attn_in", h)
    q = linear(h, w, "self_attn.q_proj").view(b, t, cfg.heads, cfg.head_dim).transpose(1, 2)
    k = linear(h, w, "self_attn.k_proj").view(b, t, cfg.kv_heads, cfg.head_dim).transpose(1, 2)
    v = linear(h, w, "self_attn.v_proj").view(b, t, cfg.kv_heads, cfg.head_dim).transpose(1, 2)
    q = q * cos + rotate_half(q) * sin
    k = k * cos + rotate_half(k) * sin
    if cfg.kv_heads != cfg.heads:   # grouped-query attention: each key/value head serves heads/kv_heads query heads
        k = k.repeat_interleave(cfg.heads // cfg.kv_heads, dim=1)
        v = v.repeat_interleave(cfg.heads // cfg.kv_heads, dim=1)
    a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    a = a.transpose(1, 2).reshape(b, t, cfg.heads * cfg.head_dim)
    del q, k, v
    if tap:
        tap("attn_out", a)
    x = x + linear(a, w, "self_attn.o_proj")
    h = rms_norm(x, w["post_attention_layernorm.weight"], cfg.eps)
    if tap:
        tap("mlp_in", h)
    g = F.silu(linear(h, w, "mlp.gate_proj")) * linear(h, w, "mlp.up_proj")
    if tap:
        tap("mlp_hidden", g)
    return x + linear(g, w, "mlp.down_proj")


def rank_for(m, n, ratio):
    """SVD-LLM's rank for a parameter ratio: the k with k(m+n) <= (1-ratio) m n, at least 1, at most min(m,n)."""
    return max(1, min(min(m, n), int(math.floor((1 - ratio) * m * n / (m + n)))))


def whitening(h):
    """(S lower with S S^T = H + ridge I, ridge): plain Cholesky first; else 1e-6*mean(diag H), doubled until it works.
    The ridge is added to H's diagonal in place (H is consumed): no identity matrix and no second copy of an
    11008 x 11008 float64 Gram."""
    s, info = torch.linalg.cholesky_ex(h)
    if info.item() == 0:
        return s, 0.0
    del s
    ridge = 1e-6 * h.diagonal().mean().item()
    if not ridge > 0:
        raise ValueError(f"Gram with mean diagonal {h.diagonal().mean().item()} cannot be regularised")
    added = 0.0
    for _ in range(200):
        h.diagonal().add_(ridge - added)
        added = ridge
        s, info = torch.linalg.cholesky_ex(h)
        if info.item() == 0:
            return s, ridge
        del s
        ridge *= 2
    raise ValueError("Cholesky failed even with a ridge of " + str(ridge))


GRAM_MIN_SIDE = 2048   # the engine's SvdSolver.AUTO rule


def leading_svd(x, k, solver):
    """U_k, s_k, V_k^T of x (float64): by gesdd (torch.linalg.svd), or, as the engine's svdViaGram, from the Gram
    matrix of the shorter side and a symmetric eigensolver (torch.linalg.eigh, LAPACK syevd), the other side's
    vectors by one product. 'auto' takes the Gram path when the shorter side is at least 2048, as the engine does."""
    m, n = x.shape
    if solver == "gesdd" or (solver == "auto" and min(m, n) < GRAM_MIN_SIDE):
        u, sv, vh = torch.linalg.svd(x, full_matrices=False)
        return u[:, :k], sv[:k], vh[:k]
    if m >= n:
        evals, evecs = torch.linalg.eigh(x.T @ x)
        v = evecs.flip(-1)[:, :k]
        sv = evals.flip(-1)[:k].clamp_min(0).sqrt()
        u = (x @ v) / torch.where(sv > 0, sv, torch.ones_like(sv))
        return u, sv, v.T
    evals, evecs = torch.linalg.eigh(x @ x.T)
    u = evecs.flip(-1)[:, :k]
    sv = evals.flip(-1)[:k].clamp_min(0).sqrt()
    vh = (u.T @ x) / torch.where(sv > 0, sv, torch.ones_like(sv))[:, None]
    return u, sv, vh


def truncate(w, s, k, solver="gesdd"):
    """A [m,k] = U_k diag(s_k), B [k,n] = V_k^T S^-1 from the SVD of W S (float64): A B S = rank-k truncation of W S."""
    u, sv, vh = leading_svd(w.to(torch.float64) @ s, k, solver)
    a = u * sv
    b = torch.linalg.solve_triangular(s, vh, upper=False, left=False)   # X S = V_k^T
    return a, b


def parse_layers(spec, count):
    if spec in (None, "", "all"):
        return list(range(count))
    chosen = set()
    for part in spec.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-", 1)
            chosen.update(range(int(lo), int(hi) + 1))
        elif part:
            chosen.add(int(part))
    bad = [i for i in chosen if not 0 <= i < count]
    if bad:
        raise SystemExit(f"bench_torch_svdllm: --layers {spec}: no layer {bad[0]} in a {count}-layer model")
    return sorted(chosen)


def windows_tensor(windows, what, vocab):
    if not windows:
        return torch.zeros((0, 0), dtype=torch.int64)
    lengths = {len(w) for w in windows}
    if len(lengths) != 1:
        raise SystemExit(f"bench_torch_svdllm: {what} windows have different lengths {sorted(lengths)}")
    ids = torch.tensor(windows, dtype=torch.int64)
    if ids.numel() and (ids.min().item() < 0 or ids.max().item() >= vocab):
        raise SystemExit(f"bench_torch_svdllm: {what} token ids outside [0, {vocab})")
    return ids


class Progress:
    """Per-layer lines on stderr with the pass's elapsed time, an ETA from the mean time per layer so far, and the
    stage seconds so far (so that an interrupted long run still shows where its time went)."""

    def __init__(self, what, total, start, stages):
        self.what, self.total, self.start, self.t0 = what, total, start, time.perf_counter()
        self.stages = stages

    def layer(self, i, done, note=""):
        now = time.perf_counter()
        eta = (now - self.t0) / done * (self.total - done)
        so_far = ", ".join(f"{k} {v:.1f}" for k, v in self.stages.seconds.items() if k != "total")
        print(f"{self.what}: layer {i} ({done}/{self.total}) done{note}; elapsed {now - self.start:.1f} s, "
              f"ETA of this pass {eta:.1f} s; stage seconds so far: {so_far}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, folder, batch, logit_rows):
        self.cfg = Config(folder)
        self.ckpt = Checkpoint(folder)
        self.batch = max(1, batch)
        self.logit_rows = max(1, logit_rows)
        self.stages = Stages()
        self.regularised = 0
        self.start = time.perf_counter()

    def embed(self, ids, stage):
        with self.stages("load"):
            table = self.ckpt.load(["model.embed_tokens.weight"])["model.embed_tokens.weight"]
        with self.stages(stage):
            x = F.embedding(ids, table)
        return x

    def calibrate_and_compress(self, ids, selected, ratio, inspect=None, solver="gesdd"):
        """Layer-major calibration over the windows `ids` [N, L] and SVD-LLM truncation of the `selected` layers.
        inspect(layer, weights, grams), if given, sees each selected layer's float32 weights and float64 Grams
        (before the Grams are consumed), and each projection's S and float64 A, B through inspect.factors(layer,
        projection, S, A, B)."""
        if not selected or ids.numel() == 0:
            return
        st, cfg = self.stages, self.cfg
        x = self.embed(ids, "calibration_forward")
        cos, sin = cfg.rotary(ids.shape[1])
        last = max(selected)
        progress = Progress("calibration", last + 1, self.start, st)
        for i in range(last + 1):
            with st("load"):
                w = self.ckpt.layer(i)
            grams = {}
            tap = None
            if i in selected:
                def tap(name, inp):
                    sync()
                    t0 = time.perf_counter()
                    flat = inp.reshape(-1, inp.shape[-1]).to(torch.float64)
                    if name not in grams:
                        grams[name] = torch.zeros((flat.shape[1], flat.shape[1]), dtype=torch.float64)
                    grams[name].addmm_(flat.T, flat)
                    sync()
                    st.seconds["gram"] += time.perf_counter() - t0
            for g in range(0, x.shape[0], self.batch):
                sync()
                t0, gram0 = time.perf_counter(), st.seconds["gram"]
                out = layer_forward(w, x[g:g + self.batch], cfg, cos, sin, tap)
                x[g:g + self.batch] = out
                del out
                sync()
                st.seconds["calibration_forward"] += time.perf_counter() - t0 - (st.seconds["gram"] - gram0)
            note = ""
            if i in selected:
                if inspect:
                    inspect(i, w, grams)
                shapes = []
                for gram, projections in GRAMS.items():
                    with st("cholesky"):
                        s, ridge = whitening(grams.pop(gram))
                    if ridge:
                        self.regularised += 1
                        print(f"calibration: layer {i} {gram} Gram regularised with a ridge of {ridge:.3g}",
                              file=sys.stderr)
                    for p in projections:
                        weight = w[p + ".weight"]
                        m, n = weight.shape
                        k = rank_for(m, n, ratio)
                        with st("svd"):
                            a64, b64 = truncate(weight, s, k, solver)
                            a, b = a64.to(torch.float32), b64.to(torch.float32)
                        if inspect:
                            inspect.factors(i, p, s, a64, b64)
                        shapes.append(f"{p.split('.')[-1]} {m}x{n}->k={k}")
                        del a, b, a64, b64
                    del s
                note = " (" + ", ".join(shapes) + ")"
            del w, grams
            progress.layer(i, i + 1, note)

    def perplexity(self, ids):
        """exp(mean NLL) of the original model over positions 0..ctx-2 of each window [M, ctx] (t predicts t+1)."""
        if ids.numel() == 0 or ids.shape[1] < 2:
            return float("nan"), 0
        st, cfg = self.stages, self.cfg
        x = self.embed(ids, "evaluation")
        cos, sin = cfg.rotary(ids.shape[1])
        progress = Progress("evaluation", cfg.layers, self.start, st)
        for i in range(cfg.layers):
            with st("load"):
                w = self.ckpt.layer(i)
            with st("evaluation"):
                for g in range(0, x.shape[0], self.batch):
                    x[g:g + self.batch] = layer_forward(w, x[g:g + self.batch], cfg, cos, sin)
            del w
            progress.layer(i, i + 1)
        head_name = "lm_head.weight"
        if cfg.tied or not self.ckpt.has(head_name):
            head_name = "model.embed_tokens.weight"
        with st("load"):
            t = self.ckpt.load(["model.norm.weight", head_name])
            norm, head = t["model.norm.weight"], t[head_name]
            del t
        with st("evaluation"):
            hidden = x[:, :-1, :].reshape(-1, cfg.hidden)
            targets = ids[:, 1:].reshape(-1)
            del x
            total = 0.0
            for r in range(0, hidden.shape[0], self.logit_rows):
                h = rms_norm(hidden[r:r + self.logit_rows], norm, cfg.eps)
                logits = (h @ head.T).to(torch.float64)
                tgt = targets[r:r + self.logit_rows]
                total += (torch.logsumexp(logits, dim=-1) - logits.gather(1, tgt[:, None])[:, 0]).sum().item()
                del h, logits
        return math.exp(total / targets.numel()), targets.numel()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="folder with config.json and safetensors weights")
    ap.add_argument("--windows", required=True, help="JSON with 'calibration' and 'evaluation' lists of token windows")
    ap.add_argument("--ratio", type=float, default=0.4, help="parameter ratio removed per projection (SVD-LLM)")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--json-out", required=True)
    ap.add_argument("--layers", default="all", help="layers to compress: all, or e.g. 0-3,6")
    ap.add_argument("--batch", type=int, default=1, help="windows per forward call")
    ap.add_argument("--svd", choices=("auto", "gesdd", "gram"), default="auto",
                    help="SVD of W S: gesdd, the Gram matrix + eigh, or auto (Gram from a shorter side of 2048 on, "
                         "as the engine's default)")
    ap.add_argument("--logit-rows", type=int, default=512, help="rows of logits computed at once")
    ap.add_argument("--device", default="cpu", help="cpu or cuda[:N]: where every tensor is made and computed")
    a = ap.parse_args(argv)
    global DEVICE
    DEVICE = torch.device(a.device)
    torch.set_default_device(DEVICE)
    if not 0 <= a.ratio < 1:
        raise SystemExit(f"bench_torch_svdllm: --ratio {a.ratio} outside [0, 1)")

    torch.set_num_threads(a.threads)
    torch.set_grad_enabled(False)
    bench = Bench(a.model, a.batch, a.logit_rows)
    with open(a.windows) as f:
        windows = json.load(f)
    calib = windows_tensor(windows.get("calibration", []), "calibration", bench.cfg.vocab)
    evals = windows_tensor(windows.get("evaluation", []), "evaluation", bench.cfg.vocab)
    selected = parse_layers(a.layers, bench.cfg.layers)
    print(f"bench_torch_svdllm: torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"{calib.shape[0]} calibration windows x {calib.shape[1] if calib.numel() else 0}, "
          f"{evals.shape[0]} evaluation windows x {evals.shape[1] if evals.numel() else 0}; "
          f"{len(selected)} of {bench.cfg.layers} layers at ratio {a.ratio}", file=sys.stderr, flush=True)

    bench.calibrate_and_compress(calib, selected, a.ratio, solver=a.svd)
    ppl, predicted = bench.perplexity(evals)
    sync()
    bench.stages.seconds["total"] = time.perf_counter() - bench.start

    result = {
        "implementation": "pytorch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "svd_solver": a.svd,
        "stages": {k: round(v, 4) for k, v in bench.stages.seconds.items()},
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,   # kB on Linux
        "device": str(DEVICE),
        "peak_device_bytes": torch.cuda.max_memory_allocated() if DEVICE.type == "cuda" else 0,
        "perplexity": ppl,
        "calibration_tokens": int(calib.numel()),
        "evaluation_tokens": int(evals.numel()),
        "evaluation_predictions": predicted,
        "layers": len(selected) if calib.numel() else 0,
        "regularised": bench.regularised,
        "ratio": a.ratio,
    }
    with open(a.json_out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(json.dumps(result), file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
