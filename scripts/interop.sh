#!/usr/bin/env bash
# Interoperability suite: Hugging Face transformers and tokenizers as the independent reference for the built CLI
# (engine/target/svdwb). Needs no Maven: build first (./test.sh or mvn -B -DskipTests package).
#
#   scripts/interop.sh [--no-exports] [--ctx N] [--max-tokens N] [--json-out FILE]
#
# Makes (or reuses) a venv with torch, transformers, safetensors: $SVDWB_INTEROP_VENV, default .venv-interop in
# the repository (git-ignored); pip uses whatever index pip is configured with. The first install took 7 min here
# (offline, local index); a run after that takes about 2 min on 2 shared cores, mostly JVM starts.
# Another transformers version: point SVDWB_INTEROP_VENV at a venv that has it (nothing is installed when the imports
# work). 4.x needs 4.56 or newer here; for 4.57.6 next to huggingface-hub 1.x see scripts/relax_hub_check.py.
#
# Exit status: 0 all checks passed; 1 a check failed; 3 the suite did NOT run (no python3, no venv module, pip
# could not install the packages, or no built CLI): it says so and why. SVDWB_INTEROP_REQUIRED=1 turns 3 into 1.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${SVDWB_INTEROP_VENV:-$ROOT/.venv-interop}
CLI=$ROOT/engine/target/svdwb

not_run() {
    echo "interop: the interoperability suite did NOT run: $*" >&2
    if [ "${SVDWB_INTEROP_REQUIRED:-0}" = 1 ]; then exit 1; fi
    exit 3
}

[ -x "$CLI" ] || not_run "$CLI is missing; build it first (./test.sh or mvn -B -DskipTests package)"
command -v python3 >/dev/null 2>&1 || not_run "no python3 on PATH"
if [ ! -x "$VENV/bin/python" ]; then
    echo "interop: creating the venv $VENV" >&2
    python3 -m venv "$VENV" >&2 || { rm -rf "$VENV"; not_run "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"; }
fi
if ! "$VENV/bin/python" -c 'import torch, transformers, safetensors, tokenizers' >/dev/null 2>&1; then
    echo "interop: installing torch transformers safetensors into $VENV (minutes, once)" >&2
    start=$(date +%s)
    "$VENV/bin/pip" install -q torch transformers safetensors >&2 \
        || not_run "pip install torch transformers safetensors into $VENV failed (no package index reachable?)"
    echo "interop: installed in $(( $(date +%s) - start )) s" >&2
    "$VENV/bin/python" -c 'import torch, transformers, safetensors, tokenizers' >/dev/null 2>&1 \
        || not_run "torch/transformers/safetensors/tokenizers still do not import from $VENV"
fi
exec "$VENV/bin/python" "$ROOT/scripts/interop.py" --cli "$CLI" "$@"
