#!/usr/bin/env bash
# Builds what the GPU device check runs (scripts/device-check.sh), for a machine with no JDK and no network:
#   .device-bundle/part-00, part-01, ...   one xz-compressed tar split in pieces of at most 40 MiB, holding
#     runtime/   a jlinked Java runtime (Temurin 25)
#     lib/       the engine, the cuda module and every jar they need, stored uncompressed (see device_bundle_jars.py)
#     test/      the engine's and the cuda module's test classes and JUnit, for the contract suites on the GPU
# The device tool carries at most 64 MiB per command, the repository's tracked files included (about 21 MB), and the
# bundle is larger than one command's share (ND4J's native CPU library alone is 323 MB before compression; the CUDA
# backend still keeps its host arrays in ND4J): carry it over two commands, part by part (docs/GPU.md says how).
# Needs a JDK 22+ (scripts/use-jdk.sh), Maven with the project built offline-able, python3 and xz.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-jdk.sh >/dev/null
out=.device-bundle
rm -rf "$out"
mkdir -p "$out/stage"

echo "device-bundle: building the engine and the cuda module" >&2
mvn -B -o -q package -DskipTests -pl engine,cuda
mvn -B -o -q dependency:build-classpath -pl cuda -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$out/test.classpath" >/dev/null

echo "device-bundle: jlinking a runtime" >&2
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.management,jdk.unsupported
jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --output "$out/stage/runtime"

echo "device-bundle: copying the jars" >&2
python3 scripts/device_bundle_jars.py "$out/stage/lib" engine/target/svdwb.jar cuda/target/cuda-*-SNAPSHOT.jar engine/target/lib/*.jar
# the test classes and JUnit (only what lib/ lacks)
test_jars=()
IFS=: read -ra entries < "$out/test.classpath" || true  # no newline at its end
for jar in "${entries[@]}"; do
  [ -f "$out/stage/lib/$(basename "$jar")" ] || test_jars+=("$jar")
done
python3 scripts/device_bundle_jars.py "$out/stage/test" "${test_jars[@]}"
(cd engine/target/test-classes && jar --create --no-compress --file "$OLDPWD/$out/stage/test/engine-tests.jar" .)
(cd cuda/target/test-classes && jar --create --no-compress --file "$OLDPWD/$out/stage/test/cuda-tests.jar" .)
git rev-parse HEAD > "$out/stage/COMMIT"

echo "device-bundle: compressing (xz -9, a minute or two)" >&2
tar -C "$out/stage" -cf - . | xz -9 -T0 > "$out/bundle.tar.xz"
split -b 40m -d "$out/bundle.tar.xz" "$out/part-"
rm -rf "$out/stage" "$out/bundle.tar.xz" "$out/test.classpath"
ls -l "$out" >&2
echo "device-bundle: $(du -cb "$out"/part-* | tail -1 | cut -f1) bytes in $(ls "$out"/part-* | wc -l) part(s)" >&2
