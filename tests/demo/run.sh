#!/usr/bin/env bash
# make test's check of the README's first command: `make demo` from the checkout, then every next step it prints,
# typed as printed, against a stand-in cluster in place of ~/.kube/config.
set -eu -o pipefail
cd "$(dirname "$0")/../.."
K8S="$(mktemp -d)"
trap 'bash tests/kube_standin/ctl.sh stop "$K8S" || true; rm -rf "$K8S"' EXIT
export PYTHON="$PWD/.venv/bin/python"
bash tests/kube_standin/ctl.sh start "$K8S" dev claude
make --no-print-directory demo > "$K8S/demo.log" 2>&1 || { tail -30 "$K8S/demo.log"; exit 1; }
grep -F "$(.venv/bin/python tests/demo/next_steps.py print | sed -n 3p | sed 's/^ *//')" "$K8S/demo.log" > /dev/null \
  || { echo "make demo did not print the next steps"; tail -20 "$K8S/demo.log"; exit 1; }
.venv/bin/python tests/demo/next_steps.py run "$K8S/dev/kubeconfig" > "$K8S/next.log" 2>&1 || { tail -40 "$K8S/next.log"; exit 1; }
.venv/bin/python tests/kube_standin/kube.py "$K8S/dev" secret claude claude-session > /dev/null
test -s out/token-status.md
# The README's shortest path, each command as written there (the manifest, the clusters, the long-lived token).
.venv/bin/python tests/demo/next_steps.py readme "$K8S/dev/kubeconfig" > "$K8S/readme.log" 2>&1 \
  || { tail -40 "$K8S/readme.log"; exit 1; }
test "$(grep -c '^== README: ' "$K8S/readme.log")" -ge 4
.venv/bin/python tests/kube_standin/kube.py "$K8S/dev" secret claude claude-session > /dev/null
! grep -q "sk-ant-" "$K8S/demo.log" "$K8S/next.log" "$K8S/readme.log"
echo "demo: make demo, each next step it prints and the README's shortest path work"
