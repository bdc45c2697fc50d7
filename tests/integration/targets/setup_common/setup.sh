# shellcheck shell=bash
# setup_common: what every runme.sh target starts with. A target declares needs/target/setup_common in its aliases
# (ansible-test copies only the targets a target declares beside it) and opens with
#     set -eu -o pipefail
#     . "$(dirname "$0")/../setup_common/setup.sh"
# and declares and sources, the same way, the other setup_* targets it needs: setup_session (fake sessions),
# setup_kube_standin (stand-in clusters), setup_store_standins (secret stores), setup_alert_receivers (Keep and
# Alertmanager). Each of those sources this file first; sourcing any of them twice is harmless.
#   HERE   the target's directory      PY   the Python ansible-test runs the target with
#   COLLECTION   the collection under test (as ansible-galaxy finds it; CLAUDEOPS_COLLECTION overrides, for the
#                checks' self-test)
#   WORK   a scratch directory, removed on exit (after the target's extra_cleanup() and each setup's cleanup)
#   secret VALUE... register a secret of the run (a token, a bearer token, a store credential) for the sweep
#   token_vars TOKEN  "@FILE" to pass to -e: a vars file holding {"token": TOKEN} (never a token on a command line)
#   secret_holder PATH...  PATH holds secrets on purpose (an input, the Secret a playbook renders): the sweep skips it
#   sweep [PATH...] tests/tools/leak_sweep.py: no registered secret, session token or session file, in any form
#                   (raw, 12-character prefix, URL-encoded, base64 at every alignment), in PATH (default: all of WORK
#                   but what holds secrets on purpose, with each stand-in cluster's stored objects, data values
#                   left out), nor in any file left under ~/.ansible/tmp since the target started
#   clean_log LOG   sweep LOG alone
#   row LOG REGEX  a row of a printed table in LOG matches REGEX (continuation lines of wrapped cells joined)
#   never CMD...    fail unless CMD answers 1 ("does not hold"): 0 means it holds, anything else that it could not
#                   tell (a missing file for grep). A bare `! CMD` never fails a script under set -e.
#   never_in PATTERN CMD...  CMD succeeds and prints no line matching PATTERN
#   wait_for SECONDS COMMAND...   until COMMAND succeeds (1 after SECONDS)
#   free_port      a free loopback TCP port (only for servers that cannot bind port 0 themselves: start them with
#                  on_free_port, which tries another port when the one picked was taken meanwhile)
#   on_exit FUNCTION  call FUNCTION on exit, before WORK is removed (the setup_* files register their cleanups so)
# A target may define extra_cleanup(), called first on exit.
[ -z "${CLAUDEOPS_SETUP_COMMON:-}" ] || return 0
CLAUDEOPS_SETUP_COMMON=1
# shellcheck disable=SC2034  # HERE is for the target that sources this file
HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
COLLECTION="${CLAUDEOPS_COLLECTION:-$(ansible-galaxy collection list claudeops.credentials --format json \
  | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(next(iter(d)) + "/claudeops/credentials")')}"
# shellcheck source=tests/integration/checks.sh
. "$COLLECTION/tests/integration/checks.sh"
WORK="$(mktemp -d)"
mkdir -p "$WORK/.sessions"
: > "$WORK/.secrets"
chmod 600 "$WORK/.secrets"
touch "$WORK/.started"
# Ansible's own temporary files (module files, when a run does not pipeline) go under WORK, which the sweep reads
# whole: whatever a run leaves there is this target's, even with other targets running beside it.
export ANSIBLE_LOCAL_TEMP="$WORK/ansible-local" ANSIBLE_REMOTE_TEMP="$WORK/ansible-remote"
export PYTHON="$PY"
CLAUDEOPS_CLEANUPS=()
on_exit() { CLAUDEOPS_CLEANUPS+=("$1"); }
_claudeops_cleanup() {
  local f
  if declare -F extra_cleanup > /dev/null; then extra_cleanup || true; fi
  for f in "${CLAUDEOPS_CLEANUPS[@]}"; do "$f" || true; done
  rm -rf "$WORK"
}
trap _claudeops_cleanup EXIT
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# on_free_port LOG READY CMD... : run CMD in the background with PORT set to a free port until READY succeeds (30 s,
# or ON_FREE_PORT_WAIT);
# when the server died because the port was taken between free_port and its bind, try a new port (3 tries).
# Sets PORT and ON_FREE_PORT_PID.
on_free_port() {
  local log="$1" ready="$2" try; shift 2
  for try in 1 2 3; do
    PORT="$(free_port)"
    PORT="$PORT" "$@" > "$log" 2>&1 &
    ON_FREE_PORT_PID=$!
    if wait_for "${ON_FREE_PORT_WAIT:-30}" _up_or_gone "$ON_FREE_PORT_PID" "$ready"; then
      kill -0 "$ON_FREE_PORT_PID" 2> /dev/null && return 0
      grep -qi "address already in use\|address in use" "$log" || break
      echo "port $PORT was taken before the server bound it (try $try): trying another"
    else
      kill "$ON_FREE_PORT_PID" 2> /dev/null || true
      break
    fi
  done
  echo "the server did not start: $*"; tail -20 "$log"; return 1
}
_up_or_gone() { ! kill -0 "$1" 2> /dev/null || PORT="$PORT" "$2"; }
secret() { printf '%s\n' "$@" >> "$WORK/.secrets"; }
secret_holder() { printf '%s\n' "$@" >> "$WORK/.holders"; }
# token_vars TOKEN: "@FILE" for -e, FILE (0600) holding {"token": TOKEN}: a token never goes on a command line, which
# ansible-playbook -vvvv prints (extra_vars), as a user's vault file would give it.
token_vars() {
  local file="$WORK/token-vars-$RANDOM$RANDOM.json"
  (umask 077; TOKEN="$1" "$PY" -c 'import json, os, sys; json.dump({"token": os.environ["TOKEN"]}, open(sys.argv[1], "w"))' "$file")
  secret_holder "$file"
  echo "@$file"
}
sweep() {
  local args=(--secrets "$WORK/.secrets" --skip "$WORK/.secrets" --skip "$WORK/.sessions" --skip "$WORK/.holders")
  local f dir
  for f in "$WORK"/.sessions/*; do [ -f "$f" ] && args+=(--session "$f"); done
  if [ -f "$WORK/.holders" ]; then while read -r f; do args+=(--skip "$f"); done < "$WORK/.holders"; fi
  if [ $# -eq 0 ]; then
    mkdir -p "$WORK/.objects"
    [ -z "${KUBE:-}" ] || for dir in "$WORK"/k8s/*/; do
      [ -s "$dir/port" ] && kill -0 "$(cat "$dir/pid" 2> /dev/null)" 2> /dev/null \
        && "$PY" "$KUBE" "$dir" objects > "$WORK/.objects/$(basename "$dir").json"
    done
    set -- "$WORK"
    [ -d "$HOME/.ansible/tmp" ] && set -- "$@" "$HOME/.ansible/tmp"
  fi
  "$PY" "$COLLECTION/tests/tools/leak_sweep.py" --newer "$WORK/.started" "${args[@]}" "$@"
}
clean_log() { sweep "$1"; }
# row LOG REGEX: a row of a table the playbooks printed matches REGEX (long cells wrap; rows.py rebuilds them).
row() { "$PY" "$COLLECTION/tests/integration/rows.py" "$@"; }
