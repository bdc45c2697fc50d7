#!/usr/bin/env bash
# The playbooks as AWX runs them: each job template of playbooks/awx/objects.yml, with the environment its
# credentials inject (rendered from the credential types in playbooks/awx/configure.yml by awx_jobs.py), objects.yml's
# extra vars, and the working directory a project checkout. Against two stand-in clusters named as the extra vars name
# the contexts of the kubeconfig credential. Then AWX's built-in Kubernetes bearer token credential (K8S_AUTH_HOST,
# K8S_AUTH_API_KEY, K8S_AUTH_VERIFY_SSL, K8S_AUTH_SSL_CA_CERT, as awx/main/models/credential/injectors.py sets them)
# with a cluster entry that names nothing. No token may appear in any output.
set -eu -o pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
COLLECTION="$(ansible-galaxy collection list claudeops.credentials --format json \
  | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(next(iter(d)) + "/claudeops/credentials")')"
. "$COLLECTION/tests/integration/common.sh"
TOKEN=sk-ant-oat01-CANARYAWXTOKEN-0123456789abcdef
ALERT=CANARYALERTTOKEN

bash "$CTL" start "$WORK/k8s" prod-eu claude
bash "$CTL" start "$WORK/k8s" prod-us claude
for c in prod-eu prod-us; do k "$c" deployment claude claude-agent; done
# The kubeconfig a user pastes into the credential: one context per cluster, named as claudeops_clusters names them.
"$PY" - "$WORK" <<'PYEOF'
import json, sys
work = sys.argv[1]
merged = {'apiVersion': 'v1', 'kind': 'Config', 'clusters': [], 'users': [], 'contexts': [], 'current-context': 'prod-eu'}
for name in ('prod-eu', 'prod-us'):
    kc = json.load(open('%s/k8s/%s/kubeconfig' % (work, name)))
    merged['clusters'] += kc['clusters']
    merged['users'] += [u for u in kc['users'] if u['name'] == name + '-admin']
    merged['contexts'].append({'name': name, 'context': {'cluster': name, 'user': name + '-admin'}})
json.dump(merged, open(work + '/credential-kubeconfig', 'w'))
PYEOF
"$PY" "$HERE/awx_jobs.py" "$COLLECTION" "$WORK" "$WORK/credential-kubeconfig" "$TOKEN" "$ALERT"

# The project checkout AWX runs in, and the inventory "Claude capture hosts" with one workstation in claude_hosts.
# The session is fake and lives 10 days, so that the monitor's thresholds pass; its tokens are canaries.
mkdir -p "$WORK/project" "$WORK/ws1/.claude"
cp -r "$COLLECTION/playbooks" "$WORK/project/"
"$PY" - "$WORK/ws1/.claude/.credentials.json" <<'PYEOF'
import json, sys, time
json.dump({'claudeAiOauth': {'accessToken': 'sk-ant-oat01-CANARYAWXACCESS', 'refreshToken': 'sk-ant-ort01-CANARYAWXREFRESH',
           'expiresAt': int((time.time() + 10 * 86400) * 1000), 'scopes': ['user:inference'],
           'subscriptionType': 'max', 'rateLimitTier': 'default'}}, open(sys.argv[1], 'w'))
PYEOF
printf '[claude_hosts]\nws1 ansible_connection=local claudeops_session_path=%s ansible_python_interpreter=%s\n' \
  "$WORK/ws1/.claude" "$PY" > "$WORK/inventory.ini"

