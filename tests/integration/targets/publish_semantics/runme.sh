#!/usr/bin/env bash
# claude_secret where kube-apiserver's semantics matter, against stand-in clusters (fault injection, RBAC users and
# the request log exist only there; publish_clusters is the target that also runs against a real cluster):
# Secrets made by `kubectl apply` (the manual runbook), no half-made Secret, outcomes from what the cluster holds,
# foreign, other-typed and immutable Secrets, stale labels and annotations, namespace-scoped RBAC, module_defaults,
# $KUBECONFIG in errors, in-cluster configuration, bad input, and check mode. Canaries at -vvvv --diff throughout.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
TOKEN=sk-ant-oat01-CANARYTOKEN-0123456789abcdef
secret "$TOKEN" sk-ant-oat01-CANARYDEFAULTS-0123456789 sk-ant-oat01-CANARYKUBECONFIG
clusters() {  # clusters NAME:ROLE ...  (ROLE admin, readonly or scoped: a context of that cluster's kubeconfig)
  "$PY" -c "import json,sys; json.dump([{'name': s.split(':')[0], 'kubeconfig': '$WORK/k8s/%s/kubeconfig' % s.split(':')[0],
    'context': '%s-%s' % tuple(s.split(':'))} for s in sys.argv[1:]], open('$WORK/clusters.json', 'w'))" "$@"
}

bash "$CTL" start "$WORK/k8s" c1 claude
bash "$CTL" start "$WORK/k8s" c2 claude agents --scoped-namespace claude --scoped-namespace ghost
session "$WORK/s-old.json" 6h CANARYOLD
session "$WORK/s-new.json" 7h CANARYNEW
session "$WORK/s-newer.json" 8h CANARYNEWER
clusters c1:admin

echo "== a Secret made by the manual runbook (kubectl create --dry-run=client -o yaml | kubectl apply -f -)"
kubectl --kubeconfig "$WORK/k8s/c1/kubeconfig" create secret generic claude-session -n claude \
  --from-file=.credentials.json="$WORK/s-old.json" --dry-run=client -o yaml \
  | kubectl --kubeconfig "$WORK/k8s/c1/kubeconfig" apply --validate=false -f - > /dev/null
k c1 secret claude claude-session | grep -q 'kubectl.kubernetes.io/last-applied-configuration'
k c1 clear
fails -e "session=$WORK/s-new.json" --diff
expect "c1=failed"
msg_has "exists and is not managed by claudeops.credentials"
msg_has "set adopt: true to take it over"
k c1 requests GET
k c1 secret-data claude claude-session .credentials.json | cmp - "$WORK/s-old.json"

echo "== adopting it in check mode: would update, the old copy shown only as a digest"
play -e "session=$WORK/s-new.json" -e adopt=true --check --diff -vvvv > "$WORK/adopt-check.log" 2>&1 || { tail -40 "$WORK/adopt-check.log"; exit 1; }
expect "c1=would update"
grep -q '"kubectl.kubernetes.io/last-applied-configuration": "sha256:' "$WORK/adopt-check.log"
clean_log "$WORK/adopt-check.log"
k c1 secret-data claude claude-session .credentials.json | cmp - "$WORK/s-old.json"

echo "== adopting it: new data, kubectl's copy of the old credentials removed, our apply owns the data"
play -e "session=$WORK/s-new.json" -e adopt=true --diff -vvvv > "$WORK/adopt.log" 2>&1 || { tail -40 "$WORK/adopt.log"; exit 1; }
expect "c1=updated"
msg_has "remove kubectl's kubectl.kubernetes.io/last-applied-configuration"
clean_log "$WORK/adopt.log"
k c1 secret-data claude claude-session .credentials.json | cmp - "$WORK/s-new.json"
never_in 'last-applied-configuration' k c1 get claude claude-session
# The old session anywhere in the object (its data or kubectl's annotation): its base64 from the tokens on, which no
# other session shares (the first bytes, {"claudeAiOauth": {"accessToken": "sk-ant-, every session has).
never_in "$(base64 -w0 "$WORK/s-old.json" | cut -c49-200)" k c1 get claude claude-session
k c1 owners claude claude-session | grep -q '^claudeops/Apply: .*data.\.credentials\.json'
never_in '^kubectl-client-side-apply/Update: .*data\.' k c1 owners claude claude-session

echo "== and again: unchanged, one read"
k c1 clear
play -e "session=$WORK/s-new.json" > "$WORK/again.log" 2>&1 || { tail -40 "$WORK/again.log"; exit 1; }
expect "c1=unchanged"
k c1 requests GET

