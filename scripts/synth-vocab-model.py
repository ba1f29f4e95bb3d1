#!/usr/bin/env python3
"""Writes a small random LLaMA checkpoint with a large vocabulary, for measuring evaluation memory.

usage: scripts/synth-vocab-model.py OUT_DIR VOCAB   (needs numpy)

The demo model's shapes (resources/models/stories260K: hidden 64, MLP 172, 5 layers, tied embeddings) with a
VOCAB-row embedding and max_position_embeddings 2048; the weights are random (seed 1), so the perplexity means
nothing. The demo model's 512-token tokenizer is copied: its ids are all below VOCAB, so `svdwb eval` runs on real
text while the output projection produces VOCAB logits per position. At VOCAB 151936 (Qwen's) the model has
9,951,168 parameters (38 MB in float32). See docs/BENCHMARKS.md, "Evaluation memory".
"""
import json
import os
import shutil
import struct
import sys

import numpy as np

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
src = os.path.join(root, "resources", "models", "stories260K")
out, vocab = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
cfg = json.load(open(os.path.join(src, "config.json")))
cfg["vocab_size"] = vocab
cfg["max_position_embeddings"] = 2048
json.dump(cfg, open(os.path.join(out, "config.json"), "w"), indent=1)
for f in ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]:
    shutil.copy(os.path.join(src, f), out)

rng = np.random.default_rng(1)
h, inter, layers, hd = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"], cfg["head_dim"]
heads, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
tensors = {"model.embed_tokens.weight": rng.standard_normal((vocab, h)) * 0.5, "model.norm.weight": np.ones(h)}
for i in range(layers):
    p = f"model.layers.{i}."
    tensors[p + "input_layernorm.weight"] = np.ones(h)
    tensors[p + "post_attention_layernorm.weight"] = np.ones(h)
    for name, shape in [("self_attn.q_proj", (heads * hd, h)), ("self_attn.k_proj", (kv * hd, h)),
                        ("self_attn.v_proj", (kv * hd, h)), ("self_attn.o_proj", (h, heads * hd)),
                        ("mlp.gate_proj", (inter, h)), ("mlp.up_proj", (inter, h)), ("mlp.down_proj", (h, inter))]:
        tensors[p + name + ".weight"] = rng.standard_normal(shape) / np.sqrt(shape[1])

header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
for name, value in tensors.items():
    data = value.astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(value.shape), "data_offsets": [offset, offset + len(data)]}
    offset += len(data)
    blobs.append(data)
encoded = json.dumps(header).encode()
encoded += b" " * ((8 - len(encoded) % 8) % 8)
with open(os.path.join(out, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(encoded)))
    f.write(encoded)
    for data in blobs:
        f.write(data)
print(sum(v.size for v in tensors.values()), "parameters written to", out)
