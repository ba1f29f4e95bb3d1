#!/usr/bin/env python3
"""Interoperability suite: Hugging Face transformers (and the `tokenizers` library) as the independent reference
for the engine's CLI. Run through scripts/interop.sh, which makes the venv and builds nothing: it needs the
built launcher engine/target/svdwb.

For each family (llama with transformers-5 `rope_parameters` and the same weights with the old
`rope_theta`/`rope_scaling` keys, both with llama3 rope scaling, the other way round under transformers 4.x, see
TWIN; mistral; qwen2; qwen3) it builds a small random-weight model with transformers itself (vocabulary 512, the
demo model's tokenizer), then checks
  (a) `svdwb eval --json` perplexity == transformers' perplexity on the first --max-tokens tokens of WikiText-2
      test (docs/METHODS.md §5.1 protocol: one BOS at the start, non-overlapping windows of ctx, tail dropped,
      NLL over positions 1..ctx-1); transformers runs on the `tokenizers` ids, checked equal to the engine's,
  (b) the dense export of `svdwb compress --method svd-llm --ratio 0.4 --format dense` loads with
      AutoModelForCausalLM.from_pretrained and transformers' perplexity of it == the engine's,
  (b') the factored export of `svdwb compress --method svd-llm --ratio 0.4 --format factored` loads with
      AutoModelForCausalLM.from_pretrained(trust_remote_code=True) (the export's modeling_svdwb.py: each compressed
      projection as two small linear layers), transformers' perplexity of it == the engine's, and its parameter
      count (sum of p.numel()) == the count the export stored (`export_parameters`) < the dense model's;
      for qwen3 also a Duo-SVD 0.4 factored export, which must hold column-preserving modules (CLinear, kept columns),
      and for llama a SoCo 0.4 factored export (a short 4/4/4-step schedule: what is checked is the loading) and an
      SVD-LLM 0.4 factored export with int8 factors (`--factor-dtype int8`: I8 codes and F32 row scales, which
      modeling_svdwb.py dequantises; docs/METHODS.md §2.6),
  (c) `svdwb tokenize` ids == the `tokenizers` library's ids on tokenizer.json (a WikiText-2 excerpt,
      a text with literal special tokens such as PTB's <unk>, and the evaluation stream itself).
Perplexities agree to REL_TOL relative. It prints a table and exits 1 on any failure.
"""
import argparse
import copy
import json
import math
import os
import shutil
import subprocess
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch
import transformers
from tokenizers import Tokenizer
from transformers import AutoModelForCausalLM

from random_hf_models import build, new_keys, old_keys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TOKENIZER_DIR = os.path.join(ROOT, "resources", "models", "stories260K")
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
WIKITEXT = os.path.join(ROOT, "resources", "data", "wikitext-2", "wiki.test.raw")

# Relative tolerance on perplexity. Both sides compute in float32; rel. diff of ppl = |difference of mean NLL|.
# A float32 forward pass of these models rounds the logits at about 1e-6 relative, and the rounding of a mean over
# thousands of predictions partly cancels: the float32-vs-float64 gap of transformers itself (printed as
# "tf32-tf64") is the measured size of that rounding, and it sits one to two orders below 1e-5.
REL_TOL = 1e-5

SEED = 20261207
COMMON = dict(vocab_size=512, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
              rms_norm_eps=1e-5, initializer_range=0.05, bos_token_id=1, eos_token_id=2)

# transformers 4.x knows only the old config keys (top-level rope_theta, rope_scaling): there the models are built
# with those.
TRANSFORMERS_4 = int(transformers.__version__.split(".")[0]) < 5

# The llama twin: the same weights and config as "llama" in the other config form. Under transformers 5, "llama" has
# rope_parameters and the twin the old keys. Under 4.x, "llama" has the old keys and the twin only rope_parameters,
# which 4.x's own classes do not read (they would run the default rope): the twin is then checked on its factored
# export alone, whose modeling_svdwb.py maps rope_parameters to 4.x's keys (rope_parameters_for_4x).
TWIN, TWIN_KEYS = ("llama-new-keys", new_keys) if TRANSFORMERS_4 else ("llama-old-keys", old_keys)

