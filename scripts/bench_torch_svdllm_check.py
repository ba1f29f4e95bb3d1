#!/usr/bin/env python3
"""Checks scripts/bench_torch_svdllm.py against Hugging Face transformers on tiny random LLaMA models built by
transformers itself (scripts/random_hf_models.py), and checks its SVD-LLM factors against the mathematics.

    python scripts/bench_torch_svdllm_check.py [--work DIR]

Needs torch, transformers, safetensors, numpy (e.g. the venv of scripts/interop.sh). Takes seconds. Checks:
  (a) the script's perplexity (its own layer-major forward, run through its command line) == transformers'
      LlamaForCausalLM perplexity on the same evaluation windows with the same rule (position t predicts t+1,
      positions 0..ctx-2), to 1e-4 relative; for three models: GQA + untied + float32 in one file; the same with
      transformers 4's config keys; llama3 rope scaling + tied embeddings + attention and MLP biases, stored in
      bfloat16 in three shards (transformers reads it back as float32 too).
  (b) the script's four Gram matrices of every layer (calibration, layer-major on original activations) == the
      Grams of the projection inputs captured by forward hooks in transformers' whole-model forward, 1e-5 relative.
  (c) the factors of every projection of the first model: A B S == the rank-k truncation of W S computed separately
      by numpy's SVD; ||(W - A B) S||_F^2 == the sum of the discarded squared singular values (Eckart-Young);
      ||(W - A B) S||_F decreases with k and ||A B - W||_F / ||W||_F is ~0 at k = min(m, n).
  (d) the ridge path: a rank-deficient H is regularised and S S^T == H + ridge I.
Prints one line per check and exits 1 on any failure.
"""
import argparse
import json
import math
import os
import shutil
import sys
import tempfile

import numpy as np
import torch
from transformers import AutoModelForCausalLM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_torch_svdllm as bt  # noqa: E402
from random_hf_models import build, old_keys  # noqa: E402

PPL_TOL = 1e-4
GRAM_TOL = 1e-5
SEED = 20261207
COMMON = dict(vocab_size=256, hidden_size=64, intermediate_size=160, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
              rms_norm_eps=1e-5, initializer_range=0.05, bos_token_id=1, eos_token_id=2)
CASES = {
    "gqa-untied-f32": dict(tie_word_embeddings=False, rope_parameters=dict(rope_type="default", rope_theta=10000.0)),
    "gqa-untied-f32-old-keys": None,
    "llama3-tied-bias-bf16-sharded": dict(
        tie_word_embeddings=True, attention_bias=True, mlp_bias=True,
        rope_parameters=dict(rope_type="llama3", rope_theta=500000.0, factor=8.0, low_freq_factor=1.0,
                             high_freq_factor=4.0, original_max_position_embeddings=16)),
}
HOOKED = {"attn_in": "self_attn.q_proj", "attn_out": "self_attn.o_proj", "mlp_in": "mlp.gate_proj",
          "mlp_hidden": "mlp.down_proj"}

failures = []


def check(ok, line):
    print(("ok    " if ok else "FAIL  ") + line)
    if not ok:
        failures.append(line)


def make(work, name, extra):
    folder = os.path.join(work, name)
    if extra is None:   # transformers 4 config keys, same weights as the first case
        shutil.copytree(os.path.join(work, "gqa-untied-f32"), folder)
        with open(os.path.join(folder, "config.json")) as f:
            config = json.load(f)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(old_keys(config), f, indent=2)
        return folder
    model = build("llama", COMMON, extra, SEED)
    if "bf16" in name:
        model = model.to(torch.bfloat16)
        model.save_pretrained(folder, safe_serialization=True, max_shard_size="60KB")
    else:
        model.save_pretrained(folder, safe_serialization=True)
    return folder


