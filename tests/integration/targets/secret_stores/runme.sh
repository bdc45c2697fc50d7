#!/usr/bin/env bash
# claude_secret_store through the official clients: AWS Secrets Manager on moto's server (PyPI), and loopback
# stand-ins of Vault KV v2 (TLS), Infisical and 1Password Connect written from their API references
# (tests/store_standins). Bad input writes nothing; create; a rerun reads once and writes nothing; check mode;
# newer replaces, older is skipped; a store that is down fails alone; the long-lived token, which never shares the
# session's secret; the playbooks with claudeops_stores; docs/stores.md's ClusterSecretStore and ExternalSecret
# applied to a stand-in cluster with kubectl and synced by a stand-in of ESO's sync step; revoking; no value or store
# token in any output at -vvvv --diff.
#
# A real store instead of a stand-in, per backend, when its CLAUDEOPS_TEST_* variables are set (docs/stores.md#tests):
#   Vault        CLAUDEOPS_TEST_VAULT_ADDR, CLAUDEOPS_TEST_VAULT_TOKEN [, _CACERT, _NAMESPACE, _MOUNT (secret)]
#   Infisical    CLAUDEOPS_TEST_INFISICAL_PROJECT_ID, CLAUDEOPS_TEST_INFISICAL_PATH (an existing folder, for these
#                tests only), CLAUDEOPS_TEST_INFISICAL_CLIENT_ID and _CLIENT_SECRET (or _TOKEN)
#                [, _URL (https://app.infisical.com), _ENVIRONMENT (prod)]
#   AWS          CLAUDEOPS_TEST_AWS_REGION, with the credentials of boto3's own chain [, _ENDPOINT_URL]
#   1Password    CLAUDEOPS_TEST_OP_CONNECT_HOST, CLAUDEOPS_TEST_OP_CONNECT_TOKEN, CLAUDEOPS_TEST_OP_VAULT_ID
# The same checks run, reading back through the official clients; what the tests write goes under names of this run
# (claudeops-test-RUN/... paths, items titled ... RUN) and is deleted at the end. Request logs exist only on the
# stand-ins; on a real store, "nothing written" is checked by its version, as it is everywhere.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
. "$(dirname "$0")/../setup_store_standins/setup.sh"
RUN="claudeops-test-$(rand)"
real() {  # real BACKEND: whether the tests use a real store for BACKEND
  case "$1" in
    vault) [ -n "${CLAUDEOPS_TEST_VAULT_ADDR:-}" ] ;;
    infisical) [ -n "${CLAUDEOPS_TEST_INFISICAL_PROJECT_ID:-}" ] ;;
    aws) [ -n "${CLAUDEOPS_TEST_AWS_REGION:-}" ] ;;
    onepassword) [ -n "${CLAUDEOPS_TEST_OP_CONNECT_HOST:-}" ] ;;
  esac
}
extra_cleanup() {  # what this run wrote to real stores goes; the stand-ins stop
  for name in vault infisical aws onepassword; do
    if real "$name"; then
      for file in stores.json stores-token.json; do
        [ -f "$WORK/$file" ] && { peek delete "$WORK/$file" "$name" || echo "could not delete $name's test data ($file)"; }
      done
    fi
  done
  stop_stores
}

VAULT_TOKEN_VALUE="CANARYSTOREVAULT$(rand)"
OP_TOKEN="CANARYSTOREOP$(rand)"
INFISICAL_SECRET="CANARYSTOREINFISICAL$(rand)"
AWS_SECRET="CANARYSTOREAWS$(rand)"
secret "$VAULT_TOKEN_VALUE" "$OP_TOKEN" "$INFISICAL_SECRET" "$AWS_SECRET"
start_stores "$VAULT_TOKEN_VALUE" "$OP_TOKEN" "$INFISICAL_SECRET"

