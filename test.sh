#!/usr/bin/env bash
# Runs every test (engine and headless workbench UI) on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/use-jdk.sh
exec mvn -B verify "$@"
