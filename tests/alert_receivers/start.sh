# shellcheck shell=bash
# Sourced by integration targets, after common.sh: the real alert receivers on loopback ports of their own, under
# $WORK/receivers. setup.sh (make receivers) installs them.
#   start_keep KEY          Keep's API, checking X-API-KEY against KEY (given in the environment, never argv);
#                           KEEP_URL is its URL
#   start_alertmanager USER PASSWORD   Alertmanager with basic auth; AM_URL is its URL. Returns 1 (and sets
#                           AM_SKIP to the reason) where setup.sh could not install it
#   stop_receivers          stops both (extra_cleanup calls it)
KEEP_PID="" AM_PID="" KEEP_URL="" AM_URL="" AM_SKIP=""

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
  local dir="$WORK/receivers/alertmanager" bin port
  bin="$(command -v prometheus-alertmanager || command -v alertmanager || true)"
  if [ -z "$bin" ]; then
    AM_SKIP="$(sed -n 's|^exec "\(.*\)/keep/bin/python".*|\1/alertmanager.skip|p' "$(command -v claudeops-keep-python)" \
      | xargs cat 2> /dev/null \
      || echo "prometheus-alertmanager is not installed (make receivers installs it with apt-get)")"
    return 1
  fi
  mkdir -p "$dir"
  printf 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n' > "$dir/alertmanager.yml"
  # Alertmanager's web config takes bcrypt hashes; the password reaches python through the environment.
  AM_PASSWORD="$2" claudeops-keep-python -c 'import bcrypt, os, sys
print("basic_auth_users:\n  %s: %s" % (sys.argv[1], bcrypt.hashpw(os.environ["AM_PASSWORD"].encode(), bcrypt.gensalt(4)).decode()))' \
    "$1" > "$dir/web.yml"
  port="$(free_port)"
  # --cluster.listen-address= turns off the HA gossip port (9094 by default: a fixed port two runs would share).
  "$bin" --config.file="$dir/alertmanager.yml" --web.config.file="$dir/web.yml" --storage.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" --cluster.listen-address= > "$dir/log" 2>&1 &
  AM_PID=$!
  AM_URL="http://127.0.0.1:$port"
  AM_AUTH="$1:$2" wait_for 30 _am_ready || { echo "Alertmanager did not start"; tail -20 "$dir/log"; exit 1; }
}
_started() { test -s "$2" || ! kill -0 "$1" 2> /dev/null; }  # the port file is there, or the process is gone
_keep_ready() { curl -fs -o /dev/null -K - <<< "header = \"X-API-KEY: $KEEP_KEY\"" "$KEEP_URL/alerts"; }
_am_ready() { curl -fs -o /dev/null -K - <<< "user = \"$AM_AUTH\"" "$AM_URL/-/ready"; }

stop_receivers() {
  local pid
  for pid in $KEEP_PID $AM_PID; do kill "$pid" 2> /dev/null || true; done
  for pid in $KEEP_PID $AM_PID; do wait "$pid" 2> /dev/null || true; done
  KEEP_PID="" AM_PID=""
}
