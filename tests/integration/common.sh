# Sourced by the integration targets that use stand-in clusters, after they set HERE, PY and COLLECTION:
#   WORK   a scratch directory, removed on exit with every stand-in started under $WORK/k8s
#   CTL    tests/kube_standin/ctl.sh (start/stop stand-in clusters)
#   k C …  tests/kube_standin/kube.py for cluster C (log, secret, fault, deployment, …)
#   row LOG REGEX  a row of a printed table in LOG matches REGEX (continuation lines of wrapped cells joined)
#   session FILE EXPIRES_IN TAG [KIND]  a fake session (tests/tools/fake_session.py: canary tokens with TAG) expiring
#                 in EXPIRES_IN (10d, 6h, 0.16h, -1h); KIND blanked, no-refresh, ... (healthy); registered for the sweep
#   play ARGS…    run tests/integration/publish.yml (claude_secret on WORK/clusters.json), result in WORK/result.json
#   result / expect "c1=created …" / msg_has TEXT / fails ARGS…   read and check that result
#   secret VALUE... register a secret of the run (a token, a bearer token, a store credential) for the sweep
#   token_vars TOKEN  "@FILE" to pass to -e: a vars file holding {"token": TOKEN} (never a token on a command line)
#   secret_holder PATH...  PATH holds secrets on purpose (an input, the Secret a playbook renders): the sweep skips it
#   sweep [PATH...] tests/tools/leak_sweep.py: no registered secret, session token or session file, in any form
#                   (raw, 12-character prefix, URL-encoded, base64 at every alignment), in PATH (default: all of WORK
#                   but what holds secrets on purpose, with each stand-in cluster's stored objects, data values
#                   left out), nor in any file left under ~/.ansible/tmp since the target started
#   clean_log LOG   sweep LOG alone
#   never CMD...    fail unless CMD answers 1 ("does not hold"): 0 means it holds, anything else that it could not
#                   tell (a missing file for grep). A bare `! CMD` never fails a script under set -e.
#   never_in PATTERN CMD...  CMD succeeds and prints no line matching PATTERN
#   wait_for SECONDS COMMAND...   until COMMAND succeeds (1 after SECONDS)
#   free_port      a free loopback TCP port (only for servers that cannot bind port 0 themselves: start them with
#                  on_free_port, which tries another port when the one picked was taken meanwhile)
# A target may define extra_cleanup(), called first on exit.
# shellcheck shell=bash
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
CTL="$COLLECTION/tests/kube_standin/ctl.sh"
KUBE="$COLLECTION/tests/kube_standin/kube.py"
export PYTHON="$PY"
_claudeops_cleanup() {
  if declare -F extra_cleanup > /dev/null; then extra_cleanup || true; fi
  bash "$CTL" stop "$WORK/k8s" || true
  rm -rf "$WORK"
}
trap _claudeops_cleanup EXIT
k() { "$PY" "$KUBE" "$WORK/k8s/$1" "${@:2}"; }
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# on_free_port LOG READY CMD... : run CMD in the background with PORT set to a free port until READY succeeds (30 s);
# when the server died because the port was taken between free_port and its bind, try a new port (3 tries).
# Sets PORT and ON_FREE_PORT_PID.
on_free_port() {
  local log="$1" ready="$2" try; shift 2
  for try in 1 2 3; do
    PORT="$(free_port)"
    PORT="$PORT" "$@" > "$log" 2>&1 &
    ON_FREE_PORT_PID=$!
    if wait_for 30 _up_or_gone "$ON_FREE_PORT_PID" "$ready"; then
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
    for dir in "$WORK"/k8s/*/; do
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
session() {  # session FILE EXPIRES_IN TAG [KIND]: tests/tools/fake_session.py, the one writer of fake sessions
  "$PY" "$COLLECTION/tests/tools/fake_session.py" --file "$1" --expires-in "$2" --token-tag "$3" --kind "${4:-healthy}"
  _register_session "$1"
}
# The sweep keeps a copy of every session written, so that a session overwritten later is still looked for.
_register_session() { cp "$1" "$WORK/.sessions/$(find "$WORK/.sessions" -type f | wc -l).json"; secret_holder "$1"; }
# play removes the last result first: a failed run must never leave an earlier result to be read.
play() { rm -f "$WORK/result.json"; ansible-playbook "$COLLECTION/tests/integration/publish.yml" -e "work=$WORK" "$@"; }
result() { "$PY" -c "import json,sys; r=json.load(open('$WORK/result.json')); print(' '.join('%s=%s' % (c['name'], c['action']) for c in r['clusters']))"; }
expect() { local got; got="$(result)"; [ "$got" = "$1" ] || { echo "expected '$1', got '$got'"; cat "$WORK/result.json"; exit 1; }; }
msg_has() { grep -q -- "$1" "$WORK/result.json" || { echo "result.json does not say: $1"; cat "$WORK/result.json"; exit 1; }; }
fails() { if play "$@" > "$WORK/fail.log" 2>&1; then echo "expected a failure: $*"; tail -20 "$WORK/fail.log"; exit 1; fi; }
