#!/usr/bin/env bash
# monitor-tokens.yml delivering its alerts to a real Keep (keephq 0.2.7 from PyPI) and a real Alertmanager (Debian's
# prometheus-alertmanager), both started here on loopback ports of their own (make receivers installs them), and to a
# plain webhook. The monitor runs as AWX's monitor job template does: with the environment the alert credential type
# of playbooks/awx/configure.yml injects (Keep's API key; Alertmanager's basic auth; a bearer token) and objects.yml's
# extra vars. Each receiver's own API reads the alerts back: severity, description, labels, a fingerprint stable per
# source, and resolved closing the alert that fired. No token, session content, kubeconfig path or receiver
# credential may show in any alert, output or log. A receiver that is down or refuses is one line, and changes the
# run's result only with claudeops_alert_required.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
. "$(dirname "$0")/../setup_alert_receivers/setup.sh"
HOOK_PID=""
extra_cleanup() { stop_receivers; [ -z "$HOOK_PID" ] || kill "$HOOK_PID" 2> /dev/null; }
READBACK="$COLLECTION/tests/alert_receivers/readback.py"

# The receivers' credentials are canaries too: no output may show them.
KEEP_KEY="CANARYKEEPKEY-$RANDOM$RANDOM"
AM_USER=claudeops-monitor AM_PASS="CANARYAMPASS-$RANDOM$RANDOM"
HOOK_TOKEN="CANARYHOOKTOKEN-$RANDOM$RANDOM"
export KEEP_KEY AM_USER AM_PASS HOOK_TOKEN AM_AUTH="$AM_USER:$AM_PASS"
secret "$KEEP_KEY" "$AM_PASS" "$HOOK_TOKEN"
start_keep "$KEEP_KEY"
start_alertmanager "$AM_USER" "$AM_PASS"

publish_token() {  # publish_token CLUSTER TAG DAYS: a long-lived token that expires in DAYS days
  secret "sk-ant-oat01-$2-longlived"
  ansible localhost -m claudeops.credentials.claude_secret -e "tag=$2" -e "days=$3" \
    -a "kubeconfig=$WORK/k8s/$1/kubeconfig name=claude-session oauth_token=sk-ant-oat01-{{ tag }}-longlived expires_at={{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now().timestamp() + days | int * 86400, utc=true) }}" > /dev/null
}
for c in c-ok c-warn c-crit c-gone; do bash "$CTL" start "$WORK/k8s" "$c" claude; done
publish_token c-ok CANARYALRTA 200
publish_token c-warn CANARYALRTB 20
publish_token c-crit CANARYALRTC 3
# A cluster whose kubeconfig path holds a user's name and a secret (there is no file): the error that makes its
# record missing must not carry the path into an alert.
BADKUBE="$WORK/home/alice/sk-ant-oat01-PATHSECRET-x/kubeconfig"
mkdir -p "$WORK/ws1/.claude"
session "$WORK/ws1/.claude/.credentials.json" 8h CANARYALRTS

# The project AWX runs in, its inventory, and the monitor job as objects.yml defines it, with the clusters above.
mkdir -p "$WORK/project"
cp -r "$COLLECTION/playbooks" "$WORK/project/"
printf '[claude_hosts]\nws1 ansible_connection=local claudeops_session_path=%s ansible_python_interpreter=%s\n' \
  "$WORK/ws1/.claude" "$PY" > "$WORK/inventory.ini"
cat > "$WORK/overrides.yml" <<YAML
claudeops_awx_stores: []
claudeops_awx_extra_vars:
  claudeops_clusters:
    - {name: c-ok, kubeconfig: $WORK/k8s/c-ok/kubeconfig}
    - {name: c-warn, kubeconfig: $WORK/k8s/c-warn/kubeconfig}
    - {name: c-crit, kubeconfig: $WORK/k8s/c-crit/kubeconfig}
    - {name: c-gone, kubeconfig: $WORK/k8s/c-gone/kubeconfig}
    - {name: c-path, kubeconfig: $BADKUBE}
  claudeops_alert_webhook: ""
  claudeops_alert_labels: {team: platform}
YAML
awx_env() {  # awx_env NAME INPUTS-JSON: what the alert credential type injects for these inputs, in WORK/NAME
  mkdir -p "$WORK/$1"
  secret_holder "$WORK/$1"  # the inputs a user pastes and the environment AWX injects hold the credentials
  (umask 077; printf '%s' "$2" > "$WORK/$1/inputs.json")
  "$PY" "$COLLECTION/tests/integration/targets/awx_environment/awx_jobs.py" "$COLLECTION" "$WORK/$1" \
    "$WORK/$1/inputs.json" "$WORK/overrides.yml"
}
# Secrets reach the inputs file through the environment, never a command line.
inputs() { "$PY" -c 'import json, os, sys; print(json.dumps({"alert": dict((k, os.environ[v]) for k, v in zip(sys.argv[1::2], sys.argv[2::2]))}))' "$@"; }
awx_env keep "$(inputs alert_token KEEP_KEY)"
awx_env am "$(inputs alert_username AM_USER alert_password AM_PASS)"
awx_env hook "$(inputs alert_token HOOK_TOKEN)"
BADKEY=wrong-key awx_env badkey "$(BADKEY=wrong-key inputs alert_token BADKEY)"

