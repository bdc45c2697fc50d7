#!/usr/bin/env bash
# The playbooks as AWX runs them: each job template of playbooks/awx/objects.yml, with the environment its
# credentials inject (rendered from the credential types in playbooks/awx/configure.yml by awx_jobs.py), objects.yml's
# extra vars, and the working directory a project checkout. Against two stand-in clusters named as the extra vars name
# the contexts of the kubeconfig credential. Then AWX's built-in Kubernetes bearer token credential (K8S_AUTH_HOST,
# K8S_AUTH_API_KEY, K8S_AUTH_VERIFY_SSL, K8S_AUTH_SSL_CA_CERT, as awx/main/models/credential/injectors.py sets them)
# with a cluster entry that names nothing. Then the secret stores of a team's claudeops_awx_stores, each through its
# credential type (AWS through AWX's built-in one): capture, monitor, doctor and the long-lived token write to and
# read from all four. No token may appear in any output.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
. "$(dirname "$0")/../setup_store_standins/setup.sh"
TOKEN=sk-ant-oat01-CANARYAWXTOKEN-0123456789abcdef
ALERT=CANARYALERTTOKEN
# The stand-ins' admin token is a credential here: the kubeconfig credential carries it.
secret "$TOKEN" "$ALERT" standin-admin-token
# What holds credentials on purpose: what a user pastes into AWX, what AWX injects (environment files, private data
# directory), the stand-ins' own kubeconfigs, and peek's connection files.
secret_holder "$WORK/inputs.json" "$WORK/credential-kubeconfig" "$WORK/jobs" "$WORK/awx-private" "$WORK/stores.json" \
  "$WORK/stores-token.json"

