#!/usr/bin/env bash
# rulebooks/publish-on-login.yml under a real ansible-rulebook: the login_hook role installs the POSIX wrapper, a
# login through it (a fake `claude`) publishes the new session to both stand-in clusters, ten signals run one
# capture, the request the PowerShell wrapper sends works too, an older host's signal changes nothing, every forged,
# oversized or token-carrying signal is refused and changes nothing, expiry_watch's events run the monitor's
# alerts, and no token shows in any output, log or file.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
RULEBOOK_PID=""
RECEIVER_PID=""
extra_cleanup() {
  [ -z "$RECEIVER_PID" ] || kill "$RECEIVER_PID" 2>/dev/null
  if [ -n "$RULEBOOK_PID" ]; then
    kill -TERM -- "-$RULEBOOK_PID" 2>/dev/null; sleep 1; kill -KILL -- "-$RULEBOOK_PID" 2>/dev/null
  fi
  return 0
}
RULEBOOK="$(command -v ansible-rulebook || echo "$(dirname "$PY")/ansible-rulebook")"
[ -d /usr/lib/jvm/java-17-openjdk-amd64 ] && export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
export TMPDIR="$WORK/tmp" PYTHON="$PY"
mkdir -p "$TMPDIR"
BEARER="CANARYEDABEARER-$("$PY" -c 'import secrets; print(secrets.token_hex(16))')"
secret "$BEARER" s3cret-alert-token
# The hook's token file and the listener's vars hold the bearer token on purpose.
secret_holder "$WORK/hook/login-signal.token" "$WORK/eda-vars.yml" "$WORK/hook-vars.json" "$WORK/tls"
fresh() { session_dir "$WORK/$1" "$2" "$3"; }
export FAKE_SESSION  # files/claude, the fake claude login, writes with it
expires_of() { "$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['claudeAiOauth']['expiresAt'])" "$WORK/$1/.credentials.json"; }
published() {  # published CLUSTER: the expiresAt (ms) of the session on the cluster, or none
  k "$1" secret-data claude claude-session .credentials.json 2>/dev/null \
    | "$PY" -c "import json,sys; print(json.load(sys.stdin)['claudeAiOauth']['expiresAt'])" 2>/dev/null || echo none
}
cluster_holds() { k "$1" secret-data claude claude-session .credentials.json 2>/dev/null | grep -q "$2"; }  # CLUSTER TAG
both_hold() { cluster_holds c1 "$1" && cluster_holds c2 "$1"; }
# both_published EXPIRES: both clusters hold the session that expires at EXPIRES (ms).
both_published() {
  [ "$(published c1)" = "$1" ] || { echo "c1 holds the session expiring at $(published c1), not $1"; exit 1; }
  [ "$(published c2)" = "$1" ] || { echo "c2 holds the session expiring at $(published c2), not $1"; exit 1; }
}
captures() { grep -ac 'PLAY \[Capture Claude Code sessions\]' "$WORK/rulebook.log" || true; }
# idle: every playbook run the rulebook started has ended (its runner logged rc), so a check after it sees its effect.
idle() {
  [ "$(grep -ac 'Calling Ansible runner' "$WORK/rulebook.log" || true)" = "$(grep -ac 'Ansible runner rc: ' "$WORK/rulebook.log" || true)" ]
}
_rulebook_gone() { ! kill -0 -- "-$RULEBOOK_PID" 2> /dev/null; }
send() { "$PY" "$HERE/files/signal.py" "$URL" "$WORK/tls/ca.pem" "$BEARER" "$@"; }

