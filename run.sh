#!/usr/bin/env bash
# Builds SVD Workbench and opens the workbench on the embedded demo model (resources/models/stories260K).
# Extra arguments go to the workbench (for example a model folder).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/use-jdk.sh
mvn -B -q -DskipTests package
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar app/target/svd-workbench.jar "$@"