monitor() {  # monitor CREDENTIAL LOG ARGS...: the monitor job template with the credential's environment
  local cred="$1" log="$2" n; shift 2
  n="$(basename "$(grep -lx playbooks/monitor-tokens.yml "$WORK/$cred"/jobs/*.playbook | head -1)" .playbook)"
  ( cd "$WORK/project"
    unset CLAUDEOPS_ALERT_TOKEN CLAUDEOPS_ALERT_USERNAME CLAUDEOPS_ALERT_PASSWORD
    set -a; . "$WORK/$cred/jobs/$n.env"; set +a
    export JOB_ID=4242 PWD="$WORK/project"
    ansible-playbook playbooks/monitor-tokens.yml -i "$WORK/inventory.ini" -e "@$WORK/$cred/extra_vars.json" "$@" \
      > "$WORK/$log" 2>&1 )
}
expect_rc() {  # expect_rc RC CREDENTIAL LOG ARGS...
  local want="$1" rc=0; shift
  monitor "$@" || rc=$?
  [ "$rc" = "$want" ] || { echo "monitor $*: exit $rc, expected $want"; tail -30 "$WORK/$2"; exit 1; }
}
says() { grep -q -- "$2" "$WORK/$1" || { echo "$1 does not say: $2"; tail -25 "$WORK/$1"; exit 1; }; }
keep_state() { "$PY" "$READBACK" keep "$KEEP_URL" > "$WORK/keep-$1.json"; }
am_state() { "$PY" "$READBACK" alertmanager "$AM_URL" > "$WORK/am-$1.json"; }

echo "== alerts other tools sent first, which the monitor must leave alone"
"$PY" "$HERE/files/plant_other_alerts.py" "$KEEP_URL" "${AM_URL:-}"

echo "== keep: firing and resolved alerts, read back from Keep's GET /alerts"
# The monitor fails (critical and missing records): exit 2, as an AWX job goes red. -vvvv: its output is swept below.
expect_rc 2 keep keep1.log -vvvv --diff -e claudeops_alert_webhook="$KEEP_URL" -e claudeops_alert_format=keep
keep_state 1
# The operator's report says the kubeconfig is missing but shows no path (this one holds a user name and a token-like
# part): reports and alerts carry no path, link or token of a foreign message (#25 item 7).
grep -q 'kubeconfig: \[path\] does not exist' "$WORK/project/out/token-status.json" \
  || { grep -o '"detail": "[^"]*"' "$WORK/project/out/token-status.json"; exit 1; }
never grep -q 'home/alice\|sk-ant-' "$WORK/project/out/token-status.json"
"$PY" "$HERE/files/check_keep_alerts.py" "$WORK/keep-1.json"

echo "== check mode sends nothing (its output, at -vvvv --diff, is in the sweep below)"
expect_rc 2 keep check.log --check --diff -vvvv -e claudeops_alert_webhook="$KEEP_URL" -e claudeops_alert_format=keep
keep_state check
"$PY" -c 'import json, sys; a, b = (len(json.load(open(p))["events"]) for p in sys.argv[1:]); assert a == b, (a, b)' \
  "$WORK/keep-1.json" "$WORK/keep-check.json"

echo "== alertmanager: the same run's alerts, read back from Alertmanager's GET /api/v2/alerts (basic auth)"
expect_rc 2 am am1.log -e claudeops_alert_webhook="$AM_URL" -e claudeops_alert_format=alertmanager
am_state 1
"$PY" "$HERE/files/check_alertmanager_alerts.py" "$WORK/am-1.json"

echo "== plain webhook (generic): the events as they are, with the bearer token the credential injects"
"$PY" "$COLLECTION/tests/integration/targets/monitor_tokens/receiver.py" "$WORK/hook.port" "$WORK/hook.jsonl" "$HOOK_TOKEN" &
HOOK_PID=$!
wait_for 20 test -s "$WORK/hook.port" || { echo "the plain webhook receiver did not start"; exit 1; }
expect_rc 2 hook hook1.log -e claudeops_alert_webhook="http://127.0.0.1:$(cat "$WORK/hook.port")/claude" \
  -e claudeops_alert_format=generic
"$PY" "$HERE/files/check_generic_hook.py" "$WORK/hook.jsonl" "$WORK/keep-1.json"

echo "== the problems go away: resolved closes the same alerts (same fingerprint, later lastReceived / endsAt)"
publish_token c-warn CANARYALRTD 200
publish_token c-crit CANARYALRTE 200
publish_token c-gone CANARYALRTF 200
for round in 2 3; do  # twice: the second run changes nothing the receivers show
  expect_rc 2 keep "keep$round.log" -e claudeops_alert_webhook="$KEEP_URL/" -e claudeops_alert_format=keep
  keep_state "$round"
  expect_rc 2 am "am$round.log" -e claudeops_alert_webhook="$AM_URL" -e claudeops_alert_format=alertmanager
  am_state "$round"
done
"$PY" "$HERE/files/check_rounds.py" "$WORK"

echo "== a receiver that refuses or is down: one line; the run's result changes only with claudeops_alert_required"
# Without the unreachable cluster every record is healthy, so the run itself passes.
OK_CLUSTERS="{\"claudeops_clusters\": [{\"name\": \"c-ok\", \"kubeconfig\": \"$WORK/k8s/c-ok/kubeconfig\"}]}"
expect_rc 0 badkey refused.log -e "$OK_CLUSTERS" -e claudeops_alert_webhook="$KEEP_URL" -e claudeops_alert_format=keep
says refused.log "The alert receiver 127.0.0.1 (keep) did not accept 2 of 2 requests (Status code was 401"
expect_rc 2 badkey required.log -e "$OK_CLUSTERS" -e claudeops_alert_webhook="$KEEP_URL" -e claudeops_alert_required=true
says required.log "The alert receiver 127.0.0.1 (keep) did not accept 2 of 2 requests"
# A receiver that accepts the connection and never answers: claudeops_alert_timeout bounds each request.
"$PY" -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
held = []
while True:
    held.append(s.accept()[0])' "$WORK/hung.port" &
HUNG_PID=$!
wait_for 20 test -s "$WORK/hung.port" || { echo "the hung receiver did not start"; exit 1; }
expect_rc 0 keep hung.log -e "$OK_CLUSTERS" -e claudeops_alert_webhook="http://127.0.0.1:$(cat "$WORK/hung.port")" \
  -e claudeops_alert_timeout=3
kill "$HUNG_PID"
test "$(grep -c "did not accept 2 of 2 requests" "$WORK/hung.log")" = 1
says hung.log "did not accept 2 of 2 requests (.*timed out"
# No receiver, given as null in the extra vars: no alert task runs, nothing fails or is ignored. ansible-core 2.16
# refuses a null for a str option at argument validation instead, in one message naming the variable.
if [ "$(ansible --version | sed -n '1s/.*core \(2\.[0-9]*\).*/\1/p')" = 2.16 ]; then
  expect_rc 2 keep none.log -e "$OK_CLUSTERS" -e '{"claudeops_alert_webhook": null}'
  says none.log "argument 'claudeops_alert_webhook' is of type <class 'NoneType'>"
else
  expect_rc 0 keep none.log -e "$OK_CLUSTERS" -e '{"claudeops_alert_webhook": null}'
  if grep -q -- "\.\.\.ignoring\|The alert receiver" "$WORK/none.log"; then tail -20 "$WORK/none.log"; exit 1; fi
fi
stop_receivers
expect_rc 0 keep down.log -e "$OK_CLUSTERS" -e claudeops_alert_webhook="$KEEP_URL"
test "$(grep -c "did not accept 2 of 2 requests" "$WORK/down.log")" = 1

echo "== bad alert settings stop the run before anything is read or written, naming the variable"
rm -rf "$WORK/project/out"
expect_rc 2 keep bad1.log -e claudeops_alert_webhook="$KEEP_URL" -e claudeops_alert_format=pagerduty
says bad1.log "claudeops_alert_format.*pagerduty"
expect_rc 2 keep bad2.log -e claudeops_alert_webhook="$KEEP_URL" -e '{"claudeops_alert_labels": {"bad-name": "x"}}'
says bad2.log "claudeops_alert_labels: 'bad-name' is not a label name"
expect_rc 2 keep bad3.log -e claudeops_alert_webhook=keep.example.com
says bad3.log "claudeops_alert_webhook: 'keep.example.com' is not an http(s) URL"
expect_rc 2 keep bad4.log -e claudeops_alert_webhook="$KEEP_URL" -e claudeops_alert_ttl=0
says bad4.log "claudeops_alert_ttl must be longer than 0"
test ! -e "$WORK/project/out"

echo "== no token, session, kubeconfig path or receiver credential in any alert, output or log"
# What the receivers hold (the alerts): nothing of the above, and no path (alice is the path's user).
for f in "$WORK"/keep-*.json "$WORK"/am-*.json "$WORK/hook.jsonl" "$WORK/receivers/keep/keep.db"; do
  [ -e "$f" ] || continue
  for canary in CANARYALRT alice PATHSECRET "$KEEP_KEY" "$AM_PASS" "$HOOK_TOKEN" sk-ant-o; do
    if grep -aq -- "$canary" "$f"; then echo "$f holds $canary"; exit 1; fi
  done
done
# The run's own output: no session token or receiver credential. (The kubeconfig path is an input, and -vvvv shows
# module inputs; the report names it for the operator, with its token-shaped part redacted, checked above.)
for f in "$WORK"/*.log "$WORK/receivers/keep/log"; do
  for canary in CANARYALRT "$KEEP_KEY" "$AM_PASS" "$HOOK_TOKEN"; do
    if grep -aq -- "$canary" "$f"; then echo "$f holds $canary"; exit 1; fi
  done
done
# Everything else: every output, report, file left behind, stored object and what the receivers hold (Keep's
# database, Alertmanager's data directory), for every token and receiver credential, in every form.
sweep
echo "alert_receivers: all checks passed"
