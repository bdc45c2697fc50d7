#!/usr/bin/env bash
# claude_secret_store through the official clients: AWS Secrets Manager on moto's server (PyPI), and loopback
# stand-ins of Vault KV v2 (TLS), Infisical and 1Password Connect written from their API references
# (tests/store_standins). Bad input writes nothing; create; a rerun reads once and writes nothing; check mode;
# newer replaces, older is skipped; a store that is down fails alone; the long-lived token; the playbooks with
# claudeops_stores; docs/stores.md's ExternalSecret rendered into a stand-in cluster; no value or store token in any
# output at -vvvv --diff.
set -eu -o pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
COLLECTION="$(ansible-galaxy collection list claudeops.credentials --format json \
  | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(next(iter(d)) + "/claudeops/credentials")')"
. "$COLLECTION/tests/integration/common.sh"
. "$COLLECTION/tests/store_standins/start.sh"
extra_cleanup() { stop_stores; }
rand() { "$PY" -c 'import secrets; print(secrets.token_hex(12))'; }

VAULT_TOKEN_VALUE="CANARYSTOREVAULT$(rand)"
OP_TOKEN="CANARYSTOREOP$(rand)"
INFISICAL_SECRET="CANARYSTOREINFISICAL$(rand)"
AWS_SECRET="CANARYSTOREAWS$(rand)"
start_stores "$VAULT_TOKEN_VALUE" "$OP_TOKEN" "$INFISICAL_SECRET"

# From here on, every temporary file the playbooks and their clients make goes to WORK/tmp, which is searched for
# canaries at the end (the servers above keep what they store; they started before this).
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
# Each backend's usual environment variables (what its own CLI reads) for AWS, Vault and Infisical's Universal Auth;
# Infisical's address and 1Password by options.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY="$AWS_SECRET" AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"
export VAULT_ADDR="https://127.0.0.1:$(cat "$WORK/stores/vault/port")" VAULT_TOKEN="$VAULT_TOKEN_VALUE"
export VAULT_CACERT="$WORK/stores/vault/ca.pem"
export INFISICAL_UNIVERSAL_AUTH_CLIENT_ID=standin-client-id INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET="$INFISICAL_SECRET"
stores() {  # stores [vault-down]: write WORK/stores.json, mode 0600
  (umask 077; OP_TOKEN="$OP_TOKEN" "$PY" - "$WORK" "${1:-}" > "$WORK/stores.json" <<'PYEOF'
import json, os, sys
work, mode = sys.argv[1:3]
op_token = os.environ['OP_TOKEN']
port = lambda kind: open('%s/stores/%s/port' % (work, kind)).read().strip()
vault = {'name': 'vault', 'backend': 'vault'}
if mode == 'vault-down':
    vault['url'] = 'https://127.0.0.1:1'
print(json.dumps([
    {'name': 'infisical', 'backend': 'infisical', 'url': 'http://127.0.0.1:' + port('infisical'),
     'project_id': '6f1c0e7b-0000-4000-8000-000000000000'},
    vault,
    {'name': 'aws', 'backend': 'aws_secretsmanager'},
    {'name': 'onepassword', 'backend': 'onepassword_connect', 'url': 'http://127.0.0.1:' + port('onepassword'),
     'token': op_token, 'vault_id': '4zxqbxl3ru6fz7rcwz4ynxnyxq'},
]))
PYEOF
  )
}
run() { ansible-playbook "$HERE/stores.yml" -e "work=$WORK" "$@"; }
result() { "$PY" -c "import json; r=json.load(open('$WORK/result.json')); print(' '.join('%s=%s' % (s['name'], s['action']) for s in r['stores']))"; }
expect() { local got; got="$(result)"; [ "$got" = "$1" ] || { echo "expected '$1', got '$got'"; cat "$WORK/result.json"; exit 1; }; }
requests() { "$PY" -c "import json; r=json.load(open('$WORK/result.json')); print(' '.join('%s=%s' % (s['name'], s['requests']) for s in r['stores']))"; }
only_reads() {  # no write reached a stand-in (Infisical's Universal Auth login is a POST, and no write)
  local served
  for kind in vault infisical onepassword; do
    served="$(peek log "$kind")"
    ! grep -Ev '^GET |^POST /api/v1/auth/universal-auth/login ' <<< "$served" | grep -q . \
      || { echo "$kind was written to:"; echo "$served"; exit 1; }
  done
}
expires_of_file() { "$PY" -c "import json,sys,time; print(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(json.load(open(sys.argv[1]))['claudeAiOauth']['expiresAt'] // 1000)))" "$1"; }
sha() { "$PY" -c "import base64,hashlib,sys; print(hashlib.sha256(base64.b64encode(open(sys.argv[1],'rb').read())).hexdigest())" "$1"; }
holds() {  # holds SESSION_FILE: every store holds that session, its fingerprint and expiry beside it
  local want; want="$(sha "$1")"
  for kind in vault infisical onepassword aws; do
    set -- $(peek held "$kind" CREDENTIALS_JSON_B64)
    [ "$1" = "$want" ] || { echo "$kind does not hold the expected session"; exit 1; }
    case "$2" in sha256:*) ;; *) echo "$kind keeps no fingerprint beside the value: $2"; exit 1 ;; esac
    [ "$4" = ws1 ] || { echo "$kind keeps no source host: $4"; exit 1; }
  done
}

