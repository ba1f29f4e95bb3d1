#!/usr/bin/env python3
"""Builds the tiny random-weight checkpoints under engine/src/test/resources/transformers-fixtures/
with Hugging Face transformers itself, and records transformers' own per-token log-probabilities on a
fixed token sequence (expected.json), so the Java tests compare the engine with transformers without Python.

Run:  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch transformers safetensors
      /tmp/venv/bin/python scripts/make_transformers_fixtures.py

Each case: config.json and model.safetensors exactly as save_pretrained writes them (float32), plus
expected.json with the token ids, transformers' float32 log-probabilities of every next token (positions
0..n-2), the same in float64 (the rounding of the float32 reference itself), and the perplexity.
A case may also carry configs in other forms for the same weights (config.<form>.json).
"""
import json
import math
import os
import shutil
import sys

import torch
import transformers

from random_hf_models import build, old_keys

OUT = os.path.join(os.path.dirname(__file__), "..", "engine", "src", "test", "resources", "transformers-fixtures")
SEED = 20261206
TOKENS = [1, 17, 93, 5, 64, 64, 2, 120, 33, 7, 81, 45, 127, 0, 19, 56, 77, 102, 3, 28, 91, 11, 66, 40]

COMMON = dict(vocab_size=128, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
              rms_norm_eps=1e-5, initializer_range=0.2)

CASES = {
    # Qwen3: explicit head_dim 16 != hidden/heads 8, per-head q_norm/k_norm, tied lm_head
    "qwen3-tied": ("qwen3", dict(head_dim=16, tie_word_embeddings=True)),
    # Qwen3 with biases on q/k/v/o and its own lm_head
    "qwen3-untied-bias": ("qwen3", dict(head_dim=16, tie_word_embeddings=False, attention_bias=True)),
    # Llama 3.1-style rotary scaling, saved by transformers 5 as rope_parameters; a small original context
    # so that the scaling changes the frequencies that these 24 positions use
    "llama-llama3-rope": ("llama", dict(tie_word_embeddings=False, rope_parameters=dict(
        rope_type="llama3", rope_theta=500000.0, factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
        original_max_position_embeddings=8))),
    "mistral-linear-rope": ("mistral", dict(tie_word_embeddings=False, sliding_window=32, rope_parameters=dict(
        rope_type="linear", rope_theta=10000.0, factor=2.0))),
    "qwen2-yarn-rope": ("qwen2", dict(tie_word_embeddings=True, rope_parameters=dict(
        rope_type="yarn", rope_theta=1000000.0, factor=4.0, original_max_position_embeddings=16))),
}


def log_probs(model, dtype):
    m = model.to(dtype)
    with torch.no_grad():
        logits = m(torch.tensor([TOKENS])).logits[0].to(torch.float64)
    lp = torch.log_softmax(logits, dim=-1)
    return [lp[t, TOKENS[t + 1]].item() for t in range(len(TOKENS) - 1)]


def main():
    for name, (model_type, extra) in CASES.items():
        folder = os.path.join(OUT, name)
        shutil.rmtree(folder, ignore_errors=True)
        model = build(model_type, COMMON, extra, SEED)
        model.save_pretrained(folder, safe_serialization=True)
        lp32 = log_probs(model, torch.float32)
        lp64 = log_probs(model, torch.float64)
        nll = -sum(lp32) / len(lp32)
        with open(os.path.join(folder, "config.json")) as f:
            config = json.load(f)
        if "rope_parameters" in config:
            with open(os.path.join(folder, "config.old-keys.json"), "w") as f:
                json.dump(old_keys(config), f, indent=2)
        expected = dict(transformers_version=transformers.__version__, torch_version=torch.__version__,
                        tokens=TOKENS, logprobs_float32=lp32, logprobs_float64=lp64,
                        mean_nll_float32=nll, perplexity_float32=math.exp(nll))
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump(expected, f, indent=1)
        gen = os.path.join(folder, "generation_config.json")
        if os.path.exists(gen):
            os.remove(gen)
        print(name, "ppl", math.exp(nll), "max |lp32 - lp64|", max(abs(a - b) for a, b in zip(lp32, lp64)), file=sys.stderr)


if __name__ == "__main__":
    main()
