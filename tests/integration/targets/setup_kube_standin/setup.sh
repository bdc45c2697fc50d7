# shellcheck shell=bash
# setup_kube_standin: stand-in Kubernetes API servers (tests/kube_standin) for a runme.sh target, under WORK/k8s,
# stopped on exit. Declare needs/target/setup_kube_standin and source this file (it sources setup_common first).
# Roles and molecule's prepare use tasks/main.yml instead.
#   CTL    tests/kube_standin/ctl.sh (bash "$CTL" start "$WORK/k8s" NAME [NAMESPACE...]; stop)
#   k C …  tests/kube_standin/kube.py for cluster C (log, secret, fault, deployment, objects, …)
#   play ARGS…    run tests/integration/publish.yml (claude_secret on WORK/clusters.json), result in WORK/result.json
#   result / expect "c1=created …" / msg_has TEXT / fails ARGS…   read and check that result
[ -z "${CLAUDEOPS_SETUP_KUBE:-}" ] || return 0
CLAUDEOPS_SETUP_KUBE=1
# shellcheck source=tests/integration/targets/setup_common/setup.sh
. "$(dirname "${BASH_SOURCE[0]}")/../setup_common/setup.sh"
CTL="$COLLECTION/tests/kube_standin/ctl.sh"
KUBE="$COLLECTION/tests/kube_standin/kube.py"
_stop_kube_standins() { bash "$CTL" stop "$WORK/k8s"; }
on_exit _stop_kube_standins
k() { "$PY" "$KUBE" "$WORK/k8s/$1" "${@:2}"; }
# play removes the last result first: a failed run must never leave an earlier result to be read.
play() { rm -f "$WORK/result.json"; ansible-playbook "$COLLECTION/tests/integration/publish.yml" -e "work=$WORK" "$@"; }
result() { "$PY" -c "import json,sys; r=json.load(open('$WORK/result.json')); print(' '.join('%s=%s' % (c['name'], c['action']) for c in r['clusters']))"; }
expect() { local got; got="$(result)"; [ "$got" = "$1" ] || { echo "expected '$1', got '$got'"; cat "$WORK/result.json"; exit 1; }; }
msg_has() { grep -q -- "$1" "$WORK/result.json" || { echo "result.json does not say: $1"; cat "$WORK/result.json"; exit 1; }; }
fails() { if play "$@" > "$WORK/fail.log" 2>&1; then echo "expected a failure: $*"; tail -20 "$WORK/fail.log"; exit 1; fi; }