session "$WORK/s10.json" 10d CANARYSTORETEN
session "$WORK/s20.json" 20d CANARYSTORETWENTY
session "$WORK/s5.json" 5d CANARYSTOREFIVE
stores

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
for kind in vault infisical onepassword; do [ -z "$(peek log "$kind")" ] || { echo "$kind got a request"; exit 1; }; done

echo "== create in four stores at once"
run -e "session=$WORK/s10.json" > "$WORK/create.log" 2>&1 || { tail -30 "$WORK/create.log"; exit 1; }
expect "infisical=created vault=created aws=created onepassword=created"
holds "$WORK/s10.json"
[ "$(peek aws-versions)" = 1 ]
if (only_reads) > /dev/null 2>&1; then echo "only_reads does not see the writes just made"; exit 1; fi

echo "== rerun: one read per store (two for a 1Password item found by title), no write"
peek clear
run -e "session=$WORK/s10.json" > "$WORK/rerun.log" 2>&1 || { tail -30 "$WORK/rerun.log"; exit 1; }
expect "infisical=unchanged vault=unchanged aws=unchanged onepassword=unchanged"
[ "$(requests)" = "infisical=2 vault=1 aws=1 onepassword=2" ] || { echo "requests: $(requests)"; exit 1; }
only_reads
[ "$(peek aws-versions)" = 1 ]

echo "== check mode with a newer session: would update, nothing written"
peek clear
run -e "session=$WORK/s20.json" --check --diff -vvvv > "$WORK/check.log" 2>&1 || { tail -30 "$WORK/check.log"; exit 1; }
expect "infisical=would update vault=would update aws=would update onepassword=would update"
only_reads
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
session "$WORK/s30.json" 30d CANARYSTORETHIRTY
stores vault-down
if run -e "session=$WORK/s30.json" > "$WORK/down.log" 2>&1; then echo "expected a failure"; exit 1; fi
expect "infisical=updated vault=failed aws=updated onepassword=updated"
grep -q "1 of 4 stores failed: vault: " "$WORK/down.log"
stores

echo "== the long-lived token, in its own key; a rerun keeps the expiry it recorded"
(umask 077; echo '{"token": "sk-ant-oat01-CANARYSTORETOKEN-0123456789abcdefghij"}' > "$WORK/token.json")
run -e use_token=true > "$WORK/token.log" 2>&1 || { tail -30 "$WORK/token.log"; exit 1; }
expect "infisical=created vault=created aws=created onepassword=created"
first="$("$PY" -c "import json; print(json.load(open('$WORK/result.json'))['expires_at'])")"
run -e use_token=true --diff -vvvv > "$WORK/token-again.log" 2>&1 || { tail -30 "$WORK/token-again.log"; exit 1; }
expect "infisical=unchanged vault=unchanged aws=unchanged onepassword=unchanged"
[ "$("$PY" -c "import json; print(json.load(open('$WORK/result.json'))['expires_at'])")" = "$first" ]
set -- $(peek held vault-token CLAUDE_CODE_OAUTH_TOKEN)
[ "$1" = "$("$PY" -c 'import hashlib; print(hashlib.sha256(b"sk-ant-oat01-CANARYSTORETOKEN-0123456789abcdefghij").hexdigest())')" ]

echo "== capture-tokens.yml with claudeops_stores and no cluster: the stores get the session, no manifest is written"
session "$WORK/s40.json" 40d CANARYSTOREFORTY
mkdir -p "$WORK/ws1" && cp "$WORK/s40.json" "$WORK/ws1/.credentials.json"
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
bash "$CTL" start "$WORK/k8s" c1 claude
"$PY" "$COLLECTION/tests/store_standins/eso_render.py" "$COLLECTION/docs/stores.md" "$VAULT_ADDR" "$VAULT_TOKEN" \
  "$VAULT_CACERT" "$WORK/k8s/c1"
