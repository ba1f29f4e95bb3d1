#!/usr/bin/env bash
# Writes docs/images/main-view.png and soco-view.png: the real window (not Monocle) on an Xvfb display, driven by ScreenshotTest.
# Needs xvfb-run. The engine is built in the same reactor, so a stale engine jar in ~/.m2 cannot be picked up.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$PWD/docs/images}
xvfb-run -a -s "-screen 0 1400x900x24" \
  mvn -B -q -o -pl engine,app test -Dheadless=false -Dtest='ScreenshotTest,SocoScreenshotTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsvdwb.screenshots="$out"
echo "wrote $out/main-view.png and $out/soco-view.png"
