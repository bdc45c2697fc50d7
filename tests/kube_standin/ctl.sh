#!/usr/bin/env bash
# Start and stop stand-in clusters for the tests.
#   ctl.sh start DIR NAME [NAMESPACE...] [--scoped-namespace NS...] [--port PORT]
#                                            serve cluster NAME, state (kubeconfig, ca.pem, port, pid) in DIR/NAME;
#                                            on PORT (default: a free port the server takes itself, named in DIR/NAME/port)
#   ctl.sh stop DIR                          stop every cluster started under DIR
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${ANSIBLE_TEST_PYTHON_INTERPRETER:-${PYTHON:-python3}}"
cmd="$1"; dir="$2"; shift 2
case "$cmd" in
  start)
    name="$1"; shift
    args=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --*) args+=("$1" "$2"); shift 2 ;;
        *) args+=(--namespace "$1"); shift ;;
      esac
    done
    mkdir -p "$dir/$name"
    rm -f "$dir/$name/port"
    nohup "$PY" "$HERE/standin.py" --state-dir "$dir/$name" --name "$name" "${args[@]}" \
      > "$dir/$name/server.log" 2>&1 &
    for _ in $(seq 1 100); do
      [ -s "$dir/$name/port" ] && exit 0
      kill -0 $! 2>/dev/null || { cat "$dir/$name/server.log"; exit 1; }
      sleep 0.1
    done
    echo "stand-in $name did not start"; cat "$dir/$name/server.log"; exit 1 ;;
  stop)
    for pidfile in "$dir"/*/pid; do
      [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done ;;
  *) echo "usage: ctl.sh start DIR NAME [NS...] [--scoped-namespace NS...] [--port PORT] | stop DIR"; exit 2 ;;
esac
