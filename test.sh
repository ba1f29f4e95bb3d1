#!/usr/bin/env bash
# Runs every test (engine and headless workbench UI) on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/use-jdk.sh
scripts/system-packages.sh tests
exec mvn -B verify "$@"