k c1 secret-data claude claude-session .credentials.json | cmp - "$WORK/s40.json"
[ "$(k c1 secret-data claude claude-session .claude.json)" = '{"hasCompletedOnboarding": true}' ]

echo "== publish-oauth-token.yml with claudeops_stores: the token from the environment, as the AWX credential injects it"
(cd "$WORK" && CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-CANARYSTORENEWTOKEN-0123456789abcdef ansible-playbook \
  "$COLLECTION/playbooks/publish-oauth-token.yml" -e "@$WORK/capture-vars.json" > "$WORK/oauth.log" 2>&1) \
  || { tail -40 "$WORK/oauth.log"; exit 1; }
set -- $(peek held vault-token CLAUDE_CODE_OAUTH_TOKEN)
[ "$1" = "$("$PY" -c 'import hashlib; print(hashlib.sha256(b"sk-ant-oat01-CANARYSTORENEWTOKEN-0123456789abcdef").hexdigest())')" ]
test ! -e "$WORK/out/claude-session-secret.yaml"

echo "== monitor-tokens.yml with claudeops_stores: a record per store, from the expiry kept beside the value"
(umask 077; "$PY" -c "import json,sys; s=json.load(open(sys.argv[1])); s.append({'name': 'empty', 'backend': 'vault', 'path': 'claude/none'}); print(json.dumps({'claudeops_stores': s}))" \
  "$WORK/stores.json" > "$WORK/monitor-vars.json")
if (cd "$WORK" && ansible-playbook -i "$WORK/hosts.ini" "$COLLECTION/playbooks/monitor-tokens.yml" -e "@$WORK/monitor-vars.json" \
    -vvvv > "$WORK/monitor.log" 2>&1); then echo "the monitor passed with an empty store"; exit 1; fi
"$PY" - "$WORK/out/token-status.json" "$(expires_of_file "$WORK/s40.json")" <<'PYEOF'
import json, sys
records = dict((r['source'], r) for r in json.load(open(sys.argv[1]))['records'] if r['kind'] == 'store')
assert sorted(records) == ['aws', 'empty', 'infisical', 'onepassword', 'vault'], sorted(records)
for name in ('aws', 'infisical', 'onepassword', 'vault'):
    r = records[name]
    assert (r['status'], r['credential'], r['expires_at']) == ('healthy', 'session', sys.argv[2]), r
assert records['empty']['status'] == 'missing' and 'nothing under CREDENTIALS_JSON_B64' in records['empty']['detail'], records['empty']
PYEOF

echo "== doctor.yml with claudeops_stores: a row per store check, and the empty store fails with its fix"
if (cd "$WORK" && ansible-playbook -i "$WORK/hosts.ini" "$COLLECTION/playbooks/doctor.yml" -e "@$WORK/monitor-vars.json" \
    > "$WORK/doctor.log" 2>&1); then echo "the doctor passed with an empty store"; exit 1; fi
for name in vault infisical aws onepassword; do
  row "$WORK/doctor.log" "ok +store reachable +$name " > /dev/null || { echo "no ok reachable row for $name"; tail -30 "$WORK/doctor.log"; exit 1; }
  row "$WORK/doctor.log" "ok +stored credentials fresh +$name " > /dev/null || { echo "no fresh row for $name"; exit 1; }
done
row "$WORK/doctor.log" "FAIL +credentials stored +empty +nothing under CREDENTIALS_JSON_B64 +run playbooks/capture-tokens.yml" > /dev/null \
  || { grep -a "empty" "$WORK/doctor.log"; exit 1; }

echo "== no value and no store token in any output"
for f in "$WORK"/*.log "$WORK/result.json"; do
  clean_log "$f"
  ! grep -aq "CANARYSTORE" "$f" || { echo "$f holds a canary"; grep -ao "CANARYSTORE[A-Z]*" "$f" | sort -u; exit 1; }
done
! grep -rlaq "CANARYSTORE" "$TMPDIR" || { echo "a file under TMPDIR holds a canary"; grep -rla "CANARYSTORE" "$TMPDIR"; exit 1; }
for f in $(find "$TMPDIR" -type f); do clean_log "$f"; done
echo "   $(find "$TMPDIR" -type f | wc -l) files left under TMPDIR, none with a canary"
echo "secret_stores: all checks passed"