echo "== both rulebooks pass ansible-rulebook's schema and parser (the AAP one launches job templates, run by AWX)"
"$(dirname "$RULEBOOK")/python" "$HERE/files/check_rulebooks.py" "$COLLECTION"/rulebooks/*.yml

for c in c1 c2; do bash "$CTL" start "$WORK/k8s" "$c" claude; done
fresh ws1 8h CANARYEDAOLDONE
fresh ws2 10h CANARYEDATWO
fresh ws3 2h CANARYEDATHREE
{ echo '[claude_hosts]'
  for h in ws1 ws2 ws3; do echo "$h ansible_connection=local claudeops_session_path=$WORK/$h ansible_python_interpreter=$PY"; done
} > "$WORK/hosts.ini"
mkdir -m 700 "$WORK/tls"
"$PY" -c "import sys; sys.path.insert(0, sys.argv[1]); import standin; standin.make_certs(sys.argv[2])" \
  "$COLLECTION/tests/kube_standin" "$WORK/tls"
rm -f "$WORK/port"
"$PY" "$COLLECTION/tests/integration/targets/monitor_tokens/receiver.py" "$WORK/port" "$WORK/alerts.jsonl" s3cret-alert-token &
RECEIVER_PID=$!
wait_for 10 test -s "$WORK/port" || { echo "the alert receiver did not start"; exit 1; }
export CLAUDEOPS_ALERT_TOKEN=s3cret-alert-token
(umask 077; cat > "$WORK/eda-vars.yml" <<EOV
claudeops_login_token: $BEARER
claudeops_login_port: 0
claudeops_login_certfile: $WORK/tls/server.pem
claudeops_login_keyfile: $WORK/tls/server.key
claudeops_login_inventory: $WORK/hosts.ini
claudeops_clusters:
  - {name: c1, kubeconfig: $WORK/k8s/c1/kubeconfig}
  - {name: c2, kubeconfig: $WORK/k8s/c2/kubeconfig}
claudeops_expiry_watch_interval: 2s
claudeops_alert_webhook: http://127.0.0.1:$(cat "$WORK/port")/alerts
claudeops_alert_format: generic
EOV
)

echo "== the rulebook starts at its most verbose (-vv), its playbooks at -vvvv with --diff: the listener and expiry_watch"
# From WORK, where the monitor's reports go (out/ under the working directory), not into the checkout.
# ANSIBLE_CONFIG as docs/event-driven.md gives it (the collection's rulebooks/ansible.cfg: no colour codes).
(cd "$WORK" && ANSIBLE_CONFIG="$COLLECTION/rulebooks/ansible.cfg" ANSIBLE_VERBOSITY=4 ANSIBLE_DIFF_ALWAYS=1 exec setsid "$RULEBOOK" \
  --rulebook "$COLLECTION/rulebooks/publish-on-login.yml" -i "$WORK/hosts.ini" --vars "$WORK/eda-vars.yml" -vv \
  > "$WORK/rulebook.log" 2>&1 < /dev/null) &
RULEBOOK_PID=$!
wait_for 90 grep -aq 'login_signal: listening on' "$WORK/rulebook.log" || { tail -40 "$WORK/rulebook.log"; exit 1; }
# Port 0: the listener binds a free port itself and names it (no port picked here that another process could take).
PORT="$(sed -n 's/.*login_signal: listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$WORK/rulebook.log" | head -1)"
[ -n "$PORT" ] || { echo "the listener did not name its port"; grep -a 'listening on' "$WORK/rulebook.log"; exit 1; }
URL="https://127.0.0.1:$PORT/login"
# expiry_watch's first poll finds no Secret: a 'missing' event runs the monitor, whose alert reaches the receiver.
wait_for 90 grep -qs '"missing"' "$WORK/alerts.jsonl" || { tail -40 "$WORK/rulebook.log"; exit 1; }

echo "== the login_hook role installs the wrapper; bad input writes nothing; a second run changes nothing"
hook() {  # hook TOKEN ARGS...: the role on ws1, its inputs from a vars file (0600), as a vault would give them
  (umask 077; printf '{"claudeops_login_hook_url": "%s", "claudeops_login_hook_token": "%s", "claudeops_login_hook_dir": "%s",
    "claudeops_login_hook_cafile": "%s"}' "$URL" "$1" "$WORK/hook" "$WORK/tls/ca.pem" > "$WORK/hook-vars.json")
  ansible-playbook -i "$WORK/hosts.ini" -l ws1 "$HERE/hook.yml" -e "@$WORK/hook-vars.json" "${@:2}"
}
if hook CANARYEDASHORT -vvvv > "$WORK/hook-bad.log" 2>&1; then echo "a short token was accepted"; exit 1; fi
grep -q "claudeops_login_hook_token (the listener's bearer token, its claudeops_login_token) must be a string of at least 16" "$WORK/hook-bad.log" \
  || { tail -20 "$WORK/hook-bad.log"; exit 1; }
test ! -e "$WORK/hook"
hook "$BEARER" --check --diff -vvvv > "$WORK/hook-check.log" 2>&1 || { tail -30 "$WORK/hook-check.log"; exit 1; }
test ! -e "$WORK/hook"  # check mode wrote nothing
hook "$BEARER" --diff -vvvv > "$WORK/hook.log" 2>&1 || { tail -30 "$WORK/hook.log"; exit 1; }
test "$(stat -c %a "$WORK/hook")" = 700
test "$(stat -c %a "$WORK/hook/login-signal.token")" = 600
test "$(stat -c %a "$WORK/hook/login-signal.conf")" = 600
test -x "$WORK/hook/claude-login"
test "$(cat "$WORK/hook/login-signal.token")" = "$BEARER"
hook "$BEARER" --diff > "$WORK/hook-again.log" 2>&1
grep -q 'ws1 *: ok=[0-9]* *changed=0 ' "$WORK/hook-again.log" || { tail -5 "$WORK/hook-again.log"; exit 1; }
echo "   plain http:// to another host is refused (the bearer token would travel in clear); to loopback it is allowed"
if URL=http://192.0.2.10:5000/login hook "$BEARER" > "$WORK/hook-http.log" 2>&1; then echo "http:// to a remote host was accepted"; exit 1; fi
grep -q "plain http:// only to loopback" "$WORK/hook-http.log" || { tail -20 "$WORK/hook-http.log"; exit 1; }
URL=http://127.0.0.1:5000/login hook "$BEARER" --check > "$WORK/hook-loopback.log" 2>&1 || { tail -20 "$WORK/hook-loopback.log"; exit 1; }

echo "== the POSIX wrapper sends a token holding \", \\, spaces and # byte for byte (curl's config syntax escapes them)"
ODD="CANARYEDAODD \"quoted\" back\\slash #hash  two spaces\\\\"
secret "$ODD"
mkdir -p "$WORK/odd"
secret_holder "$WORK/odd/token" "$WORK/odd/header"  # they hold it on purpose
(umask 077; printf '%s\n' "$ODD" > "$WORK/odd/token")
"$PY" "$HERE/files/header_echo.py" "$WORK/odd/port" "$WORK/odd/header" &
ECHO_PID=$!
wait_for 10 test -s "$WORK/odd/port" || { echo "header_echo.py did not start"; exit 1; }
printf 'url=http://127.0.0.1:%s/login\nhost=ws1\ntoken_file=%s\ncafile=\n' "$(cat "$WORK/odd/port")" "$WORK/odd/token" \
  > "$WORK/odd/login-signal.conf"
PATH="$HERE/files:$PATH" CLAUDE_CONFIG_DIR="$WORK/odd/claude" FAKE_CLAUDE_TAG=CANARYEDAWRAPLOGIN \
  CLAUDEOPS_LOGIN_CONF="$WORK/odd/login-signal.conf" "$WORK/hook/claude-login" > "$WORK/odd/wrapper.out" 2>&1 \
  || { cat "$WORK/odd/wrapper.out"; exit 1; }
wait "$ECHO_PID"
register_session "$WORK/odd/claude/.credentials.json"
[ "$(cat "$WORK/odd/header")" = "Bearer $ODD" ] || { echo "the wrapper changed the token on its way"; exit 1; }

echo "== bad signals are refused, each with its status, and change nothing"
for case in "forged 401" "none 401" "oversized 413" "carrying 400" "smuggled 400" "extra 400" "unknown 403" \
            "get 405" "path 404" "notjson 400"; do
  read -r kind status <<< "$case"
  got="$(send "$kind" "$([ "$kind" = unknown ] && echo ws9 || echo ws1)")"
  [ "$got" = "$status" ] || { echo "signal $kind: expected HTTP $status, got $got"; exit 1; }
done
# Every refusal above was answered before send returned, and only an accepted signal (200) queues an event: nothing
# can still be on its way to a cluster here.
for c in c1 c2; do
  never_in '^\(POST\|PUT\|PATCH\|DELETE\) ' k "$c" log
  [ "$(published "$c")" = none ]
done
[ "$(captures)" = 0 ]
# The listener logs the first refusal at once and the other nine within its refusal_log_interval (10 s) as one line
# with counts: the log accounts for all ten, and names the reason of the one that carried a token.
refusals_logged() {
  grep -a 'login_signal: refused' "$WORK/rulebook.log" \
    | sed -n 's/.*login_signal: refused \([0-9]*\) more connection.*/\1/p; s/.*login_signal: refused a connection .*/1/p' \
    | awk '{ n += $1 } END { print n + 0 }'
}
ten_refusals_logged() { [ "$(refusals_logged)" -ge 10 ]; }
wait_for 30 ten_refusals_logged || { echo "the log accounts for $(refusals_logged) refusals, not 10"; grep -a 'login_signal: refused' "$WORK/rulebook.log"; exit 1; }
[ "$(grep -ac 'login_signal: refused' "$WORK/rulebook.log")" -le 2 ] || { echo "ten refusals were not logged as at most two lines"; exit 1; }
grep -aq 'a field looks like a credential (token; value not logged)' "$WORK/rulebook.log"

