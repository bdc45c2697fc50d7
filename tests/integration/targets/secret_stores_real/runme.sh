#!/usr/bin/env bash
# The secret_stores target in its real-store mode (CLAUDEOPS_TEST_*, docs/stores.md#tests), against four stores it
# reaches only through their APIs, as it would real ones: a second set of the Vault, Infisical and 1Password Connect
# stand-ins and a second moto server, started here with credentials of their own. Checks that the mode passes every
# check, writes under its run's names, reads back through the official clients, leaves nothing behind, and never
# prints the stores' credentials.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_store_standins/setup.sh"
extra_cleanup() { stop_stores; }

VAULT_TOKEN_VALUE="CANARYREALVAULT$(rand)" OP_TOKEN="CANARYREALOP$(rand)" INFISICAL_SECRET="CANARYREALINFISICAL$(rand)"
start_stores "$VAULT_TOKEN_VALUE" "$OP_TOKEN" "$INFISICAL_SECRET"
port() { cat "$WORK/stores/$1/port"; }
VAULT_PORT="$(port vault)" INFISICAL_PORT="$(port infisical)" OP_PORT="$(port onepassword)"
AWS_SECRET_ACCESS_KEY="CANARYREALAWS$(rand)"
secret "$VAULT_TOKEN_VALUE" "$OP_TOKEN" "$INFISICAL_SECRET" "$AWS_SECRET_ACCESS_KEY"
export CLAUDEOPS_TEST_VAULT_ADDR="https://127.0.0.1:$VAULT_PORT" CLAUDEOPS_TEST_VAULT_TOKEN="$VAULT_TOKEN_VALUE" \
  CLAUDEOPS_TEST_VAULT_CACERT="$WORK/stores/vault/ca.pem"
export CLAUDEOPS_TEST_INFISICAL_URL="http://127.0.0.1:$INFISICAL_PORT" \
  CLAUDEOPS_TEST_INFISICAL_PROJECT_ID=6f1c0e7b-0000-4000-8000-000000000000 \
  CLAUDEOPS_TEST_INFISICAL_PATH=/agentic-platform/claude CLAUDEOPS_TEST_INFISICAL_CLIENT_ID=standin-client-id \
  CLAUDEOPS_TEST_INFISICAL_CLIENT_SECRET="$INFISICAL_SECRET"
# AWS: the region, another endpoint, and credentials from boto3's own chain (here the environment).
export CLAUDEOPS_TEST_AWS_REGION=eu-west-1 CLAUDEOPS_TEST_AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" \
  AWS_ACCESS_KEY_ID=real-testing AWS_SECRET_ACCESS_KEY
unset AWS_ENDPOINT_URL AWS_DEFAULT_REGION AWS_REGION
export CLAUDEOPS_TEST_OP_CONNECT_HOST="http://127.0.0.1:$OP_PORT" CLAUDEOPS_TEST_OP_CONNECT_TOKEN="$OP_TOKEN" \
  CLAUDEOPS_TEST_OP_VAULT_ID=4zxqbxl3ru6fz7rcwz4ynxnyxq

echo "== secret_stores with CLAUDEOPS_TEST_* set for all four backends"
bash "$HERE/../secret_stores/runme.sh" > "$WORK/inner.log" 2>&1 || { tail -40 "$WORK/inner.log"; exit 1; }
grep -q "secret_stores: all checks passed" "$WORK/inner.log"
grep -q "skipped: the ExternalSecret reads claude/session" "$WORK/inner.log"

echo "== it wrote under its run's names, and left nothing behind"
# Whole logs first: grep -q stops reading at its first match, and under pipefail the writer's broken pipe fails the step.
vault_log="$(peek log vault)" onepassword_log="$(peek log onepassword)"
grep -q "^POST /v1/secret/data/claudeops-test-[0-9a-f]*/session 200" <<< "$vault_log"
grep -q "^DELETE /v1/secret/metadata/claudeops-test-[0-9a-f]*/oauth-token 204" <<< "$vault_log"
"$PY" "$HERE/files/check_stores_empty.py" "$WORK" "$MOTO_PORT"
grep -q "^POST " <<< "$onepassword_log" || { echo "1Password was never written to"; exit 1; }

echo "== the stores' own credentials are in no output (the inner run swept its own files with them)"
sweep
echo "secret_stores_real: all checks passed"
