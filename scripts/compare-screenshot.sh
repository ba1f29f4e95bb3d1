#!/usr/bin/env bash
# Writes docs/images/compare-view.png: the real compare window (not Monocle) on an Xvfb display after a small
# sweep on the demo model, driven by CompareScreenshotTest. Needs xvfb-run; build the engine first
# (mvn -pl engine install -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$PWD/docs/images}
xvfb-run -a -s "-screen 0 1400x900x24" \
  mvn -B -q -o -pl app test -Dheadless=false -Dtest=CompareScreenshotTest -Dsvdwb.screenshots="$out"
echo "wrote $out/compare-view.png"