echo "== the README's advice: the manifest applied with kubectl apply --server-side --field-manager=claudeops"
play -e "session=$WORK/s-old.json" -e "dest=$WORK/out/by-hand.yaml" -e secret_name=by-hand -e manifest_only=true \
  > "$WORK/manifest.log" 2>&1 \
  || { tail -30 "$WORK/manifest.log"; exit 1; }
secret_holder "$WORK/out/by-hand.yaml"
grep -q 'kubectl apply --server-side --field-manager=claudeops' "$WORK/out/by-hand.yaml"
kubectl --kubeconfig "$WORK/k8s/c1/kubeconfig" apply --server-side --field-manager=claudeops --validate=false \
  -f "$WORK/out/by-hand.yaml" > /dev/null
never_in 'last-applied-configuration' k c1 get claude by-hand
k c1 clear
play -e "session=$WORK/s-old.json" -e secret_name=by-hand > "$WORK/by-hand.log" 2>&1 || { tail -30 "$WORK/by-hand.log"; exit 1; }
expect "c1=unchanged"
k c1 requests GET
play -e "$(token_vars "$TOKEN")" -e secret_name=by-hand -e replace_kind=true > "$WORK/by-hand-token.log" 2>&1 \
  || { tail -30 "$WORK/by-hand-token.log"; exit 1; }
k c1 secret claude by-hand | grep -q '"keys": \[".claude.json", "CLAUDE_CODE_OAUTH_TOKEN"\]'

echo "== labels and annotations we stop sending are removed, and the diff shows it"
play -e "session=$WORK/s-new.json" -e '{"extra_labels": {"team": "agents"}, "extra_annotations": {"example.com/owner": "platform"}}' \
  > "$WORK/labels.log" 2>&1 || { tail -40 "$WORK/labels.log"; exit 1; }
expect "c1=updated"
k c1 secret claude claude-session | grep -q '"team": "agents"'
play -e "session=$WORK/s-new.json" --diff > "$WORK/unlabel.log" 2>&1 || { tail -40 "$WORK/unlabel.log"; exit 1; }
expect "c1=updated"
msg_has "annotations example.com/owner; labels team"
never_in '"team"' k c1 secret claude claude-session
never_in 'example.com/owner' k c1 secret claude claude-session
grep -q '^-.*"team": "agents"' "$WORK/unlabel.log"

echo "== a write whose answer is lost: read again, reported as the change it made, workloads restarted"
k c1 deployment claude agent
k c1 fault '{"lose_answer": 1, "methods": ["PATCH"]}'
k c1 clear
play -e "session=$WORK/s-newer.json" -e '{"restart": ["Deployment/agent"]}' > "$WORK/lost.log" 2>&1 || { tail -40 "$WORK/lost.log"; exit 1; }
expect "c1=updated"
k c1 log > "$WORK/lost-requests.txt"
sed -n 2p "$WORK/lost-requests.txt" | grep -q 'PATCH .* answer lost after 200'
k c1 requests GET PATCH GET GET PATCH
k c1 secret-data claude claude-session .credentials.json | cmp - "$WORK/s-newer.json"
fp="$("$PY" -c "import json; print(json.load(open('$WORK/result.json'))['fingerprint'])")"
test "$(k c1 template-annotation claude agent)" = "$fp"

echo "== no half-made Secret: a create that fails leaves nothing, a create whose answer is lost is whole"
clusters c2:admin
for fault in '{"status": 422, "count": 1, "methods": ["POST"]}' '{"status": 503, "count": 9, "methods": ["POST"]}'; do
  k c2 fault "$fault"
  fails -e "session=$WORK/s-new.json"
  expect "c2=failed"
  k c2 absent claude claude-session
  k c2 fault '{"count": 0}'
done
k c2 fault '{"lose_answer": 1, "methods": ["POST"]}'
k c2 clear
play -e "session=$WORK/s-new.json" > "$WORK/lost-create.log" 2>&1 || { tail -40 "$WORK/lost-create.log"; exit 1; }
expect "c2=created"
k c2 requests GET POST GET PATCH
k c2 secret claude claude-session | grep -q '"keys": \[".claude.json", ".credentials.json"\]'
k c2 owners claude claude-session | grep -q '^claudeops/Apply: .*data.\.credentials\.json'
never_in '^claudeops/Update' k c2 owners claude claude-session