bash "$CTL" start "$WORK/k8s" prod-eu claude
bash "$CTL" start "$WORK/k8s" prod-us claude
secret_holder "$WORK"/k8s/*/kubeconfig
for c in prod-eu prod-us; do k "$c" deployment claude claude-agent; done
# The kubeconfig a user pastes into the credential: one context per cluster, named as claudeops_clusters names them.
"$PY" "$HERE/files/merged_kubeconfig.py" "$WORK"
# What a user fills into each credential in the AWX UI, as WORK/inputs.json, mode 0600 (tokens never on a command
# line). The store credentials once the stores run (WORK/stores).
inputs() {
  (umask 077; TOKEN="$TOKEN" ALERT="$ALERT" "$PY" "$HERE/files/credential_inputs.py" "$WORK" > "$WORK/inputs.json"
  )
}
inputs
"$PY" "$HERE/awx_jobs.py" "$COLLECTION" "$WORK" "$WORK/inputs.json"

# The project checkout AWX runs in, and the inventory "Claude capture hosts" with one workstation in claude_hosts.
# The session is fake and lives 10 hours, so that the monitor's thresholds pass; its tokens are canaries.
mkdir -p "$WORK/project" "$WORK/ws1/.claude"
cp -r "$COLLECTION/playbooks" "$WORK/project/"
session "$WORK/ws1/.claude/.credentials.json" 10h CANARYAWXSESSION
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
    unset KUBECONFIG K8S_AUTH_KUBECONFIG K8S_AUTH_CONTEXT K8S_AUTH_HOST K8S_AUTH_API_KEY CLAUDE_CODE_OAUTH_TOKEN \
      "${!AWS_@}" "${!VAULT_@}" "${!INFISICAL_@}" "${!OP_CONNECT_@}"
    set -a; . "$envfile"; set +a
    export JOB_ID=4242 INVENTORY_ID=1 PROJECT_REVISION=0000000000000000000000000000000000000000 \
      ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_RETRY_FILES_ENABLED=False PYTHONUNBUFFERED=1 PWD="$WORK/project"
    ansible-playbook "$playbook" --forks "$(cat "$WORK/jobs/$n.forks")" -i "$WORK/inventory.ini" \
      -e "@$WORK/extra_vars.json" -e "awx_job_template_name='$name'" \
      > "$WORK/$log" 2>&1 ) || { echo "job '$name' failed:"; tail -40 "$WORK/$log"; exit 1; }
}
clean() { sweep "$WORK"/*.log; }

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
"$PY" "$HERE/files/check_monitor_records.py" "$WORK/project/out/token-status.json"
grep -q ANSIBLE_CACHE_PLUGIN_CONNECTION "$WORK/jobs/1.env"

echo "== doctor: every check passes"
job playbooks/doctor.yml doctor.log
grep -q 'ok *can write Secret *prod-eu' "$WORK/doctor.log"
never grep -q 'FAIL' "$WORK/doctor.log"

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

echo "== the long-lived token from its credential type"
job playbooks/publish-oauth-token.yml token.log
for c in prod-eu prod-us; do
  test "$(k "$c" secret-data claude claude-token CLAUDE_CODE_OAUTH_TOKEN)" = "$TOKEN"
  # the captured session stays where the capture job put it: the token has a Secret of its own
  k "$c" secret-data claude claude-session .credentials.json | cmp - "$WORK/ws1/.claude/.credentials.json"
done

echo "== revoke: both Secrets are gone from every cluster"
job playbooks/revoke-tokens.yml revoke.log
for c in prod-eu prod-us; do k "$c" absent claude claude-session; k "$c" absent claude claude-token; done
clean

echo "== secret stores: claudeops_awx_stores, one credential per backend (AWS through AWX's built-in type)"
extra_cleanup() { stop_stores; }
VAULT_TOKEN_VALUE="CANARYAWXVAULT$(rand)" OP_TOKEN="CANARYAWXOP$(rand)" INFISICAL_SECRET="CANARYAWXINFISICAL$(rand)"
AWS_SECRET="CANARYAWXAWS$(rand)"
export VAULT_TOKEN_VALUE OP_TOKEN INFISICAL_SECRET AWS_SECRET
secret "$VAULT_TOKEN_VALUE" "$OP_TOKEN" "$INFISICAL_SECRET" "$AWS_SECRET"
start_stores "$VAULT_TOKEN_VALUE" "$OP_TOKEN" "$INFISICAL_SECRET"
# What a team puts in its own objects file (-e @your-objects.yml): the stores, without tokens.
cat > "$WORK/your-objects.yml" <<OBJECTS
claudeops_awx_stores:
  - {name: infisical, backend: infisical, project_id: 6f1c0e7b-0000-4000-8000-000000000000}
  - {name: vault, backend: vault}
  - {name: aws, backend: aws_secretsmanager, region: us-east-1, endpoint_url: "http://127.0.0.1:$MOTO_PORT"}
  - {name: onepassword, backend: onepassword_connect, vault_id: 4zxqbxl3ru6fz7rcwz4ynxnyxq}
OBJECTS
inputs
"$PY" "$HERE/awx_jobs.py" "$COLLECTION" "$WORK" "$WORK/inputs.json" "$WORK/your-objects.yml"
store_variables='INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET VAULT_TOKEN VAULT_CACERT AWS_SECRET_ACCESS_KEY OP_CONNECT_TOKEN'
for playbook in capture-tokens monitor-tokens publish-oauth-token doctor revoke-tokens; do
  n="$(basename "$(grep -lx "playbooks/$playbook.yml" "$WORK"/jobs/*.playbook)" .playbook)"
  for variable in $store_variables; do
    grep -q "^$variable=." "$WORK/jobs/$n.env" || { echo "$playbook's job gets no $variable"; exit 1; }
  done
done
# What the jobs' stores are, with the connection their credentials inject, for peek (which reads the stores back
# through the official clients), mode 0600; the token's file takes the token's default paths.
(umask 077; MOTO_PORT="$MOTO_PORT" "$PY" "$HERE/files/store_credential_inputs.py" "$WORK"
)
# peek reads moto with boto3: give it the AWS credentials the job had.
aws_peek() {
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY="$AWS_SECRET" AWS_DEFAULT_REGION=us-east-1 \
    peek "$@"
}
digest() { "$PY" -c 'import base64, hashlib, sys; print(hashlib.sha256(base64.b64encode(open(sys.argv[1], "rb").read())).hexdigest())' "$1"; }

job playbooks/capture-tokens.yml capture-stores.log
want="$(digest "$WORK/ws1/.claude/.credentials.json")"
for kind in infisical vault aws onepassword; do
  read -r -a held <<< "$(aws_peek held "$WORK/stores.json" "$kind" CREDENTIALS_JSON_B64)"
  [ "${held[0]}" = "$want" ] || { echo "$kind holds: ${held[*]}"; exit 1; }
  [ "${held[3]}" = ws1 ] || { echo "$kind holds: ${held[*]}"; exit 1; }
done

job playbooks/monitor-tokens.yml monitor-stores.log
"$PY" "$HERE/files/check_store_records.py" "$WORK/project/out/token-status.json"

job playbooks/doctor.yml doctor-stores.log
if grep -q FAIL "$WORK/doctor-stores.log"; then echo "the doctor failed a check"; tail -40 "$WORK/doctor-stores.log"; exit 1; fi
for store in infisical vault aws onepassword; do
  row "$WORK/doctor-stores.log" "ok +stored credentials fresh +$store " > /dev/null || { echo "no fresh row for $store"; exit 1; }
done

job playbooks/publish-oauth-token.yml token-stores.log
read -r -a held <<< "$(aws_peek held "$WORK/stores-token.json" vault CLAUDE_CODE_OAUTH_TOKEN)"
[ "${held[0]}" = "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" ] || { echo "Vault holds a token of digest ${held[0]}"; exit 1; }

echo "== revoke with the store credentials: the session and the token leave every store"
job playbooks/revoke-tokens.yml revoke-stores.log
for kind in infisical vault aws onepassword; do
  [ "$(aws_peek held "$WORK/stores.json" "$kind" CREDENTIALS_JSON_B64)" = "none - - -" ] || { echo "$kind still holds the session"; exit 1; }
done
for kind in infisical vault aws onepassword; do
  [ "$(aws_peek held "$WORK/stores-token.json" "$kind" CLAUDE_CODE_OAUTH_TOKEN)" = "none - - -" ] || { echo "$kind still holds the token"; exit 1; }
done
echo "== no secret of the run (tokens, the alert token, store credentials) in any output, report, fact cache, file"
echo "   left behind, stored object or store stand-in's files"
sweep
echo "awx_environment: all checks passed"