# From here on, every temporary file the playbooks and their clients make goes to WORK/tmp, which is searched for
# canaries at the end (the servers above keep what they store; they started before this).
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
# Each backend's usual environment variables (what its own CLI reads) for AWS, Vault and Infisical; Infisical's
# address and 1Password by options. A real store's come from its CLAUDEOPS_TEST_* variables (AWS: boto3's chain).
if ! real aws; then
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY="$AWS_SECRET" AWS_DEFAULT_REGION=us-east-1
  export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"
fi
if real vault; then
  export VAULT_ADDR="$CLAUDEOPS_TEST_VAULT_ADDR" VAULT_TOKEN="$CLAUDEOPS_TEST_VAULT_TOKEN"
  export VAULT_CACERT="${CLAUDEOPS_TEST_VAULT_CACERT:-}" VAULT_NAMESPACE="${CLAUDEOPS_TEST_VAULT_NAMESPACE:-}"
else
  VAULT_ADDR="https://127.0.0.1:$(cat "$WORK/stores/vault/port")"
  export VAULT_ADDR VAULT_TOKEN="$VAULT_TOKEN_VALUE"
  export VAULT_CACERT="$WORK/stores/vault/ca.pem"
fi
if real infisical; then
  export INFISICAL_UNIVERSAL_AUTH_CLIENT_ID="${CLAUDEOPS_TEST_INFISICAL_CLIENT_ID:-}"
  export INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET="${CLAUDEOPS_TEST_INFISICAL_CLIENT_SECRET:-}"
  export INFISICAL_TOKEN="${CLAUDEOPS_TEST_INFISICAL_TOKEN:-}"
else
  export INFISICAL_UNIVERSAL_AUTH_CLIENT_ID=standin-client-id INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET="$INFISICAL_SECRET"
fi
# The real stores' own secrets, searched for in every output at the end like the canaries.
REAL_SECRETS=()
for variable in CLAUDEOPS_TEST_VAULT_TOKEN CLAUDEOPS_TEST_INFISICAL_CLIENT_SECRET CLAUDEOPS_TEST_INFISICAL_TOKEN \
    CLAUDEOPS_TEST_OP_CONNECT_TOKEN AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN; do
  if [ -n "${!variable:-}" ] && [ "${!variable}" != "$AWS_SECRET" ]; then REAL_SECRETS+=("${!variable}"); fi