def reference(folder, calib, evals):
    """transformers' perplexity on `evals` and the float64 Grams of the hooked projection inputs over `calib`."""
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager").eval()
    grams = {}
    hooks = []
    for i, layer in enumerate(model.model.layers):
        for gram, proj in HOOKED.items():
            module = layer.get_submodule(proj)

            def hook(_module, args, i=i, gram=gram):
                x = args[0].reshape(-1, args[0].shape[-1]).to(torch.float64)
                grams[(i, gram)] = grams.get((i, gram), 0) + x.T @ x
            hooks.append(module.register_forward_pre_hook(hook))
    with torch.no_grad():
        model(calib)
        for h in hooks:
            h.remove()
        logits = model(evals).logits.to(torch.float64)
    lp = torch.log_softmax(logits[:, :-1, :], dim=-1)
    nll = -lp.gather(2, evals[:, 1:, None]).sum().item()
    return math.exp(nll / (evals.shape[0] * (evals.shape[1] - 1))), grams


class Recorder:
    """The script's Grams and factors, through calibrate_and_compress's inspect hook."""

    def __init__(self):
        self.grams, self.weights, self.factors_seen = {}, {}, {}

    def __call__(self, layer, weights, grams):
        for name, h in grams.items():
            self.grams[(layer, name)] = h.clone()
        for name, w in weights.items():
            self.weights[(layer, name)] = w.clone()

    def factors(self, layer, proj, s, a, b):
        self.factors_seen[(layer, proj)] = (s.clone(), a, b)


