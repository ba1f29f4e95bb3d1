#!/usr/bin/env bash
# Side by side with PyTorch (docs/BENCHMARKS.md): SVD-LLM whitening + truncation of one LLaMA safetensors checkpoint
# by the built engine (engine/target/svdwb bench pipeline) and by our PyTorch implementation of the same stages
# (scripts/bench_torch_svdllm.py), on the same token windows, one after the other; prints a Markdown table of the
# per-stage seconds and peak RSS and writes it to OUT_DIR/comparison.md.
#
#   scripts/bench-vs-pytorch.sh MODEL_DIR [--calib-samples N] [--calib-length L] [--eval-tokens T] [--ctx C]
#                               [--ratio R] [--layers SPEC] [--threads K] [--svd auto|gesdd|gram] [--repeat N]
#                               [--out-dir DIR]
#
# --svd picks the SVD path of both sides alike (default auto: through the Gram matrix and a symmetric eigensolver for
# matrices whose shorter side is 2048 or more, gesdd below; the engine gets it as -Dsvdwb.svd in SVDWB_JAVA_OPTS).
#
# --repeat N runs the two sides N times, alternating (svdwb, PyTorch, svdwb, ...), and compares each side's best time per
# stage (its largest peak RSS): one run per side is at the mercy of the machine's drift, which has moved the sgemm rate
# by 7 % between runs here. Each run's JSON is kept as engine-I.json and pytorch-I.json; default 1.
#
# Defaults: 8 calibration windows of 512 tokens, 4096 evaluation tokens in windows of 512, ratio 0.4, all layers,
# torch threads = nproc, OUT_DIR = target/bench-vs-pytorch. The engine writes OUT_DIR/windows.json (the token ids
# it used) and OUT_DIR/engine.json; the PyTorch side reads that windows.json and writes OUT_DIR/pytorch.json.
# Needs no Maven: build first (./test.sh or mvn -B -DskipTests package). SVDWB_CLI overrides the CLI's path.
#
# The venv: $SVDWB_BENCH_VENV, default .venv-interop in the repository (the one scripts/interop.sh makes, git-ignored);
# made and filled with `pip install torch transformers safetensors` when missing.
#
# Exit status: 0 both sides ran; 1 a side failed; 2 bad arguments; 3 the benchmark did NOT run (no built CLI or no
# `bench pipeline` in it, no model folder, no python3, no venv module, pip could not install): it says so and why.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${SVDWB_BENCH_VENV:-$ROOT/.venv-interop}
CLI=${SVDWB_CLI:-$ROOT/engine/target/svdwb}

not_run() {
    echo "bench-vs-pytorch: did NOT run: $*" >&2
    exit 3
}
usage() {
    sed -n '7,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[ $# -ge 1 ] || usage
MODEL=$1
shift
CALIB_SAMPLES=8 CALIB_LENGTH=512 EVAL_TOKENS=4096 CTX=512 RATIO=0.4 LAYERS=all SVD=auto REPEAT=1
THREADS=$(nproc 2>/dev/null || echo 2)
OUT_DIR=$ROOT/target/bench-vs-pytorch
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || { echo "bench-vs-pytorch: $1 needs a value" >&2; usage; }
    case $1 in
        --calib-samples) CALIB_SAMPLES=$2 ;;
        --calib-length) CALIB_LENGTH=$2 ;;
        --eval-tokens) EVAL_TOKENS=$2 ;;
        --ctx) CTX=$2 ;;
        --ratio) RATIO=$2 ;;
        --layers) LAYERS=$2 ;;
        --threads) THREADS=$2 ;;
        --repeat) case $2 in ''|*[!0-9]*|0) echo "bench-vs-pytorch: --repeat must be a positive integer" >&2; usage ;; *) REPEAT=$2 ;; esac ;;
        --svd) case $2 in auto|gesdd|gram) SVD=$2 ;; *) echo "bench-vs-pytorch: --svd must be auto, gesdd or gram" >&2; usage ;; esac ;;
        --out-dir) OUT_DIR=$2 ;;
        *) echo "bench-vs-pytorch: unknown option $1" >&2; usage ;;
    esac
    shift 2