echo "== a login through the wrapper, and nine more signals within the second: one capture, both clusters updated"
PATH="$HERE/files:$PATH" CLAUDE_CONFIG_DIR="$WORK/ws1" FAKE_CLAUDE_TAG=CANARYEDAONE "$WORK/hook/claude-login" \
  > "$WORK/wrapper.out" 2>&1 || { cat "$WORK/wrapper.out"; exit 1; }
grep -q "signalled $URL for ws1" "$WORK/wrapper.out" || { cat "$WORK/wrapper.out"; exit 1; }
for _ in 1 2 3 4 5 6 7 8 9; do [ "$(send good ws1)" = 200 ]; done
ONE="$(expires_of ws1)"
wait_for 60 both_hold CANARYEDAONE || { tail -40 "$WORK/rulebook.log"; exit 1; }
both_published "$ONE"
wait_for 60 idle || { echo "the rulebook's playbook runs did not end"; tail -40 "$WORK/rulebook.log"; exit 1; }
[ "$(captures)" = 1 ] || { echo "ten signals ran $(captures) captures"; exit 1; }

echo "== the request claude-login.ps1 sends (Windows PowerShell), for ws2's newer session: published"
# shellcheck disable=SC2016  # PowerShell's own text, $ included
for piece in '& claude login @args' "-Method Post" 'Authorization = "Bearer $token"' "-ContentType 'application/json'" \
             '@{ host = $conf.host } | ConvertTo-Json -Compress' "login-signal.json"; do
  grep -qF -- "$piece" "$COLLECTION/roles/login_hook/files/claude-login.ps1" || { echo "claude-login.ps1 no longer has: $piece"; exit 1; }