echo "== the ownership fix-up failing leaves a whole Secret, and the next run finishes it"
play -e state=absent > /dev/null 2>&1
k c2 fault '{"status": 503, "count": 9, "methods": ["PATCH"]}'
fails -e "session=$WORK/s-new.json"
expect "c2=failed"
k c2 secret claude claude-session | grep -q '"keys": \[".claude.json", ".credentials.json"\]'
k c2 owners claude claude-session | grep -q '^claudeops/Update'
k c2 fault '{"count": 0}'
play -e "session=$WORK/s-new.json" > "$WORK/finish.log" 2>&1 || { tail -40 "$WORK/finish.log"; exit 1; }
expect "c2=updated"
msg_has "move field ownership to server-side apply"
never_in '^claudeops/Update' k c2 owners claude claude-session

echo "== an admission webhook that quotes the refused object: its message reaches the result without the data"
k c2 fault '{"status": 403, "count": 1, "methods": ["PATCH"], "quote_body": true}'
fails -e "session=$WORK/s-newer.json" -vvvv
k c2 fault '{"count": 0, "quote_body": false}'
expect "c2=failed"
msg_has 'admission webhook \\"quote.example.com\\" denied the request'
msg_has '<hidden>'
clean_log "$WORK/fail.log"
clean_log "$WORK/result.json"

echo "== a Secret with no credential key is missing to claude_secret_info, the monitor and the doctor"
k c2 create claude '{"metadata": {"name": "hollow", "labels": {"app.kubernetes.io/managed-by": "claudeops.credentials"}}, "data": {".claude.json": "e30="}}'
"$PY" -c "import json; json.dump({'claudeops_clusters': json.load(open('$WORK/clusters.json')), 'claudeops_secret_name': 'hollow',
  'claudeops_status_path': '$WORK/status/token-status.json'}, open('$WORK/hollow-vars.json', 'w'))"
ansible localhost -m claudeops.credentials.claude_secret_info -a "name=hollow kubeconfig=$WORK/k8s/c2/kubeconfig context=c2-admin" \
  > "$WORK/hollow-info.log" 2>&1 || { cat "$WORK/hollow-info.log"; exit 1; }
grep -q '"status": "missing"' "$WORK/hollow-info.log"
grep -q '"detail": "the Secret has no credential key' "$WORK/hollow-info.log"
printf '[claude_hosts]\n' > "$WORK/no-hosts.ini"
if ansible-playbook "$COLLECTION/playbooks/monitor-tokens.yml" -i "$WORK/no-hosts.ini" -e "@$WORK/hollow-vars.json" \
  > "$WORK/hollow-monitor.log" 2>&1; then echo "the monitor should fail on a Secret with no credentials"; exit 1; fi
grep -q '"status": "missing"' "$WORK/status/token-status.json"
grep -q 'no credential key' "$WORK/status/token-status.json"
if ansible-playbook "$COLLECTION/playbooks/doctor.yml" -i "$WORK/no-hosts.ini" -e "@$WORK/hollow-vars.json" \
  > "$WORK/hollow-doctor.log" 2>&1; then echo "the doctor should fail on a Secret with no credentials"; exit 1; fi
grep -q 'FAIL.*Secret present.*exists but the Secret has no credential key' "$WORK/hollow-doctor.log"

echo "== switching to the long-lived token removes the session keys a create had made"
play -e "$(token_vars "$TOKEN")" -e replace_kind=true > "$WORK/switch.log" 2>&1 || { tail -40 "$WORK/switch.log"; exit 1; }
expect "c2=updated"
k c2 secret claude claude-session | grep -q '"keys": \[".claude.json", "CLAUDE_CODE_OAUTH_TOKEN"\]'
clean_log "$WORK/switch.log"

