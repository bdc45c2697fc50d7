#!/usr/bin/env bash
# The login listener (extensions/eda/plugins/event_source/login_signal.py) alone, over HTTPS, under hostile clients:
# files/hostile.py sends what HTTP/1.1 framing forbids, values that must not be logged, 300 hostile connections and
# 1,100 idle ones, and measures the listener's memory and the time a real signal takes meanwhile. The same source
# under ansible-rulebook, with the rulebook and its playbooks, is the event_driven target.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
LISTENER_PID=""
extra_cleanup() { [ -z "$LISTENER_PID" ] || kill "$LISTENER_PID" 2>/dev/null; return 0; }
SOURCE="$COLLECTION/extensions/eda/plugins/event_source/login_signal.py"
TOKEN="CANARYLSTN$("$PY" -c 'import secrets; print(secrets.token_hex(11))')"  # 32 characters: no credential shape
secret "$TOKEN" Zq7tW3xN9pL2vB8kCANARYLSTNSHORT
secret_holder "$WORK/token" "$WORK/args.json" "$WORK/tls"
mkdir -m 700 "$WORK/tls"
"$PY" -c "import sys; sys.path.insert(0, sys.argv[1]); import standin; standin.make_certs(sys.argv[2])" \
  "$COLLECTION/tests/kube_standin" "$WORK/tls"
(umask 077; printf '%s\n' "$TOKEN" > "$WORK/token")

# listen NAME EXTRA_JSON: start the listener (under PYTHON_UNDER_TEST, default PY) on a free port (port 0), 1,024 file descriptors, as a
# default systemd service or shell has; sets PORT and LISTENER_PID.
listen() {
  (umask 077; printf '{"token": "%s", "hosts": ["ws1", "ws2"], "port": 0, "certfile": "%s", "keyfile": "%s"%s}' \
    "$TOKEN" "$WORK/tls/server.pem" "$WORK/tls/server.key" "$2" > "$WORK/args.json")
  (ulimit -n 1024; exec "${PYTHON_UNDER_TEST:-$PY}" "$HERE/files/listen.py" "$SOURCE" "$WORK/args.json" \
    > "$WORK/$1.events" 2> "$WORK/$1.log") &
  LISTENER_PID=$!
  wait_for 30 grep -q 'listening on' "$WORK/$1.log" || { cat "$WORK/$1.log"; exit 1; }
  PORT="$(sed -n 's/.*login_signal: listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$WORK/$1.log")"
}
stop() { kill "$LISTENER_PID"; wait "$LISTENER_PID" 2>/dev/null || true; LISTENER_PID=""; }

echo "== the listener on its defaults, but max_body at its 65536 limit (so the 990-deep JSON reaches the parser) and"
echo "   refusal_log_interval 2 s (so its counted lines are seen sooner)"
listen main ', "max_body": 65536, "refusal_log_interval": 2'
"$PY" "$HERE/files/hostile.py" "$PORT" "$WORK/tls/ca.pem" "$WORK/token" "$LISTENER_PID" "$WORK/main.log" \
  "$WORK/main.events" 2 || { echo "--- the listener's log (last lines)"; tail -30 "$WORK/main.log"; exit 1; }
stop

# ansible-rulebook runs on Python 3.9 and later: the source is served by each of those this machine has (pyenv).
echo "== a good signal and a refused one on every Python from 3.9 this machine has"
for other in "$HOME"/.pyenv/versions/3.*/bin/python3; do  # none there: the check above, on PY, stands alone
  [ -x "$other" ] || continue
  "$other" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null || continue
  name="$(basename "$(dirname "$(dirname "$other")")")"  # its version: a log of its own, never one of the last run
  PYTHON_UNDER_TEST="$other" listen "$name" ''
  GOT="$("$PY" "$HERE/files/once.py" "$PORT" "$WORK/tls/ca.pem" "$WORK/token")"
  stop
  echo "   $("$other" -V 2>&1): $GOT"
  [ "$GOT" = "200 400" ] || { echo "on $other: $GOT"; cat "$WORK/$name.log"; exit 1; }
  [ "$(grep -c '"host": "ws2"' "$WORK/$name.events")" = 1 ] || { echo "on $other: no event"; exit 1; }
done

sweep
echo "login_listener: all checks passed"