done

[ -f "$MODEL/config.json" ] || not_run "$MODEL has no config.json"
[ -x "$CLI" ] || not_run "$CLI is missing; build it first (./test.sh or mvn -B -DskipTests package)"
"$CLI" bench --help 2>/dev/null | grep -qE '^ +pipeline( |$)' \
    || not_run "$CLI has no 'bench pipeline' command; rebuild the engine from a newer checkout"
command -v python3 >/dev/null 2>&1 || not_run "no python3 on PATH"
if [ ! -x "$VENV/bin/python" ]; then
    echo "bench-vs-pytorch: creating the venv $VENV" >&2
    python3 -m venv "$VENV" >&2 || { rm -rf "$VENV"; not_run "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"; }
fi
if ! "$VENV/bin/python" -c 'import torch, safetensors' >/dev/null 2>&1; then
    echo "bench-vs-pytorch: installing torch transformers safetensors into $VENV (minutes, once)" >&2
    "$VENV/bin/pip" install -q torch transformers safetensors >&2 \
        || not_run "pip install torch transformers safetensors into $VENV failed (no package index reachable?)"
    "$VENV/bin/python" -c 'import torch, safetensors' >/dev/null 2>&1 \
        || not_run "torch/safetensors still do not import from $VENV"
fi

mkdir -p "$OUT_DIR" || not_run "cannot create $OUT_DIR"
WINDOWS=$OUT_DIR/windows.json ENGINE=$OUT_DIR/engine.json TORCH=$OUT_DIR/pytorch.json
rm -f "$WINDOWS" "$ENGINE" "$TORCH" "$OUT_DIR/comparison.md" "$OUT_DIR"/engine-*.json "$OUT_DIR"/pytorch-*.json