done
[ ${#REAL_SECRETS[@]} -eq 0 ] || secret "${REAL_SECRETS[@]}"
# The store entries carry the stores' credentials: inputs, held on purpose.
secret_holder "$WORK/stores.json" "$WORK/stores-token.json" "$WORK/stores.good.json" "$WORK/stores.bad.json" \
  "$WORK/capture-vars.json" "$WORK/oauth-vars.json" "$WORK/monitor-vars.json"
stores() {  # stores [vault-down|shared]: WORK/stores.json (the session's stores) and WORK/stores-token.json (the
  # token's), mode 0600. shared: the token's entries name the session's secrets.
  (umask 077; OP_TOKEN="$OP_TOKEN" RUN="$RUN" "$PY" "$HERE/files/store_vars.py" "$WORK" "${1:-}"
  )
}
run() { ansible-playbook "$HERE/stores.yml" -e "work=$WORK" "$@"; }
result() { "$PY" -c "import json; r=json.load(open('$WORK/result.json')); print(' '.join('%s=%s' % (s['name'], s['action']) for s in r['stores']))"; }
expect() { local got; got="$(result)"; [ "$got" = "$1" ] || { echo "expected '$1', got '$got'"; cat "$WORK/result.json"; exit 1; }; }
requests() { "$PY" -c "import json; r=json.load(open('$WORK/result.json')); print(' '.join('%s=%s' % (s['name'], s['requests']) for s in r['stores']))"; }
versions() { peek versions "$WORK/stores.json" "$WORK/stores-token.json"; }  # unchanged: nothing was written
only_reads() {  # only_reads VERSIONS: nothing written since VERSIONS; and no write reached a stand-in (Infisical's
  # Universal Auth login is a POST, and no write)
  local served now kind
  now="$(versions)"
  [ "$now" = "$1" ] || { echo "a store was written to: before $1, now $now"; exit 1; }
  for kind in vault infisical onepassword; do
    real "$kind" && continue
    served="$(peek log "$kind")"
    ! grep -Ev '^GET |^POST /api/v1/auth/universal-auth/login ' <<< "$served" | grep -q . \
      || { echo "$kind was written to:"; echo "$served"; exit 1; }
  done
}
expires_of_file() { "$PY" -c "import json,sys,time; print(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(json.load(open(sys.argv[1]))['claudeAiOauth']['expiresAt'] // 1000)))" "$1"; }
sha() { "$PY" -c "import base64,hashlib,sys; print(hashlib.sha256(base64.b64encode(open(sys.argv[1],'rb').read())).hexdigest())" "$1"; }
token_sha() { "$PY" -c 'import hashlib,sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest())' "$1"; }
holds() {  # holds SESSION_FILE: every store holds that session, its fingerprint and expiry beside it
  local want name; want="$(sha "$1")"
  for name in vault infisical onepassword aws; do
    read -r -a held <<< "$(peek held "$WORK/stores.json" "$name" CREDENTIALS_JSON_B64)"
    [ "${held[0]}" = "$want" ] || { echo "$name does not hold the expected session"; exit 1; }
    case "${held[1]}" in sha256:*) ;; *) echo "$name keeps no fingerprint beside the value: ${held[1]}"; exit 1 ;; esac
    [ "${held[3]}" = ws1 ] || { echo "$name keeps no source host: ${held[3]}"; exit 1; }
  done
}
holds_token() {  # holds_token TOKEN: every store holds that token in its own secret
  local want name; want="$(token_sha "$1")"
  for name in vault infisical onepassword aws; do
    read -r -a held <<< "$(peek held "$WORK/stores-token.json" "$name" CLAUDE_CODE_OAUTH_TOKEN)"
    [ "${held[0]}" = "$want" ] || { echo "$name does not hold the expected token"; exit 1; }
  done
}
# Requests a rerun makes: a read each, and a second for a 1Password item found by title and Infisical's Universal
# Auth login (none with an Infisical access token).
RERUN_REQUESTS="infisical=$([ -n "${INFISICAL_TOKEN:-}" ] && echo 1 || echo 2) vault=1 aws=1 onepassword=2"

session "$WORK/s10.json" 10h CANARYSTORETEN
session "$WORK/s20.json" 20h CANARYSTORETWENTY
session "$WORK/s5.json" 5h CANARYSTOREFIVE
stores
empty="$(versions)"
case "$empty" in *=[0-9a-f]*) echo "the stores hold something before the first write: $empty"; exit 1 ;; esac
peek clear  # the reads of versions

echo "== bad input: one clear error, no request to any store"
(umask 077; "$PY" -c "import json,sys; s=json.load(open(sys.argv[1])); s[1]['project_id']='x'; print(json.dumps(s))" \
  "$WORK/stores.json" > "$WORK/stores.bad.json")
cp "$WORK/stores.json" "$WORK/stores.good.json"; cp "$WORK/stores.bad.json" "$WORK/stores.json"
if run -e "session=$WORK/s10.json" > "$WORK/bad.log" 2>&1; then echo "a vault store with project_id was accepted"; exit 1; fi
grep -q "stores\[1\] (vault): project_id means nothing to the vault backend" "$WORK/bad.log" || { tail -20 "$WORK/bad.log"; exit 1; }
cp "$WORK/stores.good.json" "$WORK/stores.json"
echo '{"claudeAiOauth": {"accessToken": "", "refreshToken": "", "expiresAt": 0}}' > "$WORK/blank.json"
if run -e "session=$WORK/blank.json" > "$WORK/blank.log" 2>&1; then echo "a blanked session was stored"; exit 1; fi
grep -q "blanked or damaged session" "$WORK/blank.log"
for kind in vault infisical onepassword; do
  real "$kind" || [ -z "$(peek log "$kind")" ] || { echo "$kind got a request"; exit 1; }
done
[ "$(versions)" = "$empty" ]

