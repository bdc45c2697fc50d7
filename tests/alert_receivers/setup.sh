#!/usr/bin/env bash
# setup.sh DEST LINKDIR: the real alert receivers the alert_receivers target delivers to, on this machine.
#   Keep:         keephq 0.2.7 from PyPI, --no-deps, with keep-requirements.txt, in its own virtualenv DEST/keep
#                 (Keep 0.2.7 wants Python 3.11); LINKDIR/claudeops-keep-python runs its python.
#   Alertmanager: Debian's prometheus-alertmanager, installed with apt-get when it is not on PATH. Its binary reads
#                 its default templates from /usr/share/prometheus/alertmanager, so unpacking the .deb elsewhere is
#                 not enough. The package's service is never started here: the tests run their own instance on a
#                 port of their own. Where apt-get cannot install it, setup.sh fails saying why: the tests never
#                 skip Alertmanager.
# Idempotent: a second run changes nothing.
set -eu -o pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DEST="$1" LINKDIR="$2"
mkdir -p "$DEST"

PY311=""
for candidate in "${PYTHON:-python3}" python3.11 python3; do
  if command -v "$candidate" > /dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2> /dev/null; then
    PY311="$candidate"; break
  fi
done
[ -n "$PY311" ] || { echo "setup.sh: Keep 0.2.7 needs Python 3.11, and none was found (python3.11)"; exit 1; }

stamp="$DEST/keep/.installed"
if [ ! -f "$stamp" ] || [ "$HERE/keep-requirements.txt" -nt "$stamp" ]; then
  rm -rf "$DEST/keep"
  "$PY311" -m venv "$DEST/keep"
  if [ -n "${CLAUDEOPS_UV:-}" ]; then  # make sets it: uv installs the same pins in seconds (Makefile)
    "$CLAUDEOPS_UV" pip install --quiet --python "$DEST/keep/bin/python" --no-deps -r "$HERE/keep-requirements.txt" \
      keephq==0.2.7
  else
    "$DEST/keep/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$HERE/keep-requirements.txt"
    "$DEST/keep/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps keephq==0.2.7
  fi
  # Keep's API imports at start-up: this fails here, not in the middle of a test, when a pin is wrong.
  DISABLE_POSTHOG=true "$DEST/keep/bin/python" -c 'from keep.api import api; import bcrypt' > "$DEST/keep-import.log" 2>&1 \
    || { tail -20 "$DEST/keep-import.log"; exit 1; }
  touch "$stamp"
fi
# A script, not a link: a python reached through a link in another virtualenv's bin would take that one's packages.
printf '#!/bin/sh\nexec "%s" "$@"\n' "$DEST/keep/bin/python" > "$LINKDIR/claudeops-keep-python.tmp"
chmod 755 "$LINKDIR/claudeops-keep-python.tmp"
mv -f "$LINKDIR/claudeops-keep-python.tmp" "$LINKDIR/claudeops-keep-python"

if ! command -v prometheus-alertmanager > /dev/null 2>&1; then
  command -v apt-get > /dev/null 2>&1 \
    || { echo "setup.sh: apt-get is not available to install Debian's prometheus-alertmanager"; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "setup.sh: installing Debian's prometheus-alertmanager needs root" \
    "(apt-get install prometheus-alertmanager)"; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends prometheus-alertmanager > "$DEST/apt.log" 2>&1 \
    || { apt-get update -q >> "$DEST/apt.log" 2>&1 \
         && apt-get install -y -q --no-install-recommends prometheus-alertmanager >> "$DEST/apt.log" 2>&1; } \
    || { tail -5 "$DEST/apt.log"; echo "setup.sh: apt-get could not install prometheus-alertmanager (see $DEST/apt.log)"
         exit 1; }
fi