# Both sides read the checkpoint from the page cache: otherwise the side that runs first pays the disk for both.
echo "bench-vs-pytorch: reading $MODEL once into the page cache" >&2
cat "$MODEL"/*.safetensors > /dev/null || not_run "cannot read the .safetensors files of $MODEL"

for run in $(seq 1 "$REPEAT"); do
    echo "bench-vs-pytorch: svdwb bench pipeline on $MODEL (run $run of $REPEAT)" >&2
    SVDWB_JAVA_OPTS="${SVDWB_JAVA_OPTS:-} -Dsvdwb.svd=$SVD" "$CLI" bench pipeline --model "$MODEL" --calib-samples "$CALIB_SAMPLES" --calib-length "$CALIB_LENGTH" \
        --eval-tokens "$EVAL_TOKENS" --ctx "$CTX" --ratio "$RATIO" --layers "$LAYERS" \
        --windows-out "$WINDOWS" --json-out "$OUT_DIR/engine-$run.json" >&2 \
        || { echo "bench-vs-pytorch: svdwb bench pipeline failed (exit $?)" >&2; exit 1; }
    [ -s "$WINDOWS" ] && [ -s "$OUT_DIR/engine-$run.json" ] || { echo "bench-vs-pytorch: svdwb wrote no $WINDOWS or engine-$run.json" >&2; exit 1; }

    echo "bench-vs-pytorch: PyTorch ($THREADS threads) on the same windows (run $run of $REPEAT)" >&2
    "$VENV/bin/python" "$ROOT/scripts/bench_torch_svdllm.py" --model "$MODEL" --windows "$WINDOWS" --ratio "$RATIO" \
        --threads "$THREADS" --layers "$LAYERS" --svd "$SVD" --json-out "$OUT_DIR/pytorch-$run.json" >&2 \
        || { echo "bench-vs-pytorch: scripts/bench_torch_svdllm.py failed (exit $?)" >&2; exit 1; }
done

# each side's best run per stage (and its largest peak RSS) into engine.json and pytorch.json
"$VENV/bin/python" - "$OUT_DIR" "$REPEAT" <<'EOF' || exit 1
import json, sys

folder, repeat = sys.argv[1], int(sys.argv[2])
for side in ("engine", "pytorch"):
    runs = [json.load(open(f"{folder}/{side}-{i}.json")) for i in range(1, repeat + 1)]
    best = dict(runs[0])
    best["stages"] = {s: min(r["stages"][s] for r in runs) for s in runs[0]["stages"]}
    best["peak_rss_bytes"] = max(r["peak_rss_bytes"] for r in runs)
    best["runs"] = repeat  # the other fields (sgemm and stage rates, perplexity) are run 1's
    json.dump(best, open(f"{folder}/{side}.json", "w"), indent=1)
EOF

"$VENV/bin/python" - "$ENGINE" "$TORCH" "$MODEL" "$OUT_DIR/comparison.md" <<'EOF' || exit 1
import json, sys

engine_file, torch_file, model, out = sys.argv[1:5]
e, t = (json.load(open(f)) for f in (engine_file, torch_file))
STAGES = ["load", "calibration_forward", "gram", "cholesky", "svd", "evaluation", "total"]


def ratio(a, b):
    return f"{a / b:.2f}" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b > 0 else "-"


def secs(x):
    if not isinstance(x, (int, float)):
        return "-"
    return f"{x:.2f}" if x >= 1 else f"{x:.3f}"


runs = e.get("runs", 1)
lines = [f"Model `{model}`: {t.get('layers')} layer(s) compressed at ratio {t.get('ratio')}, "
         f"{t.get('calibration_tokens')} calibration and {t.get('evaluation_tokens')} evaluation tokens; "
         f"svdwb sgemm {e.get('sgemm_gflops', '-')} GFLOP/s, threads {e.get('threads', '-')}; "
         f"PyTorch {t.get('torch')}, threads {t.get('threads')}; SVD path {t.get('svd_solver', 'gesdd')} on both sides"
         + (f"; each side's best of {runs} alternating runs per stage (peak RSS: the largest)." if runs > 1 else "."),
         "",
         "| stage | svdwb s | pytorch s | ratio (ours/theirs) |",
         "|---|---|---|---|"]
for s in STAGES:
    a, b = e.get("stages", {}).get(s), t.get("stages", {}).get(s)
    lines.append(f"| {s} | {secs(a)} | {secs(b)} | {ratio(a, b)} |")
a, b = e.get("peak_rss_bytes"), t.get("peak_rss_bytes")
gb = lambda x: f"{x / 1e9:.2f} GB" if isinstance(x, (int, float)) else "-"
lines.append(f"| peak RSS | {gb(a)} | {gb(b)} | {ratio(a, b)} |")
pe, pt = e.get("perplexity"), t.get("perplexity")
rel = abs(pe - pt) / pt if isinstance(pe, (int, float)) and isinstance(pt, (int, float)) and pt else None
fmt = lambda x: f"{x:.6f}" if isinstance(x, (int, float)) else "-"
lines.append(f"| perplexity (original model) | {fmt(pe)} | {fmt(pt)} | {'rel. diff %.1e' % rel if rel is not None else '-'} |")
notes = []
for key in ("calibration_tokens", "evaluation_tokens", "layers"):
    if e.get(key) != t.get(key):
        notes.append(f"{key} differ: svdwb {e.get(key)}, pytorch {t.get(key)}")
if rel is not None and rel > 1e-3:
    notes.append(f"the two perplexities of the same original model differ by {rel:.1e} relative")
if e.get("regularised") != t.get("regularised"):
    notes.append(f"regularised Grams differ: svdwb {e.get('regularised')}, pytorch {t.get('regularised')} "
                 "(PyTorch side: a ridge only where plain Cholesky fails)")
lines += [""] + [f"Note: {n}." for n in notes]
text = "\n".join(lines).rstrip() + "\n"
open(out, "w").write(text)
print(text, end="")
EOF
echo "bench-vs-pytorch: wrote $OUT_DIR/comparison.md" >&2
