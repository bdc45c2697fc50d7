# shellcheck shell=bash
# setup_store_standins: secret stores for a runme.sh target that writes to them. Declare
# needs/target/setup_store_standins and source this file (it sources setup_common first).
#   start_stores VAULT_TOKEN OP_TOKEN INFISICAL_CLIENT_SECRET
#       start, under WORK/stores/<kind>, the loopback stand-ins of Vault KV v2 (TLS; ca.pem beside its port), Infisical
#       and 1Password Connect (tests/store_standins/standin.py), and moto's server for AWS Secrets Manager (PyPI, on a
#       port it binds itself: moto_port0.py), and wait until all answer. Sets MOTO_PORT. They stop on exit, after the
#       target's extra_cleanup (which may still remove what the run wrote).
#   peek COMMAND ...   tests/store_standins/peek.py on WORK: what the stores hold and were asked
#   rand               24 random hex digits, for canary tokens and run names
[ -z "${CLAUDEOPS_SETUP_STORES:-}" ] || return 0
CLAUDEOPS_SETUP_STORES=1
# shellcheck source=tests/integration/targets/setup_common/setup.sh
. "$(dirname "${BASH_SOURCE[0]}")/../setup_common/setup.sh"
STORE_PIDS=()
stop_stores() { for pid in "${STORE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
on_exit stop_stores
rand() { "$PY" -c 'import secrets; print(secrets.token_hex(12))'; }
peek() { "$PY" "$COLLECTION/tests/store_standins/peek.py" "$WORK" "$@"; }
start_stores() {
  local vault_token="$1" op_token="$2" infisical_secret="$3" kind token
  for kind in vault infisical onepassword; do
    token="$([ "$kind" = vault ] && echo "$vault_token" || echo "$op_token")"
    mkdir -p "$WORK/stores/$kind"
    STANDIN_TOKEN="$token" STANDIN_CLIENT_SECRET="$infisical_secret" nohup "$PY" \
      "$COLLECTION/tests/store_standins/standin.py" --kind "$kind" --state-dir "$WORK/stores/$kind" \
      --folder /agentic-platform/claude > "$WORK/stores/$kind/log" 2>&1 &
    STORE_PIDS+=($!)
  done
  nohup "$PY" "$COLLECTION/tests/store_standins/moto_port0.py" "$WORK/moto.port" > "$WORK/moto.log" 2>&1 &
  STORE_PIDS+=($!)
  for kind in vault infisical onepassword; do
    wait_for 20 test -s "$WORK/stores/$kind/port" || { cat "$WORK/stores/$kind/log"; return 1; }
  done
  wait_for 60 test -s "$WORK/moto.port" || { cat "$WORK/moto.log"; return 1; }
  MOTO_PORT="$(cat "$WORK/moto.port")"
  wait_for 60 _moto_up || { cat "$WORK/moto.log"; return 1; }
}
_moto_up() {
  "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$MOTO_PORT/moto-api/', timeout=2)" 2>/dev/null
}