done
[ "$(send ps1 ws2)" = 200 ]
TWO="$(expires_of ws2)"
wait_for 60 both_hold CANARYEDATWO || { tail -40 "$WORK/rulebook.log"; exit 1; }
both_published "$TWO"

echo "== a signal from ws3, whose session is older: captured, and the clusters keep the newer one"
[ "$(send good ws3)" = 200 ]
three() { [ "$(captures)" = 3 ]; }
wait_for 60 three || { tail -40 "$WORK/rulebook.log"; exit 1; }
wait_for 120 idle || { echo "ws3's capture did not end"; tail -40 "$WORK/rulebook.log"; exit 1; }
both_published "$TWO"

echo "== expiry_watch saw the Secrets become healthy: the monitor ran again and resolved the alerts"
# (a cluster's alert: each capture a signal started sends a resolved alert of its own, of kind capture)
wait_for 60 grep -q '"status": "resolved".*"kind": "cluster", "state": "healthy"' "$WORK/alerts.jsonl" || { tail -20 "$WORK/alerts.jsonl"; exit 1; }

echo "== no token in any output, log or file; each login ran one capture"
kill -TERM -- "-$RULEBOOK_PID" 2>/dev/null || true
wait_for 30 _rulebook_gone || { echo "the rulebook did not stop"; exit 1; }
RULEBOOK_PID=""
# ws1 (ten signals), ws2 and ws3: three captures in all, counted once nothing runs any more.
[ "$(captures)" = 3 ] || { echo "the signals ran $(captures) captures, not 3"; exit 1; }
test "$WORK/out/token-status.md" -nt "$WORK/.started" -a -s "$WORK/out/token-status.md"
sweep
echo "event_driven: all checks passed"
