#!/usr/bin/env bash
# Writes docs/images/main-view.png: the real window (not Monocle) on an Xvfb display, driven by ScreenshotTest.
# Needs xvfb-run; build the engine first (mvn -pl engine install -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$PWD/docs/images}
xvfb-run -a -s "-screen 0 1400x900x24" \
  mvn -B -q -o -pl app test -Dheadless=false -Dtest=ScreenshotTest -Dsvdwb.screenshots="$out"
echo "wrote $out/main-view.png"
