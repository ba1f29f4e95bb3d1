#!/usr/bin/env bash
# Writes docs/images/{main,export,soco,compare}-view.png, run-settings.png and the same at 1024 x 700 (NAME-1024x700.png): the real windows
# (not Monocle) on an Xvfb display, driven by ScreenshotTest, SocoScreenshotTest and CompareScreenshotTest.
# Needs xvfb-run. The engine is built in the same reactor, so a stale engine jar in ~/.m2 cannot be picked up.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$PWD/docs/images}
xvfb-run -a -s "-screen 0 1400x900x24" \
  mvn -B -q -o -pl engine,app test -Dheadless=false -Dtest='ScreenshotTest,SocoScreenshotTest,CompareScreenshotTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsvdwb.screenshots="$out"
echo "wrote $out/{main,export,soco,compare}-view.png, run-settings.png and each one's -1024x700.png"
