#!/usr/bin/env bash
# Checks the system libraries JavaFX loads and, on Debian/Ubuntu, installs the missing ones with apt-get
# (as root, or with sudo when it needs no password), as scripts/use-jdk.sh does for the JDK. Otherwise it
# stops with one line naming the missing packages and the command that installs them.
#
#   scripts/system-packages.sh window   what ./run.sh needs: GTK 3 and libXtst (the glass GTK toolkit), fonts,
#                                       and a display (DISPLAY or WAYLAND_DISPLAY)
#   scripts/system-packages.sh tests    what ./test.sh needs: the headless UI tests (Monocle, software
#                                       pipeline) load JavaFX's FreeType/Pango font library, so FreeType,
#                                       fontconfig, Pango and a font; no GTK, no display; and a C compiler
#                                       (the CUDA backend's tests build fake CUDA libraries from cuda/src/test/c)
#
# SVDWB_NO_INSTALL=1 only checks. Why libraries rather than package names: Ubuntu 24.04 renamed libgtk-3-0 to
# libgtk-3-0t64, but the library (libgtk-3.so.0) has one name everywhere, and apt-get still accepts the old
# package name. The library lists come from readelf -d of JavaFX 21's native libraries (docs/STACK.md).
set -uo pipefail

# library, then the Debian/Ubuntu package that holds it
font_libraries=(
  "libfreetype.so.6 libfreetype6"
  "libfontconfig.so.1 libfontconfig1"
  "libpango-1.0.so.0 libpango-1.0-0"
  "libpangoft2-1.0.so.0 libpangoft2-1.0-0"
)
window_libraries=(
  "libgtk-3.so.0 libgtk-3-0"
  "libXtst.so.6 libxtst6"
)
font_package=fonts-dejavu-core

purpose=${1:-}
case "$purpose" in
  window) libraries=("${window_libraries[@]}" "${font_libraries[@]}"); needs="the workbench window needs" ;;
  tests) libraries=("${font_libraries[@]}"); needs="the headless UI tests need" ;;
  *) echo "usage: scripts/system-packages.sh window|tests" >&2; exit 2 ;;
esac

# ldconfig lives in /sbin, which a normal user's PATH may lack.
ldconfig_cache() {
  if command -v ldconfig >/dev/null 2>&1; then ldconfig -p; else /sbin/ldconfig -p; fi 2>/dev/null
}

has_a_font() {
  if command -v fc-list >/dev/null 2>&1; then
    [ -n "$(fc-list 2>/dev/null)" ]
  else
    local dir file
    for dir in /usr/share/fonts /usr/local/share/fonts; do
      for file in "$dir"/*/* "$dir"/*/*/*; do
        case "$file" in *.ttf | *.otf | *.pfb) [ -f "$file" ] && return 0 ;; esac
      done
    done
    return 1
  fi
}

missing_packages() {
  local cache entry library package missing=()
  cache=$(ldconfig_cache)
  for entry in "${libraries[@]}"; do
    library=${entry% *}
    package=${entry#* }
    # ldconfig -p prints each library as a tab, its name, a space: match whole names only
    [[ "$cache" == *$'\t'"$library "* ]] || missing+=("$package")
  done
  has_a_font || missing+=("$font_package")
  if [ "$purpose" = tests ] && ! command -v cc >/dev/null 2>&1; then
    missing+=(gcc libc6-dev)
  fi
  echo "${missing[*]}"
}

# Prints the command that runs apt-get here: as root directly, else through sudo if it asks no password.
apt_runner() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$(id -u)" = 0 ]; then
    echo ""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    echo "sudo -n"
  else
    return 1
  fi
}

install_command() {
  if [ "$(id -u)" = 0 ]; then echo "apt-get install -y $1"; else echo "sudo apt-get install -y $1"; fi
}

has_display() {
  [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]
}

missing=$(missing_packages)

if [ "$purpose" = window ] && ! has_display; then
  # Nothing is installed here: without a display the window cannot open anyway, so say everything at once.
  virtual_display="xvfb-run -a ./run.sh"
  xvfb_packages=""
  command -v xvfb-run >/dev/null 2>&1 || xvfb_packages="xvfb xauth"
  packages="$missing${missing:+${xvfb_packages:+ }}$xvfb_packages"
  problem="no display (DISPLAY and WAYLAND_DISPLAY are unset)"
  [ -n "$missing" ] && problem="$problem and $needs $missing"
  if [ -n "$packages" ]; then
    echo "error: $problem; install and start it under a virtual display with: $(install_command "$packages") && $virtual_display" >&2
  else
    echo "error: $problem; start it under a virtual display with: $virtual_display" >&2
  fi
  exit 1
fi

[ -z "$missing" ] && exit 0

if [ "${SVDWB_NO_INSTALL:-}" != 1 ] && runner=$(apt_runner); then
  log="${TMPDIR:-/tmp}/svdwb-apt-get-$$.log"
  echo "Installing $missing with apt-get ($needs them)..." >&2
  # shellcheck disable=SC2086 # $runner and $missing are word lists
  if DEBIAN_FRONTEND=noninteractive $runner apt-get update -qq >"$log" 2>&1 \
      && DEBIAN_FRONTEND=noninteractive $runner apt-get install -y -qq $missing >>"$log" 2>&1; then
    still_missing=$(missing_packages)
    if [ -z "$still_missing" ]; then
      rm -f "$log"
      exit 0
    fi
    echo "error: apt-get ran, but $needs $still_missing still (log: $log); install them with: $(install_command "$still_missing")" >&2
    exit 1
  fi
  echo "error: apt-get could not install $missing (log: $log); install them with: $(install_command "$missing")" >&2
  exit 1
fi

if command -v apt-get >/dev/null 2>&1; then
  echo "error: $needs the system packages $missing; install them with: $(install_command "$missing")" >&2
else
  echo "error: $needs the system packages $missing (Debian/Ubuntu names); install them with your package manager, on Debian/Ubuntu: $(install_command "$missing")" >&2
fi
exit 1