echo "== a same-named Secret of another type, and an immutable one: refused with the fix"
k c2 create claude '{"metadata": {"name": "typed", "labels": {"app.kubernetes.io/managed-by": "claudeops.credentials"}}, "type": "kubernetes.io/basic-auth", "data": {"username": "eA=="}}'
fails -e "session=$WORK/s-new.json" -e secret_name=typed
msg_has "has type kubernetes.io/basic-auth, and Kubernetes cannot change a Secret's type"
k c2 create claude '{"metadata": {"name": "frozen", "labels": {"app.kubernetes.io/managed-by": "claudeops.credentials"}}, "immutable": true, "data": {".credentials.json": "eA=="}}'
fails -e "session=$WORK/s-new.json" -e secret_name=frozen
msg_has "is immutable (immutable: true), so its data cannot change"
test "$(k c2 secret-data claude frozen .credentials.json)" = x
echo "   (and the stand-in refuses those changes itself, as kube-apiserver does)"
"$PY" -c "
import sys; sys.path.insert(0, '$COLLECTION/tests/kube_standin')
from kube import Kube
k = Kube('$WORK/k8s/c2')
base = '/api/v1/namespaces/claude/secrets/'
for name, patch, needle in (('typed', {'type': 'Opaque'}, 'type: Invalid value: \"Opaque\": field is immutable'),
                            ('frozen', {'data': {'.credentials.json': 'eQ=='}}, 'field is immutable when \`immutable\` is set'),
                            ('typed', {'metadata': {'labels': {'bad key!': 'x'}}}, 'metadata.labels: Invalid value: \"bad key!\"')):
    status, body = k.call('PATCH', base + name, patch, 'application/merge-patch+json')
    assert status == 422 and needle in body['message'], (status, body)
"

echo "== namespace-scoped RBAC: a missing namespace answers 403, and the message says both"
clusters c2:scoped
play -e "session=$WORK/s-new.json" -e secret_name=scoped-ok > "$WORK/scoped.log" 2>&1 || { tail -40 "$WORK/scoped.log"; exit 1; }
expect "c2=created"
fails -e "session=$WORK/s-new.json" -e secret_namespace=ghost
expect "c2=failed"
msg_has "permission denied (403)"
msg_has "a namespace that does not exist is also answered with 403"

echo "== module_defaults for the k8s group set the connection of both modules"
cat > "$WORK/defaults.yml" <<EOF
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/claudeops.credentials.k8s:
      kubeconfig: $WORK/k8s/c1/kubeconfig
      context: c1-admin
  tasks:
    - claudeops.credentials.claude_secret:
        name: from-defaults
        oauth_token: sk-ant-oat01-CANARYDEFAULTS-0123456789
      register: out
    - claudeops.credentials.claude_secret_info:
        name: from-defaults
      register: info
    - ansible.builtin.assert:
        that:
          - out.clusters | map(attribute='action') | list == ['created']
          - info.clusters[0].name == 'c1-admin' and info.clusters[0].exists
EOF
secret_holder "$WORK/defaults.yml"
ansible-playbook "$WORK/defaults.yml" > "$WORK/defaults.log" 2>&1 || { tail -30 "$WORK/defaults.log"; exit 1; }
clean_log "$WORK/defaults.log"

echo "== no kubeconfig anywhere: \$KUBECONFIG is named in the error"
echo '[{"name": "nowhere"}]' > "$WORK/clusters.json"
KUBECONFIG="$WORK/no/such/kubeconfig" fails -e "session=$WORK/s-new.json"
msg_has "no kubeconfig: \$KUBECONFIG ($WORK/no/such/kubeconfig) does not exist"
msg_has "this is not a pod with a service account"

echo "== in a pod (service account, no kubeconfig): the in-cluster configuration is used"
# A private mount namespace with a tmpfs on /run stands for the pod's filesystem: nothing on this machine is touched.
cat > "$WORK/in-pod.sh" <<EOF
set -eu
mount -t tmpfs tmpfs /run
mkdir -p /run/secrets/kubernetes.io/serviceaccount
printf %s standin-admin-token > /run/secrets/kubernetes.io/serviceaccount/token
cp "$WORK/k8s/c1/ca.pem" /run/secrets/kubernetes.io/serviceaccount/ca.crt
echo '[{"name": "in-cluster"}]' > "$WORK/clusters.json"
env -u KUBECONFIG -u K8S_AUTH_KUBECONFIG HOME="$WORK/empty-home" KUBERNETES_SERVICE_HOST=127.0.0.1 \
  KUBERNETES_SERVICE_PORT="$(cat "$WORK/k8s/c1/port")" \
  ansible-playbook "$COLLECTION/tests/integration/publish.yml" -e "work=$WORK" -e secret_name=in-pod \
  -e "session=$WORK/s-new.json"
EOF
mkdir -p "$WORK/empty-home"
unshare --mount --propagation private bash "$WORK/in-pod.sh" > "$WORK/in-pod.log" 2>&1 || { tail -30 "$WORK/in-pod.log"; exit 1; }
expect "in-cluster=created"
k c1 secret claude in-pod | grep -q '"claudeops.io/source-host": "ws1"'
if [ -e /run/secrets/kubernetes.io/serviceaccount/token ] && grep -q standin /run/secrets/kubernetes.io/serviceaccount/token; then
  echo "the pod's token was written outside the private mount namespace"; exit 1