echo "== create in four stores at once"
run -e "session=$WORK/s10.json" > "$WORK/create.log" 2>&1 || { tail -30 "$WORK/create.log"; exit 1; }
expect "infisical=created vault=created aws=created onepassword=created"
holds "$WORK/s10.json"
if (only_reads "$empty") > /dev/null 2>&1; then echo "only_reads does not see the writes just made"; exit 1; fi

echo "== rerun: one read per store (two for a 1Password item found by title), no write"
peek clear
written="$(versions)"
run -e "session=$WORK/s10.json" > "$WORK/rerun.log" 2>&1 || { tail -30 "$WORK/rerun.log"; exit 1; }
expect "infisical=unchanged vault=unchanged aws=unchanged onepassword=unchanged"
[ "$(requests)" = "$RERUN_REQUESTS" ] || { echo "requests: $(requests), not $RERUN_REQUESTS"; exit 1; }
only_reads "$written"

echo "== check mode with a newer session: would update, nothing written"
peek clear
run -e "session=$WORK/s20.json" --check --diff -vvvv > "$WORK/check.log" 2>&1 || { tail -30 "$WORK/check.log"; exit 1; }
expect "infisical=would update vault=would update aws=would update onepassword=would update"
only_reads "$written"
holds "$WORK/s10.json"

echo "== the newer session replaces the older one; an older one is then skipped"
run -e "session=$WORK/s20.json" --diff -vvvv > "$WORK/update.log" 2>&1 || { tail -30 "$WORK/update.log"; exit 1; }
expect "infisical=updated vault=updated aws=updated onepassword=updated"
holds "$WORK/s20.json"
run -e "session=$WORK/s5.json" > "$WORK/older.log" 2>&1 || { tail -30 "$WORK/older.log"; exit 1; }
expect "infisical=skipped vault=skipped aws=skipped onepassword=skipped"
grep -q "holds newer credentials" "$WORK/result.json"
holds "$WORK/s20.json"

echo "== a store that is down fails alone; the others are written and the task names it"
session "$WORK/s30.json" 30h CANARYSTORETHIRTY
stores vault-down
if run -e "session=$WORK/s30.json" > "$WORK/down.log" 2>&1; then echo "expected a failure"; exit 1; fi
expect "infisical=updated vault=failed aws=updated onepassword=updated"
grep -q "1 of 4 stores failed: vault: " "$WORK/down.log"
stores

echo "== four stores that never answer: each fails alone within request_timeout, the clients' retries included"
"$PY" "$HERE/files/blackhole.py" "$WORK/hole.port" &
HOLE_PID=$!
wait_for 10 test -s "$WORK/hole.port" || { echo "blackhole.py did not start"; exit 1; }
secret CANARYHOLEINFISICAL0123456789 CANARYHOLEVAULT0123456789 CANARYHOLEAWSSECRET0123456789 CANARYHOLEOP0123456789
PYTHONPATH="$COLLECTION/../../.." "$PY" "$HERE/files/deadline.py" "$(cat "$WORK/hole.port")" 2 "$WORK/s30.json" \
  > "$WORK/deadline.log" 2>&1 || { cat "$WORK/deadline.log"; kill "$HOLE_PID"; exit 1; }
kill "$HOLE_PID"
cat "$WORK/deadline.log"

echo "== the long-lived token, in its own key; a rerun keeps the expiry it recorded"
(umask 077; echo '{"token": "sk-ant-oat01-CANARYSTORETOKEN-0123456789abcdefghij"}' > "$WORK/token.json")
secret sk-ant-oat01-CANARYSTORETOKEN-0123456789abcdefghij sk-ant-oat01-CANARYSTORENEWTOKEN-0123456789abcdef
secret_holder "$WORK/token.json"
run -e use_token=true -e stores_file=stores-token.json > "$WORK/token.log" 2>&1 || { tail -30 "$WORK/token.log"; exit 1; }
expect "infisical=created vault=created aws=created onepassword=created"
first="$("$PY" -c "import json; print(json.load(open('$WORK/result.json'))['expires_at'])")"
run -e use_token=true -e stores_file=stores-token.json --diff -vvvv > "$WORK/token-again.log" 2>&1 \
  || { tail -30 "$WORK/token-again.log"; exit 1; }
