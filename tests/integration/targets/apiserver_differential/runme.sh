#!/usr/bin/env bash
# apiserver_differential: the same publish scenario against a real kube-apiserver (setup_kube_apiserver) and against
# the kube stand-in, with every request the modules send recorded at the process edge (files/record, urllib3) and the
# answers compared field by field on what the collection reads: status, reason and message, managedFields, labels,
# annotations, resourceVersion (as the order in which versions appear), data keys, type, immutable, finalizers, and the
# workloads' template annotations and update strategy. The scenario asserts the same outcomes on both servers, so
# every check of publish_semantics that needs no fault injection also runs here on the real server: the runbook's
# Secret refused, adopted in check mode and for real, a no-op with one read, labels and annotations we stop sending
# removed, session to token and back, another type and an immutable Secret refused, one with no credential key read
# as such, restarts (rolling, paused, OnDelete), a namespace created, check mode, removal twice, the scoped user.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"  # CTL, play, expect, msg_has, fails
. "$(dirname "$0")/../setup_kube_apiserver/setup.sh"
TOKEN=sk-ant-oat01-CANARYDIFFTOKEN-0123456789abcdef
secret "$TOKEN"
session "$WORK/s-old.json" 6h CANARYDIFFOLD
session "$WORK/s-new.json" 7h CANARYDIFFNEW
FLOWS="$HERE/../apiserver_flows/files"

start_kube_apiserver real
bash "$CTL" start "$WORK/k8s" sd claude --scoped-namespace claude --scoped-namespace ghost
echo "== kube-apiserver $(cat "$WORK/apiserver/real/version") and the stand-in"

