#!/usr/bin/env bash
# publish_clusters in its CLAUDEOPS_TEST_KUBECONFIG mode (a cluster reached only through a kubeconfig, namespaces of
# the run's own made and removed), here against a real kube-apiserver at the older release we build (at least two
# minors before the newest, which publish_apiserver and apiserver_flows use): create with the namespaces, nothing to
# do, check mode, update, an older session refused, the long-lived token, removal, at -vvvv --diff with canaries.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_kube_apiserver/setup.sh"

# The inner run sweeps its own files; this sweep reads its output with the same secrets.
secret CANARYTEN CANARYTWENTY CANARYFIVE sk-ant-oat01-CANARYTOKEN-0123456789abcdef
start_kube_apiserver real older
export CLAUDEOPS_TEST_KUBECONFIG="$WORK/apiserver/real/kubeconfig"

echo "== publish_clusters with CLAUDEOPS_TEST_KUBECONFIG set"
bash "$HERE/../publish_clusters/runme.sh" > "$WORK/inner.log" 2>&1 || { tail -40 "$WORK/inner.log"; exit 1; }
grep -q "publish_clusters: all checks passed against the cluster in CLAUDEOPS_TEST_KUBECONFIG" "$WORK/inner.log" \
  || { tail -20 "$WORK/inner.log"; exit 1; }

echo "== it reached that server: three namespaces of its own made and removed (Terminating: no namespace controller"
echo "   runs here), their Secrets gone"
ns="$(ka real GET /api/v1/namespaces | "$PY" -c '
import json, sys
doc = json.loads(sys.stdin.read().rsplit("\nHTTP ", 1)[0])
print(" ".join("%s=%s" % (n["metadata"]["name"], n["status"]["phase"]) for n in doc["items"]
               if n["metadata"]["name"].startswith("claudeops-test-")))')"
[[ "$ns" =~ ^claudeops-test-[0-9]+-0=Terminating\ claudeops-test-[0-9]+-1=Terminating\ claudeops-test-[0-9]+-2=Terminating$ ]] \
  || { echo "namespaces: '$ns'"; exit 1; }
for n in $ns; do
  ka real GET "/api/v1/namespaces/${n%%=*}/secrets/claude-session" | tail -1 | grep -q "HTTP 404"
done
clean_log "$WORK/inner.log"
sweep
echo "publish_clusters_real: all checks passed on kube-apiserver $(cat "$WORK/apiserver/real/version")"
