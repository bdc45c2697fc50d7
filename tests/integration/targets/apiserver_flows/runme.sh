#!/usr/bin/env bash
# apiserver_flows: what a team does with claude_secret, on a real kube-apiserver (setup_kube_apiserver, the newest
# release we build): the manual runbook (`kubectl create --dry-run=client -o yaml | kubectl apply -f -`, real
# kubectl) adopted with the same session, then the long-lived token and back, each switch leaving no key of the
# other; restarts of Deployments, StatefulSets and DaemonSets, with a paused Deployment and OnDelete workloads
# reported as not restarted; claude_secret_info, the doctor and the monitor reading what the server holds; the
# namespace-scoped user; a Terminating namespace; a data key the server would refuse; revoke-tokens.yml.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"  # play, expect, msg_has, fails
. "$(dirname "$0")/../setup_kube_apiserver/setup.sh"
TOKEN=sk-ant-oat01-CANARYFLOWTOKEN-0123456789abcdef
secret "$TOKEN"
start_kube_apiserver real
REAL="$WORK/apiserver/real/kubeconfig"
SCOPED="$WORK/apiserver/real/kubeconfig-ns"
stored() { "$PY" "$HERE/files/stored.py" "$REAL" "$@"; }
is() {  # is WANT CMD...: CMD prints exactly WANT
  local got; got="$("${@:2}")"; [ "$got" = "$1" ] || { echo "expected '$1' from ${*:2}, got '$got'"; exit 1; }
}
cluster() {  # cluster KUBECONFIG: WORK/clusters.json names the real server as cluster "real"
  "$PY" -c "import json,sys; json.dump([{'name': 'real', 'kubeconfig': sys.argv[1]}], open(sys.argv[2], 'w'))" "$1" \
    "$WORK/clusters.json"
}
info() { ansible-playbook "$HERE/files/info.yml" -e "work=$WORK" -e "kubeconfig=$REAL" "$@" > "$WORK/info.log" 2>&1 \
  || { tail -30 "$WORK/info.log"; exit 1; }; }
field() { "$PY" -c "import json,sys; v=json.load(open('$WORK/info.json'))$1; print(v)"; }
cluster "$REAL"
session "$WORK/s-old.json" 6h CANARYFLOWOLD
session "$WORK/s-new.json" 7h CANARYFLOWNEW
echo "== kube-apiserver $(cat "$WORK/apiserver/real/version")"

echo "== the manual runbook with kubectl: client-side apply"
kubectl --kubeconfig "$REAL" create secret generic claude-session -n claude \
  --from-file=.credentials.json="$WORK/s-old.json" --dry-run=client -o yaml \
  | kubectl --kubeconfig "$REAL" apply -f - > /dev/null
is "kubectl-client-side-apply/Update: .credentials.json" stored owners claude claude-session
is "kubectl.kubernetes.io/last-applied-configuration" stored annotations claude claude-session
fails -e "session=$WORK/s-old.json"
expect "real=failed"
msg_has "set adopt: true to take it over"

echo "== adopted with the same session: kubectl's data keys taken over, its copy of the session removed"
play -e "session=$WORK/s-old.json" -e adopt=true --diff -vvvv > "$WORK/adopt.log" 2>&1 || { tail -40 "$WORK/adopt.log"; exit 1; }
expect "real=updated"
msg_has "taking over the data keys of kubectl-client-side-apply"
clean_log "$WORK/adopt.log"
is "claudeops.io/captured-at,claudeops.io/expires-at,claudeops.io/fingerprint,claudeops.io/source-host" \
  stored annotations claude claude-session
stored owners claude claude-session > "$WORK/owners.txt"
grep -qx "claudeops/Apply: .claude.json,.credentials.json" "$WORK/owners.txt" || { cat "$WORK/owners.txt"; exit 1; }
never grep -q "^kubectl-client-side-apply/Update: .*credentials" "$WORK/owners.txt"
play -e "session=$WORK/s-old.json" > "$WORK/again.log" 2>&1 || { tail -30 "$WORK/again.log"; exit 1; }
expect "real=unchanged"

