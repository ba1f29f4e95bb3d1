#!/usr/bin/env python3
"""Independent reference for GptqInt8 (docs/METHODS.md §2.6): the GPTQ recursion written as the authors' code writes it
(IST-DASLab/gptq, fasterquant without lazy batches: dead inputs set to 1 and their columns zeroed, 1 % damping of the
mean diagonal, Hinv = upper Cholesky factor of cholesky_inverse(cholesky(H))), in torch float64, on the engine's grid
(symmetric int8, one scale per row = max |w_i| / 127 in float32, round half to even, clamp to [-127, 127]).

Writes engine/src/test/resources/io/svdwb/engine/compress/quant/gptq-reference.json, which GptqInt8Test compares
code for code. Run: /tmp/venv-config/bin/python scripts/gptq_reference.py
"""
import json
import os

import torch

ROWS, COLS, TOKENS = 12, 40, 200
OUT = os.path.join(os.path.dirname(__file__), "..", "engine", "src", "test", "resources", "io", "svdwb", "engine",
                   "compress", "quant", "gptq-reference.json")


def main():
    g = torch.Generator().manual_seed(20261207)
    w = (torch.randn(ROWS, COLS, generator=g) * torch.logspace(0, -2, ROWS)[:, None]).to(torch.float32)
    # correlated inputs (a random mixing of independent features), one input that never fires
    x = torch.randn(COLS, COLS, generator=g, dtype=torch.float64) @ torch.randn(COLS, TOKENS, generator=g, dtype=torch.float64)
    x[7, :] = 0
    h = x @ x.T

    scales = (w.abs().amax(dim=1) / 127).to(torch.float32)
    W = w.to(torch.float64).clone()
    H = h.clone()
    dead = torch.diag(H) == 0
    H[dead, dead] = 1
    W[:, dead] = 0
    H += 0.01 * torch.mean(torch.diag(H)) * torch.eye(COLS, dtype=torch.float64)
    hinv = torch.linalg.cholesky(torch.cholesky_inverse(torch.linalg.cholesky(H)), upper=True)
    s = scales.to(torch.float64)
    codes = torch.zeros(ROWS, COLS, dtype=torch.int64)
    for j in range(COLS):
        q = torch.clamp(torch.round(W[:, j] / s), -127, 127)
        codes[:, j] = q.to(torch.int64)
        err = (W[:, j] - s * q) / hinv[j, j]
        W[:, j:] -= err[:, None] * hinv[j, j:][None, :]
    with open(OUT, "w") as f:
        json.dump(dict(rows=ROWS, cols=COLS, w=w.flatten().tolist(), h=h.flatten().tolist(),
                       scales=scales.tolist(), codes=codes.flatten().tolist(),
                       torch=torch.__version__), f)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