def check_factors(rec, ratio):
    for (layer, proj), (s, a, b) in sorted(rec.factors_seen.items()):
        w = rec.weights[(layer, proj + ".weight")].to(torch.float64)
        m, n = w.shape
        k = a.shape[1]
        check(k == bt.rank_for(m, n, ratio), f"layer {layer} {proj}: k = {k} for {m}x{n} at ratio {ratio}")
        ws = (w @ s).numpy()
        u, sv, vt = np.linalg.svd(ws, full_matrices=False)
        trunc = (u[:, :k] * sv[:k]) @ vt[:k]
        got = (a @ b @ s).numpy()
        rel = np.linalg.norm(got - trunc) / np.linalg.norm(ws)
        check(rel < 1e-10, f"layer {layer} {proj}: ||A B S - trunc_k(W S)|| / ||W S|| = {rel:.2e} (numpy SVD)")
        err2 = np.linalg.norm(((w - a @ b) @ s).numpy()) ** 2
        tail = float(np.sum(sv[k:] ** 2))
        check(abs(err2 - tail) <= 1e-9 * np.sum(sv ** 2),
              f"layer {layer} {proj}: ||(W - A B) S||^2 = {err2:.6e}, discarded sigma^2 = {tail:.6e}")
        # the Gram path (--svd gram, the engine's svdViaGram) gives the same truncation as numpy's SVD; its error
        # bound is n eps (sigma_1 / sigma_k)^2 (docs/STACK.md), far below 1e-8 on these whitened matrices
        ga, gb = bt.truncate(w, s, k, "gram")
        rel_gram = np.linalg.norm((ga @ gb @ s).numpy() - trunc) / np.linalg.norm(ws)
        bound = 10 * max(m, n) * np.finfo(np.float64).eps * (sv[0] / sv[k - 1]) ** 2
        check(rel_gram < max(bound, 1e-12), f"layer {layer} {proj}: Gram path ||A B S - trunc_k(W S)|| / ||W S|| = "
              f"{rel_gram:.2e} (bound {bound:.1e})")
        # a sweep of k through the script's own truncate()
        ks = sorted({1, max(1, min(m, n) // 4), max(1, min(m, n) // 2), k, min(m, n)})
        whitened, plain = [], []
        for kk in ks:
            aa, bb = bt.truncate(w, s, kk)
            whitened.append(torch.linalg.norm((w - aa @ bb) @ s).item())
            plain.append((torch.linalg.norm(aa @ bb - w) / torch.linalg.norm(w)).item())
        decreasing = all(x > y for x, y in zip(whitened, whitened[1:]))
        check(decreasing and plain[-1] < 1e-10 and plain[-1] < plain[0],
              f"layer {layer} {proj}: k {ks}: ||(W-AB)S|| {['%.3g' % x for x in whitened]}, "
              f"||AB-W||/||W|| {['%.3g' % x for x in plain]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=None, help="folder for the models (default: a temporary one, removed)")
    ap.add_argument("--ratio", type=float, default=0.4)
    a = ap.parse_args()
    torch.set_grad_enabled(False)
    work = a.work or tempfile.mkdtemp(prefix="bench-torch-check-")
    os.makedirs(work, exist_ok=True)
    try:
        gen = torch.Generator().manual_seed(7)
        calib = torch.randint(0, COMMON["vocab_size"], (4, 32), generator=gen)
        evals = torch.randint(0, COMMON["vocab_size"], (3, 48), generator=gen)
        windows = os.path.join(work, "windows.json")
        with open(windows, "w") as f:
            json.dump({"calibration": calib.tolist(), "evaluation": evals.tolist()}, f)
        for name, extra in CASES.items():
            folder = make(work, name, extra)
            shards = len([f for f in os.listdir(folder) if f.endswith(".safetensors")])
            ref_ppl, ref_grams = reference(folder, calib, evals)

            # (a) through the command line, as bench-vs-pytorch.sh runs it
            out = os.path.join(work, name + ".json")
            result = bt.main(["--model", folder, "--windows", windows, "--ratio", str(a.ratio), "--threads", "2",
                              "--json-out", out, "--batch", "2", "--logit-rows", "50"])
            with open(out) as f:
                written = json.load(f)
            keys = {"implementation", "torch", "threads", "stages", "peak_rss_bytes", "perplexity",
                    "calibration_tokens", "evaluation_tokens", "layers", "regularised"}
            check(keys <= written.keys() and set(bt.STAGES) == written["stages"].keys()
                  and written == json.loads(json.dumps(result)),
                  f"{name}: JSON written with the keys and stages {list(bt.STAGES)}")
            rel = abs(result["perplexity"] - ref_ppl) / ref_ppl
            check(rel < PPL_TOL, f"{name} ({shards} shard(s)): perplexity script {result['perplexity']:.8f} vs "
                                 f"transformers {ref_ppl:.8f}, rel {rel:.2e} (tolerance {PPL_TOL:g})")
            check(result["calibration_tokens"] == calib.numel() and result["evaluation_tokens"] == evals.numel()
                  and result["layers"] == COMMON["num_hidden_layers"],
                  f"{name}: {result['calibration_tokens']} calibration and {result['evaluation_tokens']} "
                  f"evaluation tokens, {result['layers']} layers")

            # (b) Grams, and (c) factors on the first model
            bench = bt.Bench(folder, batch=3, logit_rows=512)
            rec = Recorder()
            bench.calibrate_and_compress(calib, bt.parse_layers("all", bench.cfg.layers), a.ratio, rec)
            worst = max((torch.linalg.norm(rec.grams[key] - h) / torch.linalg.norm(h)).item()
                        for key, h in ref_grams.items())
            check(set(rec.grams) == set(ref_grams) and worst < GRAM_TOL,
                  f"{name}: {len(rec.grams)} Grams vs transformers' hooked inputs, worst rel {worst:.2e}")
            if name == "gqa-untied-f32":
                check_factors(rec, a.ratio)

        # (d) the ridge path on a rank-deficient Gram (8 samples in 32 dimensions)
        x = torch.randn(8, 32, dtype=torch.float64, generator=gen)
        h = x.T @ x
        s, ridge = bt.whitening(h.clone())
        rel = (torch.linalg.norm(s @ s.T - h - ridge * torch.eye(32, dtype=torch.float64)) / torch.linalg.norm(h)).item()
        check(ridge > 0 and rel < 1e-12, f"rank-8 32x32 Gram: ridge {ridge:.3g} "
                                         f"({ridge / h.diagonal().mean().item():.3g} x mean diag), ||S S^T - H - rI||/||H|| {rel:.1e}")
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"bench_torch_svdllm_check: {len(failures)} check(s) FAILED", file=sys.stderr)
        return 1
    print("bench_torch_svdllm_check: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
