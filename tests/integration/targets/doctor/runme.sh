#!/usr/bin/env bash
# doctor.yml on a healthy setup (passes, every row ok, nothing written) and on a broken one (fails, each FAIL
# row with its fix).
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
vars() {  # vars NAME:CONTEXT[:NAMESPACE] ...
  "$PY" "$HERE/files/cluster_vars.py" "$WORK" "$@"
}
doctor() { ansible-playbook "$COLLECTION/playbooks/doctor.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json"; }

bash "$CTL" start "$WORK/k8s" c1 claude
bash "$CTL" start "$WORK/k8s" c2 claude
mkdir -p "$WORK/ws1"
session "$WORK/ws1/.credentials.json" 10h CANARYDOCA
printf '[claude_hosts]\nws1 ansible_connection=local claudeops_session_path=%s ansible_python_interpreter=%s\n' "$WORK/ws1" "$PY" \
  > "$WORK/hosts.ini"
k c1 deployment claude agent
"$PY" -c "
import json
json.dump({'claudeops_clusters': [{'name': 'c1', 'kubeconfig': '$WORK/k8s/c1/kubeconfig'}],
           'claudeops_restart': ['Deployment/agent']}, open('$WORK/vars.json', 'w'))"
ansible-playbook "$COLLECTION/playbooks/capture-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" > "$WORK/publish.log" 2>&1 \
  || { tail -30 "$WORK/publish.log"; exit 1; }

echo "== healthy: every check ok, exit 0, and no write reached the cluster"
vars c1:admin
k c1 clear
doctor > "$WORK/healthy.log" 2>&1 || { tail -40 "$WORK/healthy.log"; exit 1; }
for check in "host reachable" "session usable" "cluster reachable" "can read Secret" "can write Secret" \
             "Secret present" "Secret fresh" "workload on current credentials"; do
  grep -Eq "\"ok +$check " "$WORK/healthy.log" || { echo "no ok row for $check"; grep '"' "$WORK/healthy.log"; exit 1; }
done
never grep -q '"FAIL ' "$WORK/healthy.log"
"$PY" "$KUBE" "$WORK/k8s/c1" log | awk '$1 != "GET" && $3 !~ /dryRun/ {print; bad=1} END {exit bad}'

echo "== broken: the run fails and every problem has its row and fix"
rm "$WORK/ws1/.credentials.json"
k c2 deployment claude agent
vars c1:readonly c2:admin:nowhere c3:down
printf 'ws-down ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=1\n' >> "$WORK/hosts.ini"
if doctor > "$WORK/broken.log" 2>&1; then echo "expected failure"; exit 1; fi
# shellcheck disable=SC2016  # the backquotes are the row's text
row "$WORK/broken.log" '^FAIL +session usable +ws1 .*run `claude login`'
row "$WORK/broken.log" '^FAIL +host reachable +ws-down '
row "$WORK/broken.log" '^FAIL +can write Secret +c1 .*grant create, patch and delete on secrets'
row "$WORK/broken.log" '^FAIL +namespace exists +c2 .*kubectl create namespace nowhere'
row "$WORK/broken.log" '^FAIL +Secret present +c2 '
row "$WORK/broken.log" '^FAIL +cluster reachable +c3 .*check the API server address'
grep -q "check(s) failed; each FAIL row above says what to do" "$WORK/broken.log"

echo "== stale pods: the Secret changed but the workload was not restarted"
vars c1:admin
session "$WORK/ws1/.credentials.json" 20h CANARYDOCB
"$PY" -c "import json; json.dump({'claudeops_clusters': [{'name': 'c1', 'kubeconfig': '$WORK/k8s/c1/kubeconfig'}]}, open('$WORK/pub.json', 'w'))"
printf '[claude_hosts]\nws1 ansible_connection=local claudeops_session_path=%s ansible_python_interpreter=%s\n' "$WORK/ws1" "$PY" \
  > "$WORK/hosts.ini"
ansible-playbook "$COLLECTION/playbooks/capture-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/pub.json" > "$WORK/publish2.log" 2>&1 \
  || { tail -30 "$WORK/publish2.log"; exit 1; }
if doctor > "$WORK/stale.log" 2>&1; then echo "expected failure"; exit 1; fi
row "$WORK/stale.log" '^FAIL +workload on current credentials +c1 deployment/agent .*kubectl rollout restart deployment/agent'

echo "== the doctor's fix, followed as written (publish again with claudeops_restart), fixes it"
grep -q "publish again with claudeops_restart" "$WORK/stale.log"
ansible-playbook "$COLLECTION/playbooks/capture-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" > "$WORK/publish3.log" 2>&1 \
  || { tail -30 "$WORK/publish3.log"; exit 1; }
doctor > "$WORK/fixed.log" 2>&1 || { tail -30 "$WORK/fixed.log"; exit 1; }
row "$WORK/fixed.log" '^ok +workload on current credentials +c1 deployment/agent'
echo "== no secret of the run in any output, file left behind or stored object"
sweep
echo "doctor: all checks passed"