requests() { "$PY" -c "import json; print(json.load(open('$WORK/result.json'))['clusters'][0]['requests'])"; }
restarted() { "$PY" -c "import json; e = json.load(open('$WORK/result.json'))['clusters'][0]
print(','.join(e['restarted']) + ';' + ','.join(p.split(':')[0] for p in e['pending']))"; }

scenario() {  # scenario SERVER KUBECONFIG CONTEXT SCOPED_KUBECONFIG SCOPED_CONTEXT
  local server="$1" kc="$2" ctx="$3"
  kube() { kubectl --kubeconfig "$kc" --context "$ctx" "$@"; }
  use() { "$PY" -c "import json,sys; json.dump([{'name': 'x', 'kubeconfig': sys.argv[1], 'context': sys.argv[2]}],
    open(sys.argv[3], 'w'))" "$1" "$2" "$WORK/clusters.json"; }
  export CLAUDEOPS_RECORD="$WORK/record-$server.jsonl" PYTHONPATH="$HERE/files/record"
  : > "$CLAUDEOPS_RECORD"
  use "$kc" "$ctx"
  echo "== $server: the runbook's Secret (kubectl, client-side apply) is refused without adopt"
  kube create secret generic claude-session -n claude --from-file=.credentials.json="$WORK/s-old.json" \
    --dry-run=client -o yaml | kube apply --validate=false -f - > /dev/null
  fails -e "session=$WORK/s-new.json"
  expect "x=failed"
  msg_has "set adopt: true to take it over"
  echo "== $server: adopted in check mode, then for real; then a no-op with one read"
  play -e "session=$WORK/s-new.json" -e adopt=true --check --diff > "$WORK/$server-adopt-check.log" 2>&1 \
    || { tail -30 "$WORK/$server-adopt-check.log"; exit 1; }
  expect "x=would update"
  grep -q '"kubectl.kubernetes.io/last-applied-configuration": "sha256:' "$WORK/$server-adopt-check.log"
  play -e "session=$WORK/s-new.json" -e adopt=true > /dev/null
  expect "x=updated"
  msg_has "remove kubectl's kubectl.kubernetes.io/last-applied-configuration"
  play -e "session=$WORK/s-new.json" > /dev/null
  expect "x=unchanged"
  [ "$(requests)" = 1 ] || { echo "a no-op took $(requests) requests"; exit 1; }
  echo "== $server: labels and annotations we stop sending are removed"
  play -e "session=$WORK/s-new.json" -e '{"extra_labels": {"team": "agents"}, "extra_annotations": {"example.com/owner": "platform"}}' > /dev/null
  expect "x=updated"
  play -e "session=$WORK/s-new.json" > /dev/null
  expect "x=updated"
  msg_has "annotations example.com/owner; labels team"
  echo "== $server: to the long-lived token and back"
  play -e "$(token_vars "$TOKEN")" -e expires_at=2027-06-01T00:00:00Z -e replace_kind=true > /dev/null
  expect "x=updated"
  play -e "session=$WORK/s-new.json" -e replace_kind=true > /dev/null
  expect "x=updated"
  echo "== $server: another type, an immutable one, one with no credential key"
  kube apply --validate=false -f "$HERE/files/objects.yml" > /dev/null
  fails -e "session=$WORK/s-new.json" -e secret_name=typed
  msg_has "has type kubernetes.io/basic-auth, and Kubernetes cannot change a Secret's type"
  fails -e "session=$WORK/s-new.json" -e secret_name=frozen
  msg_has "is immutable (immutable: true), so its data cannot change"
  ansible-playbook "$FLOWS/info.yml" -e "work=$WORK" -e "kubeconfig=$kc" -e "context=$ctx" -e secret_name=hollow \
    > "$WORK/$server-info.log" 2>&1 || { tail -30 "$WORK/$server-info.log"; exit 1; }
  "$PY" -c "import json; e = json.load(open('$WORK/info.json')); assert e['exists'] and e['status'] == 'missing' and 'no credential key' in e['detail'], e"
  echo "== $server: restarts: a rolling Deployment, StatefulSet and DaemonSet; a paused one and two OnDelete held"
  kube apply --validate=false -f "$FLOWS/workloads.yml" > /dev/null
  play -e "session=$WORK/s-new.json" -e '{"restart": ["Deployment/agent", "Deployment/paused", "StatefulSet/rolling",
    "StatefulSet/ondelete", "DaemonSet/node", "DaemonSet/nodehold"]}' > /dev/null
  expect "x=unchanged"
  [ "$(restarted)" = "deployment/agent,statefulset/rolling,daemonset/node;deployment/paused,statefulset/ondelete,daemonset/nodehold" ] \
    || { echo "restarts: $(restarted)"; exit 1; }
  echo "== $server: a namespace created; check mode creates and deletes nothing"
  play -e "session=$WORK/s-new.json" -e secret_namespace=fresh -e create_namespace=true > /dev/null
  expect "x=created"
  play -e "session=$WORK/s-new.json" -e secret_name=checked --check > /dev/null
  expect "x=would create"
  play -e state=absent --check > /dev/null
  expect "x=would delete"
  echo "== $server: removed, then nothing to remove"
  play -e state=absent > /dev/null
  expect "x=deleted"
  play -e state=absent > /dev/null
  expect "x=absent"
  echo "== $server: the namespace-scoped user: publishes in claude; a namespace it may not see answers 403"
  use "$4" "$5"
  play -e "session=$WORK/s-new.json" -e secret_name=scoped > /dev/null
  expect "x=created"
  fails -e "session=$WORK/s-new.json" -e secret_namespace=ghost
  expect "x=failed"
  msg_has "permission denied (403)"
  unset CLAUDEOPS_RECORD PYTHONPATH
}

scenario real "$WORK/apiserver/real/kubeconfig" admin "$WORK/apiserver/real/kubeconfig-ns" ns
scenario standin "$WORK/k8s/sd/kubeconfig" sd-admin "$WORK/k8s/sd/kubeconfig" sd-scoped

echo "== the answers compared, request by request"
for server in real standin; do  # the recorder saw the scenario's requests (49 when written)
  [ "$(wc -l < "$WORK/record-$server.jsonl")" -ge 40 ] || { echo "only $(wc -l < "$WORK/record-$server.jsonl") requests recorded"; exit 1; }
done
"$PY" "$HERE/files/compare.py" "$WORK/record-real.jsonl" "$WORK/record-standin.jsonl"
echo "== the comparison finds a difference planted in one answer"
"$PY" -c "import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
lines[0]['body']['managedFields'][0]['manager'] = 'someone-else'
print('\n'.join(json.dumps(line) for line in lines))" "$WORK/record-standin.jsonl" > "$WORK/planted.jsonl"
if "$PY" "$HERE/files/compare.py" "$WORK/record-real.jsonl" "$WORK/planted.jsonl" > "$WORK/planted.txt"; then
  echo "compare.py missed a planted difference"; exit 1
fi
grep -q '^request 1 (GET .*managedFields' "$WORK/planted.txt" || { cat "$WORK/planted.txt"; exit 1; }

for f in "$WORK"/*.log; do clean_log "$f"; done
sweep
echo "apiserver_differential: all checks passed"
