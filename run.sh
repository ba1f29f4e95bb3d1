#!/usr/bin/env bash
# Builds SVD Workbench and opens the workbench on the embedded demo model (resources/models/stories260K).
# Extra arguments go to the workbench (for example a model folder).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/use-jdk.sh
# Before the build: a missing GTK 3 or display should stop us in a second with one line, not after a minute.
scripts/system-packages.sh window
mvn -B -q -Dstyle.color=never -DskipTests package
exec app/target/svd-workbench "$@"