echo "== to the long-lived token: no key of the session is left (kubectl's co-ownership kept it before)"
play -e "$(token_vars "$TOKEN")" -e replace_kind=true > "$WORK/token.log" 2>&1 || { tail -30 "$WORK/token.log"; exit 1; }
expect "real=updated"
is ".claude.json,CLAUDE_CODE_OAUTH_TOKEN" stored keys claude claude-session
test "$("$PY" "$HERE/../publish_clusters/files/read_data.py" "$REAL" claude CLAUDE_CODE_OAUTH_TOKEN)" = "$TOKEN"
info
is "token" field "['kind']"

echo "== and back to a session: no token key left"
play -e "session=$WORK/s-new.json" -e replace_kind=true > "$WORK/session.log" 2>&1 || { tail -30 "$WORK/session.log"; exit 1; }
expect "real=updated"
is ".claude.json,.credentials.json" stored keys claude claude-session
info
is "session" field "['kind']"

echo "== restarts: three workloads roll, a paused Deployment and two OnDelete ones are reported as not restarted"
kubectl --kubeconfig "$REAL" apply -f "$HERE/files/workloads.yml" > /dev/null
restart='{"restart": ["Deployment/agent", "Deployment/paused", "StatefulSet/rolling", "StatefulSet/ondelete", "DaemonSet/node", "DaemonSet/nodehold"]}'
play -e "session=$WORK/s-new.json" -e "$restart" > "$WORK/restart.log" 2>&1 || { tail -30 "$WORK/restart.log"; exit 1; }
expect "real=unchanged"
"$PY" - "$WORK/result.json" <<'PYEOF'
import json, sys
entry = json.load(open(sys.argv[1]))['clusters'][0]
assert entry['changed'], entry  # the Secret was current; six pod templates were not
assert entry['restarted'] == ['deployment/agent', 'statefulset/rolling', 'daemonset/node'], entry['restarted']
pending = entry['pending']
assert [p.split(':')[0] for p in pending] == ['deployment/paused', 'statefulset/ondelete', 'daemonset/nodehold'], pending
assert '(kubectl rollout resume deployment/paused -n claude)' in pending[0], pending
assert '(kubectl delete pod -n claude -l app=ondelete)' in pending[1], pending
assert 'not restarted: deployment/paused: paused' in entry['msg'], entry['msg']
PYEOF
fp="$("$PY" -c "import json; print(json.load(open('$WORK/result.json'))['fingerprint'])")"
stored templates claude > "$WORK/templates.txt"
test "$(grep -c "=$fp\$" "$WORK/templates.txt")" -eq 6 || { cat "$WORK/templates.txt"; exit 1; }
play -e "session=$WORK/s-new.json" -e "$restart" > "$WORK/restart2.log" 2>&1 || { tail -30 "$WORK/restart2.log"; exit 1; }
"$PY" -c "import json; e = json.load(open('$WORK/result.json'))['clusters'][0]
assert not e['changed'] and e['restarted'] == [] and len(e['pending']) == 3, e"
info -e "$restart" -e '{"workloads": ["Deployment/agent", "Deployment/paused", "StatefulSet/ondelete", "DaemonSet/nodehold"]}'
is "[True, False, False, False]" "$PY" -c "import json; print([w['current'] for w in json.load(open('$WORK/info.json'))['workloads']])"
is "[None, 'paused', 'updateStrategy OnDelete', 'updateStrategy OnDelete']" "$PY" -c "import json
print([w['held'] and w['held'].split(':')[0] for w in json.load(open('$WORK/info.json'))['workloads']])"

echo "== the doctor reads it: the held workloads fail with their own fix"
mkdir -p "$WORK/ws1"
session "$WORK/ws1/.credentials.json" 7h CANARYFLOWWS
printf '[claude_hosts]\nws1 ansible_connection=local claudeops_session_path=%s ansible_python_interpreter=%s\n' \
  "$WORK/ws1" "$PY" > "$WORK/hosts.ini"
