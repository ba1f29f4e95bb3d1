#!/usr/bin/env bash
# Builds a self-contained app image of SVD Workbench with jpackage (JDK runtime included), and a .deb
# where dpkg-deb and fakeroot are available. Output: installers/out/.
#   installers/build.sh            app image only
#   installers/build.sh --deb      app image and .deb
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/use-jdk.sh
mvn -B -q -DskipTests package
input=installers/out/input
rm -rf installers/out
mkdir -p "$input"
cp app/target/svd-workbench.jar "$input/"
cp app/target/lib/*.jar "$input/"
version=0.1.0
# The bundled runtime is this JDK's: on 23+ let javacpp use sun.misc.Unsafe without a warning (as the launchers do).
unsafe_access=""
if [ "$(svdwb_java_major "$JAVA_HOME")" -ge 23 ]; then unsafe_access=" --sun-misc-unsafe-memory-access=allow"; fi
"$JAVA_HOME/bin/jpackage" --type app-image --name svd-workbench --app-version "$version" \
  --input "$input" --main-jar svd-workbench.jar --main-class io.svdwb.app.Launcher \
  --java-options "--enable-native-access=ALL-UNNAMED$unsafe_access -Dprism.order=sw,es2" \
  --java-options "-Dsvdwb.resources=\$APPDIR/../resources" \
  --app-content resources \
  --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,java.scripting,jdk.crypto.ec \
  --dest installers/out
echo "app image: installers/out/svd-workbench (run installers/out/svd-workbench/bin/svd-workbench)"
if [ "${1:-}" = "--deb" ]; then
  "$JAVA_HOME/bin/jpackage" --type deb --app-image installers/out/svd-workbench --name svd-workbench \
    --app-version "$version" --linux-package-deps "libgtk-3-0, libxtst6" --dest installers/out
  echo "deb: $(ls installers/out/*.deb)"
fi