expect "infisical=unchanged vault=unchanged aws=unchanged onepassword=unchanged"
[ "$("$PY" -c "import json; print(json.load(open('$WORK/result.json'))['expires_at'])")" = "$first" ]
holds_token sk-ant-oat01-CANARYSTORETOKEN-0123456789abcdefghij

echo "== a token never goes into the session's secret: entries that name it fail alone, nothing written"
stores shared
peek clear
written="$(versions)"
if run -e use_token=true -e stores_file=stores-token.json > "$WORK/shared.log" 2>&1; then
  echo "a token went into the session's secret"; exit 1
fi
expect "infisical=unchanged vault=failed aws=failed onepassword=failed"
grep -q "already holds CREDENTIALS_JSON_B64 beside the claudeops_\* keys" "$WORK/result.json"
only_reads "$written"
stores

echo "== capture-tokens.yml with claudeops_stores and no cluster: the stores get the session, no manifest is written"
session "$WORK/s40.json" 40h CANARYSTOREFORTY
mkdir -p "$WORK/ws1" && cp "$WORK/s40.json" "$WORK/ws1/.credentials.json" && secret_holder "$WORK/ws1/.credentials.json"
echo "[claude_hosts]
ws1 ansible_connection=local claudeops_session_path=$WORK/ws1 ansible_python_interpreter=$PY" > "$WORK/hosts.ini"
(umask 077; "$PY" -c "import json,sys; print(json.dumps({'claudeops_stores': json.load(open(sys.argv[1]))}))" \
  "$WORK/stores.json" > "$WORK/capture-vars.json")
(cd "$WORK" && ansible-playbook -i "$WORK/hosts.ini" "$COLLECTION/playbooks/capture-tokens.yml" -e "@$WORK/capture-vars.json" \
  -vvvv --diff > "$WORK/capture.log" 2>&1) || { tail -40 "$WORK/capture.log"; exit 1; }
holds "$WORK/s40.json"
test ! -e "$WORK/out/claude-session-secret.yaml"
grep -q "infisical: stored; vault: stored; aws: stored; onepassword: stored (from ws1" "$WORK/capture.log" \
  || { grep -A3 "Say what was published" "$WORK/capture.log"; exit 1; }

echo "== docs/stores.md's ExternalSecret, synced by a stand-in of ESO's sync step, gives the Secret workloads.md mounts"
if real vault; then
  echo "   skipped: the ExternalSecret reads claude/session, which this run does not write in a real Vault"
else
  bash "$CTL" start "$WORK/k8s" c1 claude
  # The page's manifests, applied with kubectl as a platform team (or its GitOps) would, twice: nothing changes.
  "$PY" "$COLLECTION/tests/store_standins/eso_render.py" manifests "$COLLECTION/docs/stores.md" > "$WORK/eso.yaml"
  eso_objects() {
    for path in clustersecretstores/vault namespaces/claude/externalsecrets/claude-session; do
      k c1 get-path "/apis/external-secrets.io/v1/$path"
    done
  }
  for round in 1 2; do
    kubectl --kubeconfig "$WORK/k8s/c1/kubeconfig" --context c1-admin apply --server-side --validate=false \
      -f "$WORK/eso.yaml" > "$WORK/eso-apply-$round.log"
    eso_objects > "$WORK/eso-objects-$round.json"
  done
  [ "$(grep -c 'serverside-applied' "$WORK/eso-apply-2.log")" = 2 ] || { cat "$WORK/eso-apply-2.log"; exit 1; }
  grep -q '^200 .*"kind": "ExternalSecret"' "$WORK/eso-objects-1.json"
  cmp "$WORK/eso-objects-1.json" "$WORK/eso-objects-2.json" || { echo "the second apply changed the objects"; exit 1; }
  "$PY" "$COLLECTION/tests/store_standins/eso_render.py" sync "$WORK/k8s/c1" "$VAULT_ADDR" "$VAULT_TOKEN" "$VAULT_CACERT"
  k c1 secret-data claude claude-session .credentials.json | cmp - "$WORK/s40.json"
  [ "$(k c1 secret-data claude claude-session .claude.json)" = '{"hasCompletedOnboarding": true}' ]