# name -> (model_type, config extras, config form)
CASES = {
    # llama3 rope scaling with a small original context so that the scaling changes the frequencies used
    "llama": ("llama", dict(tie_word_embeddings=False, rope_parameters=dict(
        rope_type="llama3", rope_theta=500000.0, factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
        original_max_position_embeddings=16)), "rope_parameters"),
    TWIN: ("llama", None, "rope_parameters" if TRANSFORMERS_4 else "rope_theta/rope_scaling"),   # see TWIN
    # sliding window longer than ctx: the engine does not implement a sliding mask (docs/CONFIG.md)
    "mistral": ("mistral", dict(tie_word_embeddings=False, sliding_window=128), "rope_parameters"),
    "qwen2": ("qwen2", dict(tie_word_embeddings=True), "rope_parameters"),
    "qwen3": ("qwen3", dict(head_dim=32, tie_word_embeddings=True, attention_bias=True), "rope_parameters"),
}

SPECIAL_TEXT = ("the <unk> said that <unk> <unk> N years ago </s> and <s> began .\n"
                " <unk>-<unk> at<unk>the end <unk>\n\n = = Heading = = \n café naïve 東京 <s></s>")


def make_models(work):
    folders = {}
    for name, (model_type, extra, form) in CASES.items():
        folder = os.path.join(work, "models", name)
        shutil.rmtree(folder, ignore_errors=True)
        if extra is None:   # the twin of "llama"
            shutil.copytree(folders["llama"], folder)
            with open(os.path.join(folder, "config.json")) as f:
                config = json.load(f)
            with open(os.path.join(folder, "config.json"), "w") as f:
                json.dump(TWIN_KEYS(config), f, indent=2)
        else:
            if TRANSFORMERS_4 and "rope_parameters" in extra:
                extra = old_keys(copy.deepcopy(extra))
            build(model_type, COMMON, extra, SEED).save_pretrained(folder, safe_serialization=True)
            for t in TOKENIZER_FILES:
                shutil.copy(os.path.join(TOKENIZER_DIR, t), folder)
            gen = os.path.join(folder, "generation_config.json")
            if os.path.exists(gen):
                os.remove(gen)
        folders[name] = folder
    return folders


