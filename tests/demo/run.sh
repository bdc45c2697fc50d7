#!/usr/bin/env bash
# make test's walk through the docs as a new user follows them, from a fresh clone to a Deployment whose `claude -p`
# answers: `make demo` from the checkout, every next step it prints (typed as printed), the README's shortest path,
# then docs/workloads.md's token Deployment, against a stand-in cluster in place of ~/.kube/config.
set -eu -o pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/integration/checks.sh
. tests/integration/checks.sh
K8S="$(mktemp -d)"
touch "$K8S/started"
trap 'bash tests/kube_standin/ctl.sh stop "$K8S" || true; rm -rf "$K8S"' EXIT
export PYTHON="$PWD/.venv/bin/python"
bash tests/kube_standin/ctl.sh start "$K8S" dev claude
make --no-print-directory demo > "$K8S/demo.log" 2>&1 || { tail -30 "$K8S/demo.log"; exit 1; }
grep -F "$(.venv/bin/python tests/demo/next_steps.py print | sed -n 3p | sed 's/^ *//')" "$K8S/demo.log" > /dev/null \
  || { echo "make demo did not print the next steps"; tail -20 "$K8S/demo.log"; exit 1; }
# Every module of another collection that the playbooks, roles and plugins name (the Windows capture path, login_hook
# on Windows, playbooks/awx) resolves as make demo left things: through ansible.cfg's collections_path alone, not
# through the ansible package that make test adds to this venv (ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false).
MODULES="$(grep -rhoE '\b(ansible\.windows|awx\.awx|kubernetes\.core)\.[a-z0-9_]+' playbooks roles plugins extensions | sort -u)"
[ "$(wc -l <<< "$MODULES")" -ge 10 ] || { echo "found only these modules of other collections: $MODULES"; exit 1; }
resolved() {  # resolved [ENV...]: every module in MODULES has its docs, the collections found as make demo installs them
  local out
  # shellcheck disable=SC2086  # one word per module
  out="$(env ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false "$@" .venv/bin/ansible-doc -t module $MODULES 2>&1)" || true
  for m in $MODULES; do grep -q "^> MODULE $m\b" <<< "$out" || { echo "   not resolved: $m"; return 1; }; done
}
resolved || { echo "make demo left modules the collection uses unresolved"; exit 1; }
# Proven once: with only an empty collections path (what make demo gave before), the same check fails.
if resolved ANSIBLE_COLLECTIONS_PATH="$K8S/no-collections" > /dev/null; then
  echo "the module check passes without the collections: it proves nothing"; exit 1
fi
.venv/bin/python tests/demo/next_steps.py run "$K8S/dev/kubeconfig" > "$K8S/next.log" 2>&1 || { tail -40 "$K8S/next.log"; exit 1; }
.venv/bin/python tests/kube_standin/kube.py "$K8S/dev" secret claude claude-session > /dev/null
test out/token-status.md -nt "$K8S/started"  # written by this run, not left by an earlier one
# The README's shortest path, each command as written there (the manifest, the clusters, the long-lived token).
.venv/bin/python tests/demo/next_steps.py readme "$K8S/dev/kubeconfig" > "$K8S/readme.log" 2>&1 \
  || { tail -40 "$K8S/readme.log"; exit 1; }
test "$(grep -c '^== README: ' "$K8S/readme.log")" -ge 4
# The session row and then the token row on one cluster, as the README says: each kind in its own Secret, the session
# kept (a token published over it took it away before #27).
keys() { .venv/bin/python tests/kube_standin/kube.py "$K8S/dev" secret claude "$1" | .venv/bin/python -c \
  'import json, sys; print(" ".join(json.load(sys.stdin)["keys"]))'; }
test "$(keys claude-session)" = ".claude.json .credentials.json" || { echo "claude-session holds $(keys claude-session)"; exit 1; }
test "$(keys claude-token)" = ".claude.json CLAUDE_CODE_OAUTH_TOKEN" || { echo "claude-token holds $(keys claude-token)"; exit 1; }
# Then docs/workloads.md's token Deployment, applied with kubectl as the doc shows and published with the restart,
# and its pod run here with the fake claude of the workloads target: claude -p answers with the published token.
KUBECONFIG="$K8S/dev/kubeconfig" .venv/bin/kubectl apply --validate=false -f docs/workloads/token-deployment.yaml > /dev/null
printf 'claudeops_clusters:\n  - name: dev\n    kubeconfig: %s\n' "$K8S/dev/kubeconfig" > "$K8S/clusters.yml"
CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-DEMO-workload-token-0123 .venv/bin/ansible-playbook playbooks/publish-oauth-token.yml \
  -e "@$K8S/clusters.yml" -e '{"claudeops_restart": ["Deployment/claude-agent"]}' > "$K8S/workload.log" 2>&1 \
  || { tail -30 "$K8S/workload.log"; exit 1; }
mkdir "$K8S/pod"
.venv/bin/python tests/kube_standin/pod_runner.py "$K8S/dev" claude claude-agent "$K8S/pod" \
  "$PWD/tests/integration/targets/workloads/files" > "$K8S/pod.out"
grep -x OK "$K8S/pod.out" > /dev/null || { cat "$K8S/pod.out"; exit 1; }
# docs/event-driven.md: make eda and the rulebook command, as written, in a plain-path copy of this checkout.
bash tests/demo/rulebook.sh "$K8S" || exit 1
# docs/stores.md: the store clients installed beside what make demo installed, pip check clean.
bash tests/demo/stores.sh "$K8S" || exit 1
never grep -q "sk-ant-" "$K8S/demo.log" "$K8S/next.log" "$K8S/readme.log" "$K8S/workload.log" "$K8S/pod.out"
# The sweep every target uses: the demo's session and the workload token in any form, in every log and in the report.
printf '%s\n' sk-ant-oat01-DEMO-workload-token-0123 > "$K8S/secrets"
.venv/bin/python tests/tools/leak_sweep.py --secrets "$K8S/secrets" --session .build/demo/.claude/.credentials.json \
  "$K8S"/*.log "$K8S/pod.out" out/token-status.md out/token-status.json
echo "demo: make demo, each next step it prints, the README's shortest path, the token Deployment and the rulebook work"