fi

echo "== publish-oauth-token.yml with claudeops_stores: the token from the environment, as the AWX credential injects it"
(umask 077; "$PY" -c "import json,sys; print(json.dumps({'claudeops_stores': json.load(open(sys.argv[1]))}))" \
  "$WORK/stores-token.json" > "$WORK/oauth-vars.json")
(cd "$WORK" && CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-CANARYSTORENEWTOKEN-0123456789abcdef ansible-playbook \
  "$COLLECTION/playbooks/publish-oauth-token.yml" -e "@$WORK/oauth-vars.json" > "$WORK/oauth.log" 2>&1) \
  || { tail -40 "$WORK/oauth.log"; exit 1; }
holds_token sk-ant-oat01-CANARYSTORENEWTOKEN-0123456789abcdef
test ! -e "$WORK/out/claude-session-secret.yaml"

echo "== monitor-tokens.yml with claudeops_stores: a record per store, from the expiry kept beside the value"
(umask 077; "$PY" -c "import json,sys; s=json.load(open(sys.argv[1])); v=[e for e in s if e['name'] == 'vault'][0]; s.append(dict(v, name='empty', path=v.get('path', 'claude/x').rsplit('/', 1)[0] + '/none')); print(json.dumps({'claudeops_stores': s}))" \
  "$WORK/stores.json" > "$WORK/monitor-vars.json")
if (cd "$WORK" && ansible-playbook -i "$WORK/hosts.ini" "$COLLECTION/playbooks/monitor-tokens.yml" -e "@$WORK/monitor-vars.json" \
    -vvvv > "$WORK/monitor.log" 2>&1); then echo "the monitor passed with an empty store"; exit 1; fi
"$PY" "$HERE/files/check_store_records.py" "$WORK/out/token-status.json" "$(expires_of_file "$WORK/s40.json")"

echo "== doctor.yml with claudeops_stores: a row per store check, and the empty store fails with its fix"
if (cd "$WORK" && ansible-playbook -i "$WORK/hosts.ini" "$COLLECTION/playbooks/doctor.yml" -e "@$WORK/monitor-vars.json" \
    > "$WORK/doctor.log" 2>&1); then echo "the doctor passed with an empty store"; exit 1; fi
for name in vault infisical aws onepassword; do
  row "$WORK/doctor.log" "ok +store reachable +$name " > /dev/null || { echo "no ok reachable row for $name"; tail -30 "$WORK/doctor.log"; exit 1; }
  row "$WORK/doctor.log" "ok +stored credentials fresh +$name " > /dev/null || { echo "no fresh row for $name"; exit 1; }
done
row "$WORK/doctor.log" "FAIL +credentials stored +empty +nothing under CREDENTIALS_JSON_B64 +run playbooks/capture-tokens.yml" > /dev/null \
  || { grep -a "empty" "$WORK/doctor.log"; exit 1; }

echo "== revoke: check mode removes nothing; revoke-tokens.yml removes the session and the token, keeping others' keys"
for name in vault aws onepassword; do peek add-other "$WORK/stores.json" "$name"; done
peek clear
written="$(versions)"
run -e state=absent -e credential=session --check --diff -vvvv > "$WORK/revoke-check.log" 2>&1 \
  || { tail -30 "$WORK/revoke-check.log"; exit 1; }
expect "infisical=would delete vault=would delete aws=would delete onepassword=would delete"
only_reads "$written"
for vars in capture-vars.json oauth-vars.json; do  # a real store's entries name one credential's secret each
  (cd "$WORK" && ansible-playbook "$COLLECTION/playbooks/revoke-tokens.yml" -e "@$WORK/$vars" -vvvv --diff \
    > "$WORK/revoke-$vars.log" 2>&1) || { tail -40 "$WORK/revoke-$vars.log"; exit 1; }