job() {  # [JOB_ENV=FILE] job PLAYBOOK LOG: run the job template whose playbook is PLAYBOOK, with its credentials'
  # environment (or the one in FILE)
  local playbook="$1" log="$2" n name envfile; shift 2
  n="$(grep -lx "$playbook" "$WORK"/jobs/*.playbook | head -1)"; n="$(basename "$n" .playbook)"
  name="$(cat "$WORK/jobs/$n.name")"
  envfile="${JOB_ENV:-$WORK/jobs/$n.env}"
  echo "   job template '$name' ($playbook) with $(cut -d= -f1 "$envfile" | tr '\n' ' ')"
  ( cd "$WORK/project"
    unset KUBECONFIG K8S_AUTH_KUBECONFIG K8S_AUTH_CONTEXT K8S_AUTH_HOST K8S_AUTH_API_KEY CLAUDE_CODE_OAUTH_TOKEN
    set -a; . "$envfile"; set +a
    export JOB_ID=4242 INVENTORY_ID=1 PROJECT_REVISION=0000000000000000000000000000000000000000 \
      ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_RETRY_FILES_ENABLED=False PYTHONUNBUFFERED=1 PWD="$WORK/project"
    ansible-playbook "$playbook" --forks "$(cat "$WORK/jobs/$n.forks")" -i "$WORK/inventory.ini" \
      -e "@$WORK/extra_vars.json" -e "awx_job_template_name='$name'" \
      > "$WORK/$log" 2>&1 ) || { echo "job '$name' failed:"; tail -40 "$WORK/$log"; exit 1; }
}
clean() {
  for log in "$WORK"/*.log; do
    for canary in CANARYAWXTOKEN CANARYALERTTOKEN CANARYAWXACCESS CANARYAWXREFRESH standin-admin-token; do
      if grep -q "$canary" "$log"; then echo "$log holds $canary"; exit 1; fi
    done
  done
}

echo "== capture with the kubeconfig credential: K8S_AUTH_KUBECONFIG and contexts in claudeops_clusters"
grep -q '^K8S_AUTH_KUBECONFIG=' "$WORK/jobs/0.env"
job playbooks/capture-tokens.yml capture.log
for c in prod-eu prod-us; do
  k "$c" secret-data claude claude-session .credentials.json | cmp - "$WORK/ws1/.claude/.credentials.json"
  test -n "$(k "$c" template-annotation claude claude-agent)"
done
test ! -e "$WORK/project/out/claude-session-secret.yaml"

echo "== capture left its record in AWX's fact cache, for the monitor; the capture interval reached the extra vars"
grep -rl claudeops_last_capture "$WORK/facts" > /dev/null
"$PY" -c "import json; assert json.load(open('$WORK/extra_vars.json'))['claudeops_capture_interval'] == '6h'"

echo "== monitor: a record for the host and both clusters, and the report under the project directory"
job playbooks/monitor-tokens.yml monitor.log
"$PY" - "$WORK/project/out/token-status.json" <<'PYEOF'
import json, sys
records = dict((r['source'], r) for r in json.load(open(sys.argv[1]))['records'])
assert sorted(records) == ['prod-eu', 'prod-us', 'ws1'], records
assert all(r['status'] == 'healthy' for r in records.values()), records
PYEOF
grep -q ANSIBLE_CACHE_PLUGIN_CONNECTION "$WORK/jobs/1.env"

echo "== doctor: every check passes"
job playbooks/doctor.yml doctor.log
grep -q 'ok *can write Secret *prod-eu' "$WORK/doctor.log"
! grep -q 'FAIL' "$WORK/doctor.log"

echo "== the long-lived token from its credential type"
job playbooks/publish-oauth-token.yml token.log
for c in prod-eu prod-us; do test "$(k "$c" secret-data claude claude-session CLAUDE_CODE_OAUTH_TOKEN)" = "$TOKEN"; done

echo "== AWX's Kubernetes bearer token credential: a cluster entry that names nothing takes K8S_AUTH_HOST and its CA"
cp "$WORK/k8s/prod-us/ca.pem" "$WORK/awx-private/bearer-ca"
cat > "$WORK/jobs/bearer.env" <<EOF
K8S_AUTH_HOST=https://127.0.0.1:$(cat "$WORK/k8s/prod-us/port")
K8S_AUTH_API_KEY=standin-admin-token
K8S_AUTH_VERIFY_SSL=True
K8S_AUTH_SSL_CA_CERT=$WORK/awx-private/bearer-ca
EOF
cp "$WORK/extra_vars.json" "$WORK/extra_vars.kubeconfig.json"
"$PY" -c "import json; p='$WORK/extra_vars.json'; d=json.load(open(p)); d['claudeops_clusters'] = [{'name': 'bearer'}]; json.dump(d, open(p, 'w'))"
JOB_ENV="$WORK/jobs/bearer.env" job playbooks/doctor.yml doctor-bearer.log
grep -q 'ok *Secret present *bearer' "$WORK/doctor-bearer.log"
cp "$WORK/extra_vars.kubeconfig.json" "$WORK/extra_vars.json"

echo "== revoke: the Secret is gone from every cluster"
job playbooks/revoke-tokens.yml revoke.log
for c in prod-eu prod-us; do k "$c" absent claude claude-session; done
clean
echo "awx_environment: all checks passed"
