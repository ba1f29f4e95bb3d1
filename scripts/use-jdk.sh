#!/usr/bin/env bash
# Sourced by the build scripts: exports JAVA_HOME for a JDK 21 or newer, installing one if none is found.
# Why: the machine's default java is 17, and Monocle (headless UI tests) and our release level need 21+.

svdwb_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

svdwb_pick_jdk() {
  local best="" best_major=0 dir major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(svdwb_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then echo "$JAVA_HOME"; return 0; fi
  fi
  for dir in /usr/lib/jvm/*/; do
    dir=${dir%/}
    [ -x "$dir/bin/javac" ] || continue
    major=$(svdwb_java_major "$dir")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best=$dir; best_major=$major
    fi
  done
  [ -n "$best" ] && echo "$best"
}

JAVA_HOME_PICKED=$(svdwb_pick_jdk)
if [ -z "$JAVA_HOME_PICKED" ]; then
  echo "No JDK 21+ found under /usr/lib/jvm; trying to install one with apt-get..." >&2
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && (apt-get install -y -qq openjdk-21-jdk-headless || apt-get install -y -qq openjdk-25-jdk-headless)) >&2 || true
  fi
  JAVA_HOME_PICKED=$(svdwb_pick_jdk)
fi
if [ -z "$JAVA_HOME_PICKED" ]; then
  echo "error: SVD Workbench needs a JDK 21 or newer; install one and set JAVA_HOME" >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$JAVA_HOME_PICKED"
export PATH="$JAVA_HOME/bin:$PATH"
command -v mvn >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq maven >&2; }
# Maven 3.8's bundled Guava reads fields through sun.misc.Unsafe; JDK 24+ prints four WARNING lines on every build
# unless that access is allowed. The option first exists in JDK 23 (21 and 22 refuse to start with it).
if [ "$(svdwb_java_major "$JAVA_HOME")" -ge 23 ] 2>/dev/null; then
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
  esac
fi