done
for name in vault infisical aws onepassword; do
  [ "$(peek held "$WORK/stores.json" "$name" CREDENTIALS_JSON_B64)" = "none - - -" ] || { echo "$name still holds the session"; exit 1; }
  [ "$(peek held "$WORK/stores-token.json" "$name" CLAUDE_CODE_OAUTH_TOKEN)" = "none - - -" ] || { echo "$name still holds the token"; exit 1; }
done
# Other teams' keys stay; in Vault only the version that holds them alone can still be read.
vault_keys="$(peek keys "$WORK/stores.json" vault CREDENTIALS_JSON_B64)"
case "$vault_keys" in "team_note readable-versions="[0-9]*) ;; *) echo "Vault holds: $vault_keys"; exit 1 ;; esac
case "$vault_keys" in *,*) echo "Vault's older versions can still be read: $vault_keys"; exit 1 ;; esac
for name in aws onepassword; do
  [ "$(peek keys "$WORK/stores.json" "$name" CREDENTIALS_JSON_B64)" = team_note ] || { echo "$name holds: $(peek keys "$WORK/stores.json" "$name" CREDENTIALS_JSON_B64)"; exit 1; }
done
[ "$(peek versions "$WORK/stores-token.json")" = "stores-token.json:infisical=none stores-token.json:vault=none stores-token.json:aws=none stores-token.json:onepassword=none" ] \
  || { echo "the token's secrets are still there: $(peek versions "$WORK/stores-token.json")"; exit 1; }
run -e state=absent -e credential=session > "$WORK/revoke-again.log" 2>&1 || { tail -30 "$WORK/revoke-again.log"; exit 1; }
expect "infisical=absent vault=absent aws=absent onepassword=absent"
"$PY" -c "import json; r=json.load(open('$WORK/result.json')); assert not r['changed'], r"

echo "== another team's secrets at our paths: never changed or deleted without adopt"
stores foreign
secret_holder "$WORK/stores-foreign.json"
for name in vault infisical aws onepassword; do peek plant "$WORK/stores-foreign.json" "$name" CREDENTIALS_JSON_B64; done
foreign_versions() { peek versions "$WORK/stores-foreign.json"; }
planted="$(foreign_versions)"
refused="infisical=failed vault=failed aws=failed onepassword=failed"
if run -e stores_file=stores-foreign.json -e "session=$WORK/s40.json" > "$WORK/foreign.log" 2>&1; then
  echo "expected the foreign secrets to be refused"; exit 1
fi
expect "$refused"
[ "$(grep -c 'was not written by claudeops.credentials (it has no claudeops_fingerprint); left alone: set adopt: true to take it over' "$WORK/result.json")" -ge 1 ] \
  || { cat "$WORK/result.json"; exit 1; }
if run -e stores_file=stores-foreign.json -e state=absent -e credential=session > "$WORK/foreign-absent.log" 2>&1; then
  echo "expected the foreign secrets to be left alone"; exit 1
fi
expect "$refused"
grep -q 'left alone: set adopt: true to remove our key from it' "$WORK/result.json" || { cat "$WORK/result.json"; exit 1; }
[ "$(foreign_versions)" = "$planted" ] || { echo "a foreign secret was written: $planted -> $(foreign_versions)"; exit 1; }
for name in vault aws onepassword; do
  case "$(peek keys "$WORK/stores-foreign.json" "$name" CREDENTIALS_JSON_B64)" in
    "CREDENTIALS_JSON_B64 DB_PASSWORD"*) ;; *) echo "$name: $(peek keys "$WORK/stores-foreign.json" "$name" CREDENTIALS_JSON_B64)"; exit 1 ;;
  esac
done
echo "== adopted: taken over beside the team's keys; removed again, no version with another value of theirs destroyed"
run -e stores_file=stores-foreign.json -e "session=$WORK/s40.json" -e adopt=true > "$WORK/adopt.log" 2>&1 \
  || { tail -30 "$WORK/adopt.log"; exit 1; }
