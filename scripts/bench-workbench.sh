#!/usr/bin/env bash
# Workbench responsiveness (docs/BENCHMARKS.md): runs WorkbenchResponsivenessBench, a main class in the app's test
# sources, on the demo model in the real window, Monocle headless (set DISPLAY and -Dglass.platform to use a display).
# The engine is built in the same reactor, so a stale engine jar in ~/.m2 cannot be picked up.
# Extra arguments go to the JVM, e.g. -Dbench.repeats=40 -Dbench.storms=10.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mvn -B -q -o -pl engine,app test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd app
# The JDK Maven uses (mvn reads ~/.mavenrc the same way), unless JAVA_HOME says otherwise.
if [[ -z "${JAVA_HOME:-}" && -f ~/.mavenrc ]]; then . ~/.mavenrc; fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
"${JAVA_HOME:-/usr}/bin/java" -Xmx4g --enable-native-access=ALL-UNNAMED -Dsvdwb.root="$root" "$@" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.svdwb.app.WorkbenchResponsivenessBench
