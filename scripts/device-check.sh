#!/usr/bin/env bash
# The GPU device check of issue 13, run ON the GPU machine from the repository root, with the bundle that
# scripts/device-bundle.sh made (.device-bundle/part-*) carried there. No JDK and no network are needed there: the
# bundle has its own Java runtime; CUDA comes from the pip packages beside torch (libcudart, libcublas, libcusolver,
# libnvrtc) and the driver's libcuda.so.1. Everything it measures goes to $OUT (the device tool's output folder).
#
#   1. the linalg contract suites and the whole-model checks on the real CUDA libraries (JUnit, from the bundle)
#   2. stories260K perplexity with --device cuda against --device cpu (goal: equal to 1e-4)
#   3. bench pipeline (SVD-LLM whitening + truncation, stage by stage) with --device cuda on a LLaMA-7B-shaped synthetic
#      checkpoint generated there, and the same job by scripts/bench_torch_svdllm.py --device cuda on the same windows
#
# Sizes: SVDWB_CHECK_LAYERS (default 2) decoder layers, SVDWB_CHECK_CALIB (default 32) calibration windows of
# SVDWB_CHECK_LENGTH (default 2048) tokens, evaluation windows of the same length; SVDWB_CHECK_MODEL replaces the
# synthetic checkpoint (a dry run uses the demo model).
# SVDWB_CUDA_LIBRARY_PATH overrides where the CUDA libraries are (a dry run on a CPU machine points it at fakes and
# sets SVDWB_CHECK_TORCH_DEVICE=cpu).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/device-check}
mkdir -p "$out"
layers=${SVDWB_CHECK_LAYERS:-2}
calib=${SVDWB_CHECK_CALIB:-32}
length=${SVDWB_CHECK_LENGTH:-2048}
torch_device=${SVDWB_CHECK_TORCH_DEVICE:-cuda}
work=${SVDWB_CHECK_WORK:-/tmp/svdwb-gpu}
log() { echo "device-check: $*" | tee -a "$out/summary.txt" >&2; }
: > "$out/summary.txt"

if [ ! -x "$work/runtime/bin/java" ]; then
  ls .device-bundle/part-* >/dev/null 2>&1 || { log "no .device-bundle/part-* here: run scripts/device-bundle.sh and carry it"; exit 3; }
  rm -rf "$work" && mkdir -p "$work"
  cat .device-bundle/part-* | xz -d | tar -C "$work" -xf - || { log "the bundle did not unpack"; exit 3; }
fi
log "bundle of commit $(cat "$work/COMMIT" 2>/dev/null), checkout $(git rev-parse --short HEAD 2>/dev/null)"
if [ -z "${SVDWB_CUDA_LIBRARY_PATH:-}" ]; then
  SVDWB_CUDA_LIBRARY_PATH=$(python3 -c "import glob,site;print(':'.join(sorted(glob.glob(site.getsitepackages()[0]+'/nvidia/*/lib'))))")
fi
export SVDWB_CUDA_LIBRARY_PATH
export LD_LIBRARY_PATH="$SVDWB_CUDA_LIBRARY_PATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee -a "$out/summary.txt"

java=("$work/runtime/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx24g)
svdwb() { "${java[@]}" -cp "$work/lib/*" io.svdwb.engine.cli.SvdwbCli "$@"; }

# 1. contract suites and model checks on the real libraries
SECONDS=0
"${java[@]}" -cp "$work/lib/*:$work/test/*" -Dsvdwb.root="$PWD" -Dsvdwb.cuda.real=true io.svdwb.cuda.DeviceTests \
  > "$out/tests.txt" 2>&1
log "tests: exit $? in ${SECONDS}s; $(tail -1 "$out/tests.txt")"

# 2. the demo model's perplexity on both devices
for device in cpu cuda; do
  SECONDS=0
  svdwb eval --device "$device" --ctx 256 --max-tokens 20480 --json --no-progress > "$out/eval-$device.json" 2>"$out/eval-$device.err"
  log "eval --device $device: exit $? in ${SECONDS}s"
done
python3 - "$out" <<'PY' | tee -a "$out/summary.txt"
import json, sys
cpu, gpu = (json.load(open(f"{sys.argv[1]}/eval-{d}.json")) for d in ("cpu", "cuda"))
rel = abs(gpu["perplexity"] - cpu["perplexity"]) / cpu["perplexity"]
print(f"device-check: stories260K perplexity cpu {cpu['perplexity']:.6f} cuda {gpu['perplexity']:.6f} rel. diff {rel:.2e}"
      f" ({'within' if rel <= 1e-4 else 'OUTSIDE'} 1e-4); {gpu.get('device_transfers')}")
PY

# 3. SVD-LLM stage by stage on a LLaMA-7B-shaped checkpoint, ours and PyTorch's, on the same windows
model=${SVDWB_CHECK_MODEL:-/tmp/synth7b-$layers}
if [ ! -f "$model/config.json" ]; then
  SECONDS=0
  svdwb bench synth --layers "$layers" --out "$model" > /dev/null
  log "bench synth --layers $layers: exit $? in ${SECONDS}s"
fi
SECONDS=0
svdwb bench pipeline --device cuda --model "$model" --calib-samples "$calib" --calib-length "$length" --eval-tokens $((4 * length)) --ctx "$length" \
  --windows-out "$out/windows.json" --json-out "$out/svdwb.json" --no-progress > "$out/svdwb.txt" 2>&1
log "bench pipeline --device cuda: exit $? in ${SECONDS}s"
SECONDS=0
PYTHONUNBUFFERED=1 python3 scripts/bench_torch_svdllm.py --model "$model" --windows "$out/windows.json" --device "$torch_device" \
  --json-out "$out/pytorch.json" > "$out/pytorch.txt" 2>&1
log "bench_torch_svdllm --device $torch_device: exit $? in ${SECONDS}s"
python3 - "$out" <<'PY' | tee -a "$out/summary.txt"
import json, sys
e, t = (json.load(open(f"{sys.argv[1]}/{n}.json")) for n in ("svdwb", "pytorch"))
es, ts = e.get("stages", {}), t.get("stages", {})
for stage in ("load", "calibration_forward", "gram", "cholesky", "svd", "evaluation", "total"):
    a, b = es.get(stage), ts.get(stage)
    ratio = f"{a / b:.2f}" if a is not None and b else "-"
    print(f"device-check: {stage:20s} svdwb {a if a is not None else '-':>10} pytorch {b if b is not None else '-':>10} ratio {ratio}")
print(f"device-check: perplexity svdwb {e.get('perplexity')} pytorch {t.get('perplexity')};"
      f" pytorch peak device memory {t.get('peak_device_bytes', 0) / 2**30:.1f} GiB")
PY