"$PY" -c "import json,sys; json.dump({'claudeops_clusters': [{'name': 'real', 'kubeconfig': sys.argv[1]}],
  'claudeops_restart': ['Deployment/agent', 'Deployment/paused']}, open(sys.argv[2], 'w'))" "$REAL" "$WORK/vars.json"
if ansible-playbook "$COLLECTION/playbooks/doctor.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" > "$WORK/doctor.log" 2>&1; then
  echo "expected the doctor to fail on the paused Deployment"; tail -30 "$WORK/doctor.log"; exit 1
fi
row "$WORK/doctor.log" '^ok +workload on current credentials +real deployment/agent'
row "$WORK/doctor.log" '^FAIL +workload on current credentials +real deployment/paused +pods not replaced: paused.*kubectl rollout resume deployment/paused -n claude'
for check in "cluster reachable" "can read Secret" "can write Secret" "Secret present" "Secret fresh"; do
  row "$WORK/doctor.log" "^ok +$check +real"
done

echo "== the monitor reads it: the session healthy, the paused Deployment's pods stale"
(cd "$WORK" && ansible-playbook "$COLLECTION/playbooks/monitor-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" \
  -e "claudeops_status_path=$WORK/out/token-status.json" > "$WORK/monitor.log" 2>&1) || true
"$PY" - "$WORK/out/token-status.json" <<'PYEOF'
import json, sys
report = json.load(open(sys.argv[1]))
records = [r for r in report['records'] if r.get('kind') != 'host']
assert records and all(r['status'] == 'healthy' for r in records), records
assert 'deployment/paused' in json.dumps(report) and 'deployment/agent' not in json.dumps(
    [r.get('stale_pods') for r in records]), records
PYEOF

echo "== the namespace-scoped user: publishes in claude, is refused elsewhere as missing permissions"
cluster "$SCOPED"
play -e "session=$WORK/s-new.json" -e secret_name=scoped > "$WORK/scoped.log" 2>&1 || { tail -30 "$WORK/scoped.log"; exit 1; }
expect "real=created"
is ".claude.json,.credentials.json" stored keys claude scoped
fails -e "session=$WORK/s-new.json" -e secret_namespace=default
expect "real=failed"
msg_has "permission denied (403)"

echo "== a Terminating namespace is named as such, not as missing permissions"
cluster "$REAL"
kubectl --kubeconfig "$REAL" create namespace doomed > /dev/null
kubectl --kubeconfig "$REAL" delete namespace doomed --wait=false > /dev/null
is Terminating "$PY" "$HERE/files/stored.py" "$REAL" phase doomed  # no namespace controller runs here
fails -e "session=$WORK/s-new.json" -e secret_namespace=doomed
expect "real=failed"
msg_has "namespace doomed is being deleted (Terminating) and takes no new objects"
never grep -q "permission denied" "$WORK/result.json"

echo "== a data key kube-apiserver refuses (a leading '..') is refused before any request"
fails -e '{"raw_files": {"..data": "eA=="}}' -e secret_name=dotdot
msg_has "must not start with '..'"
is absent stored keys claude dotdot

echo "== revoke-tokens.yml removes our Secrets; kubectl's own Secret stays"
kubectl --kubeconfig "$REAL" create secret generic not-ours -n claude --from-literal=k=v > /dev/null
"$PY" -c "import json,sys; json.dump({'claudeops_clusters': [{'name': 'real', 'kubeconfig': sys.argv[1]}]},
  open(sys.argv[2], 'w'))" "$REAL" "$WORK/revoke.json"
ansible-playbook "$COLLECTION/playbooks/revoke-tokens.yml" -e "@$WORK/revoke.json" > "$WORK/revoke.log" 2>&1 \
  || { tail -30 "$WORK/revoke.log"; exit 1; }
is absent stored keys claude claude-session
is "k" stored keys claude not-ours

for f in "$WORK"/*.log; do clean_log "$f"; done
sweep
echo "apiserver_flows: all checks passed"
