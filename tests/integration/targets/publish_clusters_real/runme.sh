#!/usr/bin/env bash
# publish_clusters in its CLAUDEOPS_TEST_KUBECONFIG mode (a cluster reached only through a kubeconfig, namespaces of
# the run's own made and removed), here against a stand-in cluster, so that the mode's own code runs in make test.
# The stand-in's request log then shows the run reached that cluster, and that nothing of the run is left on it.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"

# The inner run sweeps its own files; this sweep reads its output and the cluster with the same secrets.
secret CANARYTEN CANARYTWENTY CANARYFIVE sk-ant-oat01-CANARYTOKEN-0123456789abcdef
bash "$CTL" start "$WORK/k8s" real
export CLAUDEOPS_TEST_KUBECONFIG="$WORK/k8s/real/kubeconfig"

echo "== publish_clusters with CLAUDEOPS_TEST_KUBECONFIG set"
bash "$HERE/../publish_clusters/runme.sh" > "$WORK/inner.log" 2>&1 || { tail -40 "$WORK/inner.log"; exit 1; }
grep -q "publish_clusters: all checks passed against the cluster in CLAUDEOPS_TEST_KUBECONFIG" "$WORK/inner.log" \
  || { tail -20 "$WORK/inner.log"; exit 1; }

echo "== it reached that cluster: three namespaces of its own made, written, and removed"
log="$(k real log)"
test "$(grep -c '^POST /api/v1/namespaces .* 201$' <<< "$log")" -eq 3 || { echo "$log"; exit 1; }
test "$(grep -c '^DELETE /api/v1/namespaces/claudeops-test-[0-9]*-[0-2] .* 200$' <<< "$log")" -eq 3 || { echo "$log"; exit 1; }
never_in 'claudeops-test-' k real get-path /api/v1/namespaces
sweep
echo "publish_clusters_real: all checks passed"