def svdwb(args, cli):
    p = subprocess.run([cli] + args, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("svdwb " + " ".join(args) + " exited " + str(p.returncode) + ":\n" + p.stderr[-3000:])
    return json.loads(p.stdout)


LINE_ANCHORED, TEXT_ANCHORED = "^ +| +$", "\\A +| +\\z"


def whole_text_anchors(node):
    """The one documented rewrite the engine makes to tokenizer.json (TokenizerDefinitionFix): the SentencePiece
    converters' normalizer regex '^ +| +$' means the ends of the text, but Oniguruma (in `tokenizers`) reads ^ and $
    at every line break; '\\A +| +\\z' is what SentencePiece does."""
    changed = False
    if isinstance(node, dict):
        if node.get("type") == "Replace" and node.get("pattern", {}).get("Regex") == LINE_ANCHORED:
            node["pattern"]["Regex"] = TEXT_ANCHORED
            changed = True
        for child in node.get("normalizers") or []:
            changed |= whole_text_anchors(child)
    return changed


_tokenizers = {}


def reference_tokenizer(folder, as_engine_reads_it):
    key = (os.path.realpath(os.path.join(folder, "tokenizer.json")), as_engine_reads_it)
    if key not in _tokenizers:
        with open(key[0], encoding="utf-8") as f:
            definition = json.load(f)
        if as_engine_reads_it:
            whole_text_anchors(definition.get("normalizer"))
        _tokenizers[key] = Tokenizer.from_str(json.dumps(definition))
    return _tokenizers[key]


def reference_ids(folder, text, with_bos, as_engine_reads_it=True):
    """The `tokenizers` library on tokenizer.json, no special tokens added; the BOS of §5.1 in front when the
    tokenizer config asks for one (add_bos_token, the same key the engine reads)."""
    ids = reference_tokenizer(folder, as_engine_reads_it).encode(text, add_special_tokens=False).ids
    if with_bos:
        with open(os.path.join(folder, "tokenizer_config.json")) as f:
            if json.load(f).get("add_bos_token", False):
                with open(os.path.join(folder, "config.json")) as g:
                    ids = [json.load(g)["bos_token_id"]] + ids
    return ids


def transformers_ppl(folder, ids, ctx, max_tokens, dtype, remote_code=False):
    """Perplexity, predictions, the loaded model's parameter count (sum of p.numel(), tied weights once) and its bytes
    (sum of p.numel() * p.element_size())."""
    model, info = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, attn_implementation="eager",
                                                       output_loading_info=True, trust_remote_code=remote_code)
    problems = {k: sorted(v) for k, v in info.items() if k in ("missing_keys", "unexpected_keys", "mismatched_keys") and v}
    if problems:   # a weight transformers would initialise at random, or one it ignores
        raise RuntimeError(f"from_pretrained({folder}) loading info: {problems}")
    model = model.eval()
    ids = ids[:max_tokens]
    n = len(ids) // ctx
    seqs = torch.tensor(ids[:n * ctx]).view(n, ctx)
    total = 0.0
    with torch.no_grad():
        for b in range(0, n, 8):
            batch = seqs[b:b + 8]
            logits = model(batch).logits.to(torch.float64)
            lp = torch.log_softmax(logits[:, :-1, :], dim=-1)
            total -= lp.gather(2, batch[:, 1:, None]).sum().item()
    predicted = n * (ctx - 1)
    return (math.exp(total / predicted), predicted, sum(p.numel() for p in model.parameters()),
            sum(p.numel() * p.element_size() for p in model.parameters()))


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b)) if len(a) != len(b) else -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(ROOT, "engine", "target", "svdwb"))
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "interop"))
    ap.add_argument("--ctx", type=int, default=64)
    ap.add_argument("--max-tokens", type=int, default=2048)
    ap.add_argument("--excerpt-chars", type=int, default=20000)
    ap.add_argument("--no-exports", action="store_true", help="skip (b) and (b')")
    ap.add_argument("--json-out", help="also write the results as JSON here")
    a = ap.parse_args()

    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    start = time.time()
    os.makedirs(a.work, exist_ok=True)
    with open(WIKITEXT, encoding="utf-8") as f:
        wikitext = f.read()
    texts = {"wikitext-excerpt": os.path.join(a.work, "wikitext-excerpt.txt"),
             "special-tokens": os.path.join(a.work, "special-tokens.txt")}
    with open(texts["wikitext-excerpt"], "w", encoding="utf-8") as f:
        f.write(wikitext[:a.excerpt_chars])
    with open(texts["special-tokens"], "w", encoding="utf-8") as f:
        f.write(SPECIAL_TEXT)

    # the evaluation reads an excerpt (JVM time is the cost, not the model): long enough that its first
    # max_tokens tokens are those of the whole file, which is checked below
    eval_chars = a.max_tokens * 8
    eval_text = os.path.join(a.work, "wikitext-eval-excerpt.txt")
    with open(eval_text, "w", encoding="utf-8") as f:
        f.write(wikitext[:eval_chars])
    print(f"interop: transformers {transformers.__version__}, torch {torch.__version__}, "
          f"ctx {a.ctx}, first {a.max_tokens} tokens of WikiText-2 test, tolerance {REL_TOL:g} relative", flush=True)
    if TRANSFORMERS_4:
        print(f"interop: transformers 4.x: models built with rope_theta/rope_scaling (the only keys it reads); "
              f"the {TWIN} twin has only rope_parameters and is checked on its factored export only", flush=True)
    folders = make_models(a.work)
    rows, token_rows, failures = [], [], []
    dense_counts = {}   # family -> transformers' parameter count of the original

    # (c) tokenizer ids. Engine: `svdwb tokenize`; reference: `tokenizers` on tokenizer.json with the engine's one
    # documented rewrite (failures count). The raw tokenizer.json is also run, to show the documented difference.
    stages = {}
    t0 = time.time()
    raw_notes = []
    for label, path in texts.items():
        with open(path, encoding="utf-8") as f:
            text = f.read()
        engine = svdwb(["tokenize", "--model", folders["llama"], "--text", path, "--json"], a.cli)["ids"]
        ref = reference_ids(folders["llama"], text, False)
        raw = reference_ids(folders["llama"], text, False, as_engine_reads_it=False)
        d = first_difference(engine, ref)
        token_rows.append(dict(family="(tokenizer)", text=label, tokens=len(ref), first_difference=d, ok=d < 0))
        if d >= 0:
            failures.append(f"token ids of {label} differ at index {d}: engine {engine[d:d + 5]} tokenizers {ref[d:d + 5]}")
        draw = first_difference(engine, raw)
        if draw >= 0:
            raw_notes.append(f"{label}: {sum(1 for x, y in zip(engine, raw) if x != y) if len(engine) == len(raw) else 'lengths ' + str(len(engine)) + ' vs ' + str(len(raw)) + ','} "
                             f"first at index {draw} (engine {engine[draw:draw + 3]}, raw tokenizers {raw[draw:draw + 3]})")
    # the evaluation stream of every family (BOS rule per model_type/tokenizer_config), the whole test split
    eval_ids = {}
    for name, folder in folders.items():
        # the whole test split once; per family the stream of the evaluation excerpt (BOS rule per family)
        path, text = (WIKITEXT, wikitext) if name == "llama" else (eval_text, wikitext[:eval_chars])
        engine = svdwb(["tokenize", "--model", folder, "--text", path, "--eval-protocol", "--json"], a.cli)["ids"]
        ref = reference_ids(folder, text, True)
        d = first_difference(engine, ref)
        token_rows.append(dict(family=name, text=("wiki.test.raw" if path == WIKITEXT else "eval excerpt") + " +BOS", tokens=len(ref),
                               first_difference=d, ok=d < 0))
        if d >= 0:
            failures.append(f"{name}: evaluation token stream differs at index {d}: engine {engine[d:d + 5]} "
                            f"tokenizers {ref[d:d + 5]}")
        eval_ids[name] = ref
        if ref[:a.max_tokens] != eval_ids["llama"][:a.max_tokens] or len(ref) < a.max_tokens:
            failures.append(f"{name}: the first {a.max_tokens} tokens of the evaluation excerpt are not those of the "
                            f"whole file (or it is too short)")
    stages["tokenizer checks"] = time.time() - t0

    # (a) and (b) perplexity, transformers on the `tokenizers` stream checked equal to the engine's above
    for name, folder in folders.items():
        only_factored = TRANSFORMERS_4 and name == TWIN   # see TWIN
        kinds = [] if only_factored else [("original", folder)]
        stored = {}   # export folder -> the parameter count the engine verified and reported for it
        if not a.no_exports:
            exports = [("svd-llm", "factored")] if only_factored else [("svd-llm", "dense"), ("svd-llm", "factored")]
            if name == "qwen3":
                exports.append(("duo-svd", "factored"))
            if name == "llama":   # SoCo's export is rank-k factors with per-matrix ranks; a short schedule is enough
                exports.append(("soco", "factored"))
                exports.append(("svd-llm+int8", "factored"))
            for label, fmt in exports:
                method = label.split("+")[0]
                extra = (["--soco-steps", "4,4,4", "--soco-batch", "2", "--soco-batch-length", str(a.ctx),
                          "--soco-polish", "0"] if method == "soco" else [])
                if label.endswith("+int8"):
                    extra = ["--factor-dtype", "int8"]
                t0 = time.time()
                out = os.path.join(a.work, "exports", name + "-" + label.replace("+", "-") + "-0.4-" + fmt)
                shutil.rmtree(out, ignore_errors=True)
                c = svdwb(["compress", "--model", folder, "--method", method, "--ratio", "0.4", "--format", fmt,
                           "--calib-samples", "16", "--calib-length", str(a.ctx), "--out", out, "--json", "--no-progress"]
                          + extra,
                          a.cli)
                stages["engine compress"] = stages.get("engine compress", 0) + time.time() - t0
                stored[out] = c["export_parameters"]
                if method == "duo-svd":
                    with open(os.path.join(out, "config.json")) as f:
                        if not json.load(f).get("column_preserving_kept_columns"):
                            failures.append(f"{name} duo-svd: the export has no column-preserving module, so the "
                                            f"CLinear path of modeling_svdwb.py is not exercised")
                if label.endswith("+int8"):
                    with open(os.path.join(out, "config.json")) as f:
                        if len(json.load(f).get("int8_factors") or []) != len(c["modules"]):
                            failures.append(f"{name} {label}: config.json does not list every compressed module as int8, "
                                            f"so the SvdwbInt8Linear path of modeling_svdwb.py is not exercised")
                kinds.append((fmt + " " + label + " 0.4", out))
        dense_parameters = dense_counts.get("llama") if only_factored else None   # the twin's weights are llama's
        for kind, path in kinds:
            t0 = time.time()
            e = svdwb(["eval", "--model", path, "--text", eval_text, "--ctx", str(a.ctx), "--max-tokens",
                       str(a.max_tokens), "--json", "--no-progress"], a.cli)
            stages["engine eval"] = stages.get("engine eval", 0) + time.time() - t0
            t0 = time.time()
            ids = eval_ids[name] if path == folder else reference_ids(path, wikitext[:eval_chars], True)
            if ids[:a.max_tokens] != eval_ids[name][:a.max_tokens]:
                failures.append(f"{name} {kind}: the export's tokenizer gives other ids than the original's")
            remote = kind.startswith("factored")
            try:
                t32, predicted, parameters, loaded_bytes = transformers_ppl(path, ids, a.ctx, a.max_tokens, torch.float32, remote)
                t64, _, _, _ = transformers_ppl(path, ids, a.ctx, a.max_tokens, torch.float64, remote)
            except Exception as ex:   # an export transformers cannot load is a failure, not a crash
                failures.append(f"{name} {kind}: transformers cannot load/run {path}: {ex}")
                rows.append(dict(family=name, kind=kind, engine=e["perplexity"], transformers=float("nan"),
                                 transformers64=float("nan"), rel=float("nan"), ok=False))
                continue
            finally:
                stages["transformers"] = stages.get("transformers", 0) + time.time() - t0
            if path == folder:
                dense_parameters = dense_counts[name] = parameters
            rel = abs(e["perplexity"] - t32) / t32
            ok = rel <= REL_TOL and e["tokens_predicted"] == predicted
            if remote:   # the factors load as two small layers: the stored count, fewer than the dense model's
                # int8 factors (about twice the rank) hold more numbers than the dense model but fewer bytes: 1 per code,
                # 4 per scale, against 4 per float32 weight of the dense model as loaded here
                smaller = (loaded_bytes < 4 * dense_parameters) if "+int8" in kind else parameters < dense_parameters
                if parameters != stored[path] or not smaller:
                    ok = False
                    failures.append(f"{name} {kind}: transformers holds {parameters} parameters, the export stored "
                                    f"{stored[path]}, the dense model has {dense_parameters}")
            elif path != folder and parameters != dense_parameters:
                ok = False
                failures.append(f"{name} {kind}: transformers holds {parameters} parameters, the dense model "
                                f"{dense_parameters}")
            if e["tokens_predicted"] != predicted:
                failures.append(f"{name} {kind}: engine predicted {e['tokens_predicted']} tokens, transformers {predicted}")
            elif not ok:
                failures.append(f"{name} {kind}: perplexity engine {e['perplexity']:.8f} vs transformers {t32:.8f} "
                                f"(rel {rel:.2e} > {REL_TOL:g})")
            rows.append(dict(family=name, kind=kind, engine=e["perplexity"], transformers=t32, transformers64=t64,
                             rel=rel, predicted=predicted, parameters=parameters, stored_parameters=stored.get(path),
                             ok=ok))

    print()
    print(f"{'family':<15} {'model':<21} {'engine ppl':>14} {'transformers ppl':>17} {'rel diff':>9} "
          f"{'tf32-tf64':>9} {'tf params':>10} {'stored':>10}  result")
    for r in rows:
        gap = abs(r["transformers"] - r["transformers64"]) / r["transformers64"]
        print(f"{r['family']:<15} {r['kind']:<21} {r['engine']:>14.6f} {r['transformers']:>17.6f} {r['rel']:>9.1e} "
              f"{gap:>9.1e} {r.get('parameters', 0):>10} {r.get('stored_parameters') or '':>10}  "
              f"{'pass' if r['ok'] else 'FAIL'}")
    print()
    print(f"{'family':<15} {'tokenized text':<24} {'tokens':>7}  result (engine `svdwb tokenize` vs tokenizers "
          f"{__import__('tokenizers').__version__})")
    for r in token_rows:
        print(f"{r['family']:<15} {r['text']:<24} {r['tokens']:>7}  {'identical' if r['ok'] else 'FAIL'}")
    if raw_notes:
        print("note: `tokenizers` on the unmodified tokenizer.json differs from the engine by design (its Oniguruma "
              "regex strips spaces at every line break, SentencePiece only at the ends of the text; "
              "engine/.../TokenizerDefinitionFix.java): " + "; ".join(raw_notes))
    print("time: " + ", ".join(f"{k} {v:.0f} s" for k, v in stages.items()))
    print()
    seconds = time.time() - start
    if a.json_out:
        with open(a.json_out, "w") as f:
            json.dump(dict(transformers=transformers.__version__, torch=torch.__version__, ctx=a.ctx,
                           max_tokens=a.max_tokens, tolerance=REL_TOL, perplexity=rows, tokens=token_rows,
                           raw_tokenizer_json_differences=raw_notes, stages=stages,
                           seconds=seconds), f, indent=1)
    if failures:
        print("interop: FAILED:")
        for m in failures:
            print("  - " + m)
        return 1
    print(f"interop: all {len(rows)} perplexity and {len(token_rows)} tokenization checks passed in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
