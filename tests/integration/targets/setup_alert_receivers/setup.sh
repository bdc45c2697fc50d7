# shellcheck shell=bash
# setup_alert_receivers: the real alert receivers on loopback ports of their own, under $WORK/receivers, for a
# runme.sh target. Declare needs/target/setup_alert_receivers and source this file (it sources setup_common first).
# tests/alert_receivers/setup.sh (make receivers) installs them.
#   start_keep KEY          Keep's API, checking X-API-KEY against KEY (given in the environment, never argv);
#                           KEEP_URL is its URL
#   start_alertmanager USER PASSWORD   Alertmanager with basic auth; AM_URL is its URL. Fails the target where
#                           it is not installed (make receivers installs it, or fails saying why)
#   stop_receivers          stops both (also on exit)
[ -z "${CLAUDEOPS_SETUP_RECEIVERS:-}" ] || return 0
CLAUDEOPS_SETUP_RECEIVERS=1
# shellcheck source=tests/integration/targets/setup_common/setup.sh
. "$(dirname "${BASH_SOURCE[0]}")/../setup_common/setup.sh"
KEEP_PID="" AM_PID="" KEEP_URL="" AM_URL=""

start_keep() {
  local dir="$WORK/receivers/keep"
  command -v claudeops-keep-python > /dev/null || { echo "Keep is not installed: run make receivers"; exit 1; }
  mkdir -p "$dir"
  KEEP_TEST_API_KEY="$1" claudeops-keep-python "$COLLECTION/tests/alert_receivers/keep_server.py" "$dir/port" "$dir" \
    > "$dir/log" 2>&1 &
  KEEP_PID=$!
  wait_for 60 _started "$KEEP_PID" "$dir/port" && test -s "$dir/port" || { echo "Keep did not start"; tail -20 "$dir/log"; exit 1; }
  KEEP_URL="http://127.0.0.1:$(cat "$dir/port")"
  KEEP_KEY="$1" wait_for 60 _keep_ready \
    || { echo "Keep does not answer"; tail -20 "$dir/log"; exit 1; }
}

start_alertmanager() {
  local dir="$WORK/receivers/alertmanager" bin
  bin="$(command -v prometheus-alertmanager || command -v alertmanager || true)"
  [ -n "$bin" ] || { echo "prometheus-alertmanager is not installed: run make receivers"; exit 1; }
  mkdir -p "$dir"
  printf 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n' > "$dir/alertmanager.yml"
  # Alertmanager's web config takes bcrypt hashes; the password reaches python through the environment.
  AM_PASSWORD="$2" claudeops-keep-python -c 'import bcrypt, os, sys
print("basic_auth_users:\n  %s: %s" % (sys.argv[1], bcrypt.hashpw(os.environ["AM_PASSWORD"].encode(), bcrypt.gensalt(4)).decode()))' \
    "$1" > "$dir/web.yml"
  # Alertmanager cannot bind port 0 and say which port it got: on_free_port gives it a free one, and another when
  # that was taken before Alertmanager bound it. --cluster.listen-address= turns off the HA gossip port (9094 by
  # default: a fixed port two runs would share).
  export AM_AUTH="$1:$2" AM_BIN="$bin" AM_DIR="$dir"
  on_free_port "$dir/log" _am_ready _run_alertmanager || { echo "Alertmanager did not start"; exit 1; }
  AM_PID=$ON_FREE_PORT_PID
  # shellcheck disable=SC2034,SC2153  # AM_URL is for the targets that source this file; on_free_port sets PORT
  AM_URL="http://127.0.0.1:$PORT"
}
_run_alertmanager() {
  exec "$AM_BIN" --config.file="$AM_DIR/alertmanager.yml" --web.config.file="$AM_DIR/web.yml" \
    --storage.path="$AM_DIR/data" --web.listen-address="127.0.0.1:$PORT" --cluster.listen-address=
}
_started() { test -s "$2" || ! kill -0 "$1" 2> /dev/null; }  # the port file is there, or the process is gone
_keep_ready() { curl -fs -o /dev/null -K - <<< "header = \"X-API-KEY: $KEEP_KEY\"" "$KEEP_URL/alerts"; }
_am_ready() { curl -fs -o /dev/null -K - <<< "user = \"$AM_AUTH\"" "http://127.0.0.1:$PORT/-/ready"; }

stop_receivers() {
  local pid
  for pid in $KEEP_PID $AM_PID; do kill "$pid" 2> /dev/null || true; done
  for pid in $KEEP_PID $AM_PID; do wait "$pid" 2> /dev/null || true; done
  KEEP_PID="" AM_PID=""
}
on_exit stop_receivers
