# Sourced by the integration targets that use stand-in clusters, after they set HERE, PY and COLLECTION:
#   WORK   a scratch directory, removed on exit with every stand-in started under $WORK/k8s
#   CTL    tests/kube_standin/ctl.sh (start/stop stand-in clusters)
#   k C …  tests/kube_standin/kube.py for cluster C (log, secret, fault, deployment, …)
#   row LOG REGEX  a row of a printed table in LOG matches REGEX (continuation lines of wrapped cells joined)
#   session FILE EXPIRES_IN TAG   write a fake session (canary tokens with TAG) expiring in EXPIRES_IN (10d, 6h, -1h)
#   play ARGS…    run tests/integration/publish.yml (claude_secret on WORK/clusters.json), result in WORK/result.json
#   result / expect "c1=created …" / msg_has TEXT / fails ARGS…   read and check that result
#   clean_log LOG  fail when LOG holds a canary tag or the base64 of a WORK/s*.json session at any alignment
#   wait_for SECONDS COMMAND...   until COMMAND succeeds (1 after SECONDS)
#   free_port      a free loopback TCP port
# A target may define extra_cleanup(), called first on exit.
# shellcheck shell=bash
WORK="$(mktemp -d)"
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
wait_for() { local end=$((SECONDS + $1)); shift; until "$@"; do [ "$SECONDS" -lt "$end" ] || return 1; sleep 0.2; done; }
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# row LOG REGEX: a row of a table the playbooks printed matches REGEX (long cells wrap; rows.py rebuilds them).
row() { "$PY" "$COLLECTION/tests/integration/rows.py" "$@"; }
session() {
  "$PY" - "$@" <<'PYEOF'
import json, sys, time
path, expires_in, tag = sys.argv[1], sys.argv[2], sys.argv[3]
seconds = float(expires_in[:-1]) * {'d': 86400, 'h': 3600}[expires_in[-1]]
json.dump({'claudeAiOauth': {'accessToken': 'sk-ant-oat01-%s-access' % tag, 'refreshToken': 'sk-ant-ort01-%s-refresh' % tag,
           'expiresAt': int((time.time() + seconds) * 1000), 'scopes': ['user:inference'],
           'subscriptionType': 'max', 'rateLimitTier': 'default'}}, open(path, 'w'))
PYEOF
}
play() { ansible-playbook "$COLLECTION/tests/integration/publish.yml" -e "work=$WORK" "$@"; }
result() { "$PY" -c "import json,sys; r=json.load(open('$WORK/result.json')); print(' '.join('%s=%s' % (c['name'], c['action']) for c in r['clusters']))"; }
expect() { local got; got="$(result)"; [ "$got" = "$1" ] || { echo "expected '$1', got '$got'"; cat "$WORK/result.json"; exit 1; }; }
msg_has() { grep -q -- "$1" "$WORK/result.json" || { echo "result.json does not say: $1"; cat "$WORK/result.json"; exit 1; }; }
fails() { if play "$@" > "$WORK/fail.log" 2>&1; then echo "expected a failure: $*"; tail -20 "$WORK/fail.log"; exit 1; fi; }
clean_log() {
  "$PY" - "$1" "$WORK"/s*.json <<'PYEOF'
import base64, re, sys
text = open(sys.argv[1], 'rb').read()
for path in sys.argv[2:]:
    raw = open(path, 'rb').read()
    for shift in range(3):
        if base64.b64encode(b'\0' * shift + raw)[4:-4] in text:
            sys.exit('%s holds the base64 of %s' % (sys.argv[1], path))
for tag in set(re.findall(rb'CANARY[A-Z0-9]+', b' '.join(open(p, 'rb').read() for p in sys.argv[2:]))):
    if tag in text:
        sys.exit('%s holds the canary %s' % (sys.argv[1], tag.decode()))
PYEOF
}