expect "infisical=updated vault=updated aws=updated onepassword=updated"
run -e stores_file=stores-foreign.json -e state=absent -e credential=session -e adopt=true > "$WORK/adopt-absent.log" 2>&1 \
  || { tail -30 "$WORK/adopt-absent.log"; exit 1; }
expect "infisical=deleted vault=deleted aws=deleted onepassword=deleted"
for name in aws onepassword; do
  [ "$(peek keys "$WORK/stores-foreign.json" "$name" CREDENTIALS_JSON_B64)" = DB_PASSWORD ] \
    || { echo "$name: $(peek keys "$WORK/stores-foreign.json" "$name" CREDENTIALS_JSON_B64)"; exit 1; }
done
if ! real vault; then  # version numbers are the run's own only on a path nobody else writes
  # 1: DB_PASSWORD team-one (their history: kept); 2: team-two beside their CREDENTIALS_JSON_B64, 3: ours beside
  # team-two (destroyed: what they hold is in 4); 4: DB_PASSWORD team-two alone
  [ "$(peek keys "$WORK/stores-foreign.json" vault CREDENTIALS_JSON_B64)" = "DB_PASSWORD readable-versions=1,4" ] \
    || { echo "Vault: $(peek keys "$WORK/stores-foreign.json" vault CREDENTIALS_JSON_B64)"; exit 1; }
  grep -q 'destroyed versions 2, 3; versions 1 still hold the credentials beside other values' "$WORK/result.json" \
    || { cat "$WORK/result.json"; exit 1; }
fi
[ "$(peek held "$WORK/stores-foreign.json" infisical CREDENTIALS_JSON_B64)" = "none - - -" ]
for name in vault aws onepassword infisical; do peek delete "$WORK/stores-foreign.json" "$name"; done

echo "== a source host can not forge the expiry recorded beside the value (Infisical keeps both in one comment)"
run -e stores_file=stores-foreign.json -e "session=$WORK/s40.json" \
  -e '{"source_host": "ws6 claudeops_expires_at=2099-01-01T00:00:00Z"}' > "$WORK/forged.log" 2>&1 \
  || { tail -30 "$WORK/forged.log"; exit 1; }
for name in vault infisical aws onepassword; do
  read -r -a held <<< "$(peek held "$WORK/stores-foreign.json" "$name" CREDENTIALS_JSON_B64)"
  [ "${held[2]}" = "$(expires_of_file "$WORK/s40.json")" ] || { echo "$name records the expiry ${held[2]}"; exit 1; }
  peek delete "$WORK/stores-foreign.json" "$name"
done

echo "== a path with a '..' segment is refused before any request"
peek clear
"$PY" -c "import json,sys; e=json.load(open(sys.argv[1]))
json.dump([dict(e[1], path='claude/../../../secret/data/other-team/app'), dict(e[1], name='mount', mount='kv/../secret'),
           dict(e[3], vault_id='../../v1/vaults/other')], open(sys.argv[2], 'w'))" "$WORK/stores.json" "$WORK/stores-dots.json"
secret_holder "$WORK/stores-dots.json"
if run -e stores_file=stores-dots.json -e "session=$WORK/s40.json" > "$WORK/dots.log" 2>&1; then echo "expected a refusal"; exit 1; fi
grep -q "path 'claude/../../../secret/data/other-team/app' holds a '.' or '..' segment" "$WORK/dots.log" \
  || { tail -20 "$WORK/dots.log"; exit 1; }
for kind in vault onepassword; do
  real "$kind" || [ -z "$(peek log "$kind")" ] || { echo "$kind was asked: $(peek log "$kind")"; exit 1; }
done

echo "== no value and no store token in any output, file left under TMPDIR or stored object"
sweep
echo "   $(find "$TMPDIR" -type f | wc -l) files left under TMPDIR, none with a secret of the run"
echo "secret_stores: all checks passed"