fi

echo "== bad input: one clear error, no request"
clusters c1:admin
k c1 clear
printf '{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYNAN-a", "refreshToken": "r", "expiresAt": NaN}}' > "$WORK/s-nan.json"
fails -e "session=$WORK/s-nan.json"
grep -q "claudeAiOauth.expiresAt is not a time (not finite)" "$WORK/fail.log"
printf '{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYSECS-a", "refreshToken": "r", "expiresAt": %d}}' "$(( $(date +%s) + 3600 ))" > "$WORK/s-secs.json"
register_session "$WORK/s-nan.json"
register_session "$WORK/s-secs.json"
fails -e "session=$WORK/s-secs.json"
grep -q "which reads as seconds" "$WORK/fail.log"
session "$WORK/s-expired.json" -1h CANARYEXPIRED
fails -e "session=$WORK/s-expired.json"
grep -q "the credentials already expired" "$WORK/fail.log"
fails -e "$(token_vars "$TOKEN")" -e expires_at=9999-12-31
grep -q "expires_at: 9999-12-31T00:00:00Z is more than 400 days ahead" "$WORK/fail.log"
session "$WORK/s-far.json" 300d CANARYFAR  # a clock ahead, or a crafted file: refused, the token keeps its year
fails -e "session=$WORK/s-far.json"
grep -q "later than a session lives .*session_max_lifetime" "$WORK/fail.log"
fails -e "session=$WORK/s-new.json" -e "expires_at=$(date -u -d '+3 days' +%Y-%m-%dT%H:%M:%SZ)"
grep -q "expires_at: its expiry .*later than a session lives" "$WORK/fail.log"
fails -e "session=$WORK/s-new.json" -e request_timeout=0
grep -q "request_timeout: 0.0; it must be a number of seconds above 0" "$WORK/fail.log"
fails -e "session=$WORK/s-new.json" -e retries=-1
grep -q "retries: -1; it must be 0 or more" "$WORK/fail.log"
fails -e "session=$WORK/s-new.json" -e '{"extra_labels": {"bad key!": "x"}}'
grep -q "labels: 'bad key!' is not a valid key" "$WORK/fail.log"
k c1 requests
clean_log "$WORK/fail.log"

echo "== a kubeconfig whose user is a string fails its cluster alone, quoting nothing"
"$PY" "$HERE/files/string_user_kubeconfig.py" "$WORK"
secret_holder "$WORK/bad-kubeconfig"
fails -e "session=$WORK/s-new.json" -e secret_name=beside-broken
expect "broken=failed c2=created"
msg_has "users\[0\] ('c1-admin'): 'user' must be a mapping (such as token, client-certificate-data or exec), not a str"
clean_log "$WORK/fail.log"

echo "== an answer no API server gives fails that cluster alone, with its reason and no traceback"
k c2 fault '{"garbage": 1}'
fails -e "session=$WORK/s-new.json" -e secret_name=beside-broken
expect "broken=failed c2=failed"
msg_has "c2: unexpected AttributeError"
never grep -q Traceback "$WORK/fail.log"

echo "== dest holding the manifest of another Secret is refused and kept"
clusters c1:admin
play -e "session=$WORK/s-new.json" -e "dest=$WORK/out/other.yaml" -e secret_name=other > /dev/null 2>&1
cp "$WORK/out/other.yaml" "$WORK/other.before"
secret_holder "$WORK/out/other.yaml" "$WORK/other.before"
fails -e "session=$WORK/s-new.json" -e "dest=$WORK/out/other.yaml"
grep -q "holds the manifest of Secret claude/other, not claude/claude-session; it was left alone" "$WORK/fail.log"
cmp "$WORK/out/other.yaml" "$WORK/other.before"

echo "== check mode says would create and would delete"
play -e "session=$WORK/s-new.json" -e secret_name=brand-new --check > "$WORK/check-new.log" 2>&1 || { tail -30 "$WORK/check-new.log"; exit 1; }
expect "c1=would create"
msg_has "Secret would be created"
k c1 absent claude brand-new
play -e state=absent --check > "$WORK/check-absent.log" 2>&1 || { tail -30 "$WORK/check-absent.log"; exit 1; }
expect "c1=would delete"
k c1 secret claude claude-session > /dev/null
never grep -qw created "$WORK/check-new.log"
echo "== no secret of the run in any output, file left behind or stored object"
sweep
echo "publish_semantics: all checks passed"
