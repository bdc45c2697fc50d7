#!/usr/bin/env bash
# publish_apiserver: claude_secret against a real kube-apiserver (setup_kube_apiserver), with every release line of
# the kubernetes client we declare (make client-matrix: one python each), and the kube stand-in side by side with
# it where the stand-in claims to answer as kube-apiserver does. The stand-in stays for faults and scale; here it
# must agree with the real server.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_kube_apiserver/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"

start_kube_apiserver real
bash "$CTL" start "$WORK/k8s" standin claude
REAL="$WORK/apiserver/real/kubeconfig"
echo "== kube-apiserver: $(ka real GET /version | "$PY" -c 'import json, sys; print(json.loads(sys.stdin.read().rsplit("\nHTTP ", 1)[0])["gitVersion"])')"

echo "== the stand-in refuses the apply bodies kube-apiserver refuses, with the same status and message"
"$PY" "$HERE/files/raw_apply.py" "$REAL" > "$WORK/raw-real.txt"
"$PY" "$HERE/files/raw_apply.py" "$WORK/k8s/standin/kubeconfig" standin-admin > "$WORK/raw-standin.txt"
cat "$WORK/raw-real.txt"
grep -q "^string-literal 400 .*cannot unmarshal string into Go value" "$WORK/raw-real.txt" \
  || { echo "kube-apiserver did not refuse a JSON string literal as expected"; exit 1; }
diff "$WORK/raw-real.txt" "$WORK/raw-standin.txt" || { echo "the stand-in answers otherwise than kube-apiserver"; exit 1; }

runbook() {  # runbook TAG SESSION: claude-TAG-kubectl, made as the manual runbook makes it (real kubectl, client-side apply)
  kubectl --kubeconfig "$REAL" create secret generic "claude-$1-kubectl" -n claude --from-file=.credentials.json="$2" \
    --dry-run=client -o yaml | kubectl --kubeconfig "$REAL" apply -f - > /dev/null
}

echo "== claude_secret with each release line of the kubernetes client: create, nothing to do, rotate, an emoji,"
echo "   to a session and back, the runbook's Secret refused and then adopted, removed in check mode, then twice"
command -v claudeops-client-matrix > /dev/null || { echo "no client matrix: run make client-matrix"; exit 1; }
lines=0
while read -r version python; do
  tag="v${version//./}"
  secret "sk-ant-oat01-CANARYMX$tag-one" "sk-ant-oat01-CANARYMX$tag-two"
  session "$WORK/session-$tag.json" 6h "CANARYMX$tag"
  runbook "$tag" "$WORK/session-$tag.json"
  if ! ansible-playbook "$HERE/files/matrix.yml" -e "kubeconfig=$REAL" -e "tag=$tag" -e "session=$WORK/session-$tag.json" \
      -e "ansible_python_interpreter=$python" > "$WORK/matrix-$version.log" 2>&1; then
    echo "kubernetes $version: FAILED"; tail -30 "$WORK/matrix-$version.log"; exit 1
  fi
  ka real GET "/api/v1/namespaces/claude/secrets/claude-$tag" | "$PY" "$HERE/files/check_secret.py" "$tag"
  echo "kubernetes $version: created, unchanged, updated x4 (rotation, emoji, session, token), refused, adopted, would delete,"\
    "deleted, absent; stored as written"
  lines=$((lines + 1))
done < <(claudeops-client-matrix)
[ "$lines" -ge 14 ] || { echo "only $lines release lines were tried"; exit 1; }

echo "== the same steps on the stand-in give the same results (the newest client)"
newest="$(claudeops-client-matrix | tail -1)"
secret sk-ant-oat01-CANARYMXstandin-one sk-ant-oat01-CANARYMXstandin-two
session "$WORK/session-standin.json" 6h CANARYMXstandin
kubectl --kubeconfig "$WORK/k8s/standin/kubeconfig" --context standin-admin create secret generic claude-standin-kubectl \
  -n claude --from-file=.credentials.json="$WORK/session-standin.json" --dry-run=client -o yaml \
  | kubectl --kubeconfig "$WORK/k8s/standin/kubeconfig" --context standin-admin apply --validate=false -f - > /dev/null
ansible-playbook "$HERE/files/matrix.yml" -e "kubeconfig=$WORK/k8s/standin/kubeconfig" -e context=standin-admin \
  -e tag=standin -e "session=$WORK/session-standin.json" -e "ansible_python_interpreter=${newest#* }" \
  > "$WORK/matrix-standin.log" 2>&1 || { tail -30 "$WORK/matrix-standin.log"; exit 1; }

echo "== state: absent on a Secret a finalizer keeps: one DELETE, the run ends and names the finalizer"
newest_python="${newest#* }"
absent() {  # absent LOG: claude_secret state=absent on claude-v2420 of the real server, with the newest client;
  # bounded (it looped without end before), and a run that timed out leaves no action in LOG
  timeout 120 ansible localhost -m claudeops.credentials.claude_secret -e "ansible_python_interpreter=$newest_python" \
    -a "kubeconfig=$REAL namespace=claude name=claude-v2420 state=absent" > "$WORK/$1" 2>&1 || true
}
ka real PATCH /api/v1/namespaces/claude/secrets/claude-v2420 -H 'Content-Type: application/merge-patch+json' \
  -d '{"metadata":{"finalizers":["example.com/hold"]}}' | tail -1 | grep -q "HTTP 200"
absent absent-1.log
if ! grep -q '"action": "deleted"' "$WORK/absent-1.log" || ! grep -q "the finalizers example.com/hold keep it" \
    "$WORK/absent-1.log" || ! grep -Eq '"requests": 3([^0-9]|$)' "$WORK/absent-1.log"; then  # GET, DELETE, GET
  cat "$WORK/absent-1.log"; exit 1
fi
ka real GET /api/v1/namespaces/claude/secrets/claude-v2420 | grep -q '"deletionTimestamp"'
absent absent-2.log
if ! grep -q '"action": "unchanged"' "$WORK/absent-2.log" || ! grep -q "deletion already pending since" "$WORK/absent-2.log"; then
  cat "$WORK/absent-2.log"; exit 1
fi
ka real PATCH /api/v1/namespaces/claude/secrets/claude-v2420 -H 'Content-Type: application/merge-patch+json' \
  -d '{"metadata":{"finalizers":null}}' > /dev/null
wait_for 30 eval 'ka real GET /api/v1/namespaces/claude/secrets/claude-v2420 | tail -1 | grep -q "HTTP 404"'
absent absent-3.log
grep -q '"action": "absent"' "$WORK/absent-3.log" || { cat "$WORK/absent-3.log"; exit 1; }

for f in "$WORK"/matrix-*.log "$WORK"/raw-*.txt "$WORK"/absent-*.log; do clean_log "$f"; done
sweep
echo "publish_apiserver: all checks passed"
