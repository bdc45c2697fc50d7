#!/usr/bin/env bash
# docs/workloads.md followed as written, on stand-in clusters: apply each Deployment of docs/workloads/, publish
# the credentials with claudeops_restart naming it, and run its pod here (tests/kube_standin/pod_runner.py, with a
# fake `claude` that authenticates as Claude Code does) until `claude -p` answers.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
RUNNER="$COLLECTION/tests/kube_standin/pod_runner.py"
apply() {  # apply CLUSTER FILE: what `kubectl apply -f FILE` does, with kubernetes.core.k8s
  ansible localhost -m kubernetes.core.k8s -a "src=$2 kubeconfig=$WORK/k8s/$1/kubeconfig apply=true" > /dev/null
}
clusters() { printf '{"claudeops_clusters": [{"name": "%s", "kubeconfig": "%s"}]}' "$1" "$WORK/k8s/$1/kubeconfig" > "$WORK/$1.json"; }
for c in tok ses; do bash "$CTL" start "$WORK/k8s" "$c" claude; clusters "$c"; done
TOKEN="sk-ant-oat01-CANARYWORKLOADTOKEN0123456789"
secret "$TOKEN"
# A pod's volumes hold the Secret's files: that is where they belong.
secret_holder "$WORK/pod-tok" "$WORK/pod-ses" "$WORK/pod-bare"

echo "== the long-lived token: apply the Deployment, publish with claudeops_restart, the pod's claude -p answers"
apply tok "$COLLECTION/docs/workloads/token-deployment.yaml"
(cd "$WORK" && CLAUDE_CODE_OAUTH_TOKEN="$TOKEN" ansible-playbook "$COLLECTION/playbooks/publish-oauth-token.yml" \
  -e "@$WORK/tok.json" -e '{"claudeops_restart": ["Deployment/claude-agent"]}') > "$WORK/tok.log" 2>&1 \
  || { tail -30 "$WORK/tok.log"; exit 1; }
test -n "$(k tok template-annotation claude claude-agent)"  # restarted onto the new credentials
mkdir "$WORK/pod-tok"
"$PY" "$RUNNER" "$WORK/k8s/tok" claude claude-agent "$WORK/pod-tok" "$HERE/files" > "$WORK/pod-tok.out"
grep -x OK "$WORK/pod-tok.out" > /dev/null || { cat "$WORK/pod-tok.out"; exit 1; }
grep -x "secret volume unchanged" "$WORK/pod-tok.out" > /dev/null

echo "== a captured session: the pod copies it somewhere writable (0600) and Claude Code refreshes it there"
mkdir -p "$WORK/ws/.claude"
"$PY" "$FAKE_SESSION" "$WORK/ws/.claude" --expires-in 8h --token-tag CANARYWORKLOADSESSION > /dev/null
register_session "$WORK/ws/.claude/.credentials.json"
printf '[claude_hosts]\nws ansible_connection=local claudeops_session_path=%s ansible_python_interpreter=%s\n' \
  "$WORK/ws/.claude" "$PY" > "$WORK/hosts.ini"
apply ses "$COLLECTION/docs/workloads/session-deployment.yaml"
(cd "$WORK" && ansible-playbook "$COLLECTION/playbooks/capture-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/ses.json" \
  -e '{"claudeops_restart": ["Deployment/claude-agent"]}') > "$WORK/ses.log" 2>&1 || { tail -30 "$WORK/ses.log"; exit 1; }
test -n "$(k ses template-annotation claude claude-agent)"
mkdir "$WORK/pod-ses"
"$PY" "$RUNNER" "$WORK/k8s/ses" claude claude-agent "$WORK/pod-ses" "$HERE/files" > "$WORK/pod-ses.out"
grep -x "OK (session refreshed)" "$WORK/pod-ses.out" > /dev/null || { cat "$WORK/pod-ses.out"; exit 1; }
grep -x "secret volume unchanged" "$WORK/pod-ses.out" > /dev/null
test "$(stat -c %a "$WORK/pod-ses/volumes/home/.claude/.credentials.json")" = 600
grep -q -- "-rotated" "$WORK/pod-ses/volumes/home/.claude/.credentials.json"  # the refresh was written back
"$PY" -c "import yaml; d = yaml.safe_load(open('$COLLECTION/docs/workloads/session-deployment.yaml')); \
assert d['spec']['replicas'] == 1 and d['spec']['strategy']['type'] == 'Recreate'"

echo "== without the onboarding file, Claude Code stops at its onboarding screen (why the Secret carries .claude.json)"
sed 's#cp /var/run/claude-secret/.claude.json /home/claude/.claude.json \&\& chmod 600 /home/claude/.claude.json#true#' \
  "$COLLECTION/docs/workloads/token-deployment.yaml" > "$WORK/no-onboarding.yaml"
never cmp -s "$WORK/no-onboarding.yaml" "$COLLECTION/docs/workloads/token-deployment.yaml"
apply tok "$WORK/no-onboarding.yaml"
mkdir "$WORK/pod-bare"
"$PY" "$RUNNER" "$WORK/k8s/tok" claude claude-agent "$WORK/pod-bare" "$HERE/files" > "$WORK/pod-bare.out"
grep -q "onboarding" "$WORK/pod-bare.out"

echo "== no secret of the run in any output, file left behind or stored object"
sweep
echo "workloads: all checks passed"
