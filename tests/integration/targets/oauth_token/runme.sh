#!/usr/bin/env bash
# The long-lived token path: publish-oauth-token.yml (env, vault variable, form check, probe with a fake CLI),
# revoke-tokens.yml, against two stand-in clusters, with no token text in the output at -vvvv, --diff or --check.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
TOKEN=sk-ant-oat01-CANARYOAUTH-0123456789abcdef
OTHER=sk-ant-oat01-CANARYOTHER-0123456789abcdef
secret "$TOKEN" "$OTHER" sk-ant-ort01-CANARYOTHER-refresh

bash "$CTL" start "$WORK/k8s" c1 claude
bash "$CTL" start "$WORK/k8s" c2 claude
k c1 deployment claude agent
k c2 deployment claude agent
"$PY" -c "
import json
json.dump({'claudeops_clusters': [{'name': c, 'kubeconfig': '$WORK/k8s/%s/kubeconfig' % c} for c in ('c1', 'c2')],
           'claudeops_restart': ['Deployment/agent']}, open('$WORK/vars.json', 'w'))"
mkdir -p "$WORK/bin" && cp "$HERE/files/claude" "$WORK/bin/claude"
export FAKE_CLAUDE_LOG="$WORK/fake.log" FAKE_CLAUDE_GOOD_TOKEN="$TOKEN"
publish() { timeout 300 ansible-playbook "$COLLECTION/playbooks/publish-oauth-token.yml" -e "@$WORK/vars.json" "$@" < /dev/null; }
clean() { sweep "$@"; }
_gone() { ! kill -0 "$1" 2> /dev/null; }
_c1_asked() { [ -n "$(k c1 log)" ]; }
_group_gone() { ! kill -0 -- "-$1" 2> /dev/null; }

echo "== a malformed token: one clear error, nothing sent"
if CLAUDE_CODE_OAUTH_TOKEN=sk-ant-ort01-CANARYOTHER-refresh publish > "$WORK/bad.log" 2>&1; then echo "expected failure"; exit 1; fi
grep -q "No usable long-lived token. It must start with sk-ant-oat01-" "$WORK/bad.log"
clean "$WORK/bad.log"
k c1 requests POST  # only the deployment created above: the bad token reached no cluster
k c1 clear; k c2 clear

echo "== no token anywhere and no terminal: one clear error"
if env -u CLAUDE_CODE_OAUTH_TOKEN timeout 60 ansible-playbook "$COLLECTION/playbooks/publish-oauth-token.yml" -e "@$WORK/vars.json" \
    < /dev/null > "$WORK/none.log" 2>&1; then echo "expected failure"; exit 1; fi
grep -q "No usable long-lived token" "$WORK/none.log"

echo "== check mode with --diff at -vvvv: nothing written, nothing leaked"
CLAUDE_CODE_OAUTH_TOKEN="$TOKEN" publish --check --diff -vvvv > "$WORK/check.log" 2>&1 || { tail -30 "$WORK/check.log"; exit 1; }
k c1 absent claude claude-token
clean "$WORK/check.log"

echo "== probe (fake CLI) then publish from the environment, restarting the agents"
PATH="$WORK/bin:$PATH" CLAUDE_CODE_OAUTH_TOKEN="$TOKEN" publish -e claudeops_probe=true --diff -vvvv > "$WORK/publish.log" 2>&1 \
  || { tail -30 "$WORK/publish.log"; exit 1; }
clean "$WORK/publish.log"
# Pipelined: the module and its arguments (the token) went through a pipe, never into a file under ~/.ansible/tmp.
never grep -q "AnsiballZ_claude_secret.py\|AnsiballZ_claude_probe.py" "$WORK/publish.log"
grep -q "EXEC /bin/sh -c '.*python[0-9.]* && sleep 0'" "$WORK/publish.log"
grep -q "argv_has_token=no" "$WORK/fake.log"
never grep -q "argv_has_token=yes" "$WORK/fake.log"
grep -q "env_has_token=yes" "$WORK/fake.log"
config_dir="$(sed -n 's/^config_dir=//p' "$WORK/fake.log" | tail -1)"
test -n "$config_dir"
test ! -e "$config_dir"
for c in c1 c2; do
  test "$(k "$c" secret-data claude claude-token CLAUDE_CODE_OAUTH_TOKEN)" = "$TOKEN"
  test "$(k "$c" secret-data claude claude-token .claude.json)" = '{"hasCompletedOnboarding": true}'
  test -n "$(k "$c" template-annotation claude agent)"
done
"$PY" "$HERE/files/check_expiry_annotation.py" "$(k c1 secret claude claude-token)"

echo "== the same token again: changed=false, the Secret read once and never written, no restart, expiry kept"
first_expiry="$(k c1 secret claude claude-token | "$PY" -c "import json,sys; print(json.load(sys.stdin)['annotations']['claudeops.io/expires-at'])")"
first_fp="$(k c1 template-annotation claude agent)"
sleep 1  # not to wait for anything: an expiry computed again a second later would differ, and the check below see it
k c1 clear; k c2 clear
CLAUDE_CODE_OAUTH_TOKEN="$TOKEN" publish > "$WORK/again.log" 2>&1 || { tail -30 "$WORK/again.log"; exit 1; }
grep -Eq "^localhost +: ok=[0-9]+ +changed=0 " "$WORK/again.log"
for c in c1 c2; do k "$c" requests GET GET; done  # the Secret, then the workload, which is already current
test "$(k c1 secret claude claude-token | "$PY" -c "import json,sys; print(json.load(sys.stdin)['annotations']['claudeops.io/expires-at'])")" = "$first_expiry"
test "$(k c1 template-annotation claude agent)" = "$first_fp"

echo "== a different token is a rotation: applied, restarted, its own expiry recorded"
CLAUDE_CODE_OAUTH_TOKEN="$OTHER" publish > "$WORK/rotate.log" 2>&1 || { tail -30 "$WORK/rotate.log"; exit 1; }
test "$(k c1 secret-data claude claude-token CLAUDE_CODE_OAUTH_TOKEN)" = "$OTHER"
test "$(k c1 template-annotation claude agent)" != "$first_fp"
clean "$WORK/rotate.log"

echo "== the monitor watches the token's Secret as docs/operate.md says (-e claudeops_secret_name=claude-token)"
printf '[claude_hosts]\n' > "$WORK/no-hosts.ini"
(cd "$WORK" && timeout 300 ansible-playbook "$COLLECTION/playbooks/monitor-tokens.yml" -i "$WORK/no-hosts.ini" -e "@$WORK/vars.json" \
  -e claudeops_secret_name=claude-token -e "claudeops_status_path=$WORK/status/token-status.json" < /dev/null) \
  > "$WORK/monitor.log" 2>&1 || { tail -30 "$WORK/monitor.log"; exit 1; }
"$PY" - "$WORK/status/token-status.json" <<'EOP'
import json, sys
records = json.load(open(sys.argv[1]))['records']
got = sorted((r['source'], r['credential'], r['status']) for r in records)
assert got == [('c1', 'token', 'healthy'), ('c2', 'token', 'healthy')], got
EOP
clean "$WORK/monitor.log"

echo "== the true, earlier expiry given for a token is recorded, never refused as a downgrade"
CLAUDE_CODE_OAUTH_TOKEN="$TOKEN" publish -e claudeops_token_expires_at=2027-06-30T00:00:00Z > "$WORK/true-expiry.log" 2>&1 \
  || { tail -30 "$WORK/true-expiry.log"; exit 1; }
k c2 secret claude claude-token | grep -q '"claudeops.io/expires-at": "2027-06-30T00:00:00Z"'
test "$(k c2 secret-data claude claude-token CLAUDE_CODE_OAUTH_TOKEN)" = "$TOKEN"
k c1 clear
CLAUDE_CODE_OAUTH_TOKEN="$TOKEN" publish -e claudeops_token_expires_at=2027-06-30T00:00:00Z > "$WORK/true-again.log" 2>&1 \
  || { tail -30 "$WORK/true-again.log"; exit 1; }
grep -Eq "^localhost +: ok=[0-9]+ +changed=0 " "$WORK/true-again.log"
k c1 requests GET GET

echo "== errors name the playbook's variables, not the module's options"
if CLAUDE_CODE_OAUTH_TOKEN="$TOKEN" publish -e claudeops_token_expires_at=9999-12-31 > "$WORK/far.log" 2>&1; then
  echo "expected failure"; exit 1; fi
grep -q "claudeops_token_expires_at: 9999-12-31T00:00:00Z is more than 400 days ahead" "$WORK/far.log"
if CLAUDE_CODE_OAUTH_TOKEN="$TOKEN" publish -e claudeops_secret_namespace=nowhere > "$WORK/nons.log" 2>&1; then
  echo "expected failure"; exit 1; fi
grep -q "namespace 'nowhere' does not exist: create it, or set claudeops_create_namespace: true" "$WORK/nons.log"
never grep -q "set create_namespace" "$WORK/nons.log"
clean "$WORK/far.log" "$WORK/nons.log"

echo "== a vault-style variable wins over the environment; a refused probe stops before publishing"
printf 'claudeops_oauth_token: %s\n' "$OTHER" > "$WORK/vault.yml"
secret_holder "$WORK/vault.yml"
chmod 600 "$WORK/vault.yml"
if PATH="$WORK/bin:$PATH" CLAUDE_CODE_OAUTH_TOKEN="$TOKEN" publish -e "@$WORK/vault.yml" -e claudeops_probe=true > "$WORK/refused.log" 2>&1; then
  echo "expected failure"; exit 1
fi
grep -q "Probe: unauthorized: the token was refused" "$WORK/refused.log"
test "$(k c1 secret-data claude claude-token CLAUDE_CODE_OAUTH_TOKEN)" = "$TOKEN"
clean "$WORK/refused.log"

echo "== cancelled mid-run (SIGTERM, then SIGINT, as a job controller cancels): no request after the cancel"
for sig in TERM INT; do
  for c in c1 c2; do k "$c" clear; k "$c" fault '{"latency": 1.0}'; done
  # ansible-playbook itself in the background, so that $! is its pid: that is the process a job controller signals.
  # Job control (set -m) gives it a process group of its own, which its workers and modules share: once the group
  # is empty, no process of the run is left to send a request, and the logs below are complete.
  set -m
  CLAUDE_CODE_OAUTH_TOKEN="$OTHER" ansible-playbook "$COLLECTION/playbooks/publish-oauth-token.yml" -e "@$WORK/vars.json" \
    -e claudeops_parallel=1 < /dev/null > "$WORK/cancel-$sig.log" 2>&1 &
  job=$!
  set +m
  wait_for 60 _c1_asked || { echo "no request reached c1 before the cancel"; tail -20 "$WORK/cancel-$sig.log"; exit 1; }
  kill -"$sig" "$job"; cancelled="$("$PY" -c 'import time; print(time.time())')"
  wait "$job" || true
  wait_for 60 _group_gone "$job" || { echo "processes of the cancelled run are still running"; ps -o pid,args -g "$job"; exit 1; }
  "$PY" - "$cancelled" "$(k c1 log | wc -l)" <<PYEOF
import json, ssl, sys, urllib.request
cancelled = float(sys.argv[1])
for c in ('c1', 'c2'):
    port = open('$WORK/k8s/%s/port' % c).read().strip()
    ctx = ssl.create_default_context(cafile='$WORK/k8s/%s/ca.pem' % c)
    log = json.load(urllib.request.urlopen('https://127.0.0.1:%s/_standin/log' % port, context=ctx))
    late = [e for e in log if e['t'] > cancelled + 0.5]
    assert not late, '%s got requests after the cancel: %s' % (c, late)
PYEOF
  for c in c1 c2; do k "$c" fault '{"latency": 0}'; done
  clean "$WORK/cancel-$sig.log"
done

echo "== a probe asked for without the claude CLI: the run fails naming why, nothing is published"
k c1 clear
# PATH without any directory that holds a claude (a developer's machine may have Claude Code installed).
NO_CLAUDE_PATH="$(IFS=:; for d in $PATH; do [ -x "$d/claude" ] || printf '%s:' "$d"; done)"
if CLAUDE_CODE_OAUTH_TOKEN="$OTHER" PATH="${NO_CLAUDE_PATH%:}" \
    publish -e claudeops_probe=true > "$WORK/probe-nocli.log" 2>&1; then
  echo "a probe that could not run passed"; exit 1
fi
grep -q "claudeops_probe is true, but the probe could not run: the claude CLI was not found" "$WORK/probe-nocli.log" \
  || { tail -20 "$WORK/probe-nocli.log"; exit 1; }
never_in '^\(POST\|PUT\|PATCH\|DELETE\) ' k c1 log
clean "$WORK/probe-nocli.log"

echo "== the probe's other answers: no CLI, timeout"
ansible localhost -m claudeops.credentials.claude_probe -a "executable=$WORK/bin/nope" > "$WORK/nocli.log" 2>&1
grep -q '"result": "no_cli"' "$WORK/nocli.log"
FAKE_CLAUDE_SLEEP=30 FAKE_CLAUDE_CHILD_PIDFILE="$WORK/child.pid" CLAUDE_CODE_OAUTH_TOKEN="$TOKEN" PATH="$WORK/bin:$PATH" \
  ansible localhost -m claudeops.credentials.claude_probe -a "timeout=1" > "$WORK/timeout.log" 2>&1
grep -q '"result": "timeout"' "$WORK/timeout.log"
# The CLI's own child, which holds the token in its environment, ended with it.
child="$(cat "$WORK/child.pid")"
if ! wait_for 5 _gone "$child"; then echo "the probe left the CLI's child $child running"; kill "$child"; exit 1; fi
clean "$WORK/timeout.log"

echo "== a captured session never replaces the long-lived token without claudeops_replace_kind"
SESSION_TOKEN=sk-ant-oat01-CANARYOAUTHSESSION-0123456789abcdef
secret "$SESSION_TOKEN"
secret_holder "$WORK/session-vars.json"
(umask 077; "$PY" - "$WORK/session-vars.json" "$SESSION_TOKEN" <<'EOP'
import base64, json, sys, time
session = {'claudeAiOauth': {'accessToken': sys.argv[2], 'refreshToken': 'sk-ant-ort01-CANARYOTHER-refresh',
                             'expiresAt': int((time.time() + 8 * 3600) * 1000), 'scopes': ['user:inference'],
                             'subscriptionType': 'max'}}
encoded = base64.b64encode(json.dumps(session).encode()).decode()
json.dump({'claudeops_publish_files': {'.credentials.json': encoded}}, open(sys.argv[1], 'w'))
EOP
)
session_publish() { timeout 300 ansible-playbook "$HERE/files/session.yml" -e "@$WORK/vars.json" -e "@$WORK/session-vars.json" "$@" < /dev/null; }
echo "   by default each kind has its own Secret: the session goes to claude-session, the token stays in claude-token"
session_publish > "$WORK/kind-default.log" 2>&1 || { tail -30 "$WORK/kind-default.log"; exit 1; }
for c in c1 c2; do
  k "$c" secret-data claude claude-session .credentials.json | grep -q CANARYOAUTHSESSION
  test "$(k "$c" secret-data claude claude-token CLAUDE_CODE_OAUTH_TOKEN)" = "$TOKEN"
done
clean "$WORK/kind-default.log"
echo "   pointed at the token's Secret, the session is refused, naming the option"
if session_publish -e claudeops_secret_name=claude-token > "$WORK/kind.log" 2>&1; then
  echo "a session replaced the long-lived token"; exit 1; fi
grep -q 'holds a long-lived token (CLAUDE_CODE_OAUTH_TOKEN); publishing a captured session' "$WORK/kind.log" \
  || { tail -30 "$WORK/kind.log"; exit 1; }
grep -q 'set claudeops_replace_kind: true' "$WORK/kind.log" || { echo "the error does not name claudeops_replace_kind"; exit 1; }
if grep -q 'set replace_kind' "$WORK/kind.log"; then echo "the error names the module's option"; exit 1; fi
# One task fails with it (ansible-core 2.19 prints a failed task's message twice: its [ERROR] line and its result).
test "$(grep -c '^fatal: .*holds a long-lived token' "$WORK/kind.log")" = 1 || { echo "more than one task reports the failure"; exit 1; }
test "$(grep -c '^\(fatal\|failed\):' "$WORK/kind.log")" = 1 || { echo "more than one task failed"; grep -E '^(fatal|failed):' "$WORK/kind.log"; exit 1; }
for c in c1 c2; do
  test "$(k "$c" secret-data claude claude-token CLAUDE_CODE_OAUTH_TOKEN)" = "$TOKEN"
done
clean "$WORK/kind.log"
echo "   with claudeops_replace_kind: true it is replaced, as asked"
session_publish -e claudeops_secret_name=claude-token -e claudeops_replace_kind=true > "$WORK/kind-replace.log" 2>&1 \
  || { tail -30 "$WORK/kind-replace.log"; exit 1; }
for c in c1 c2; do
  k "$c" secret-data claude claude-token .credentials.json | grep -q CANARYOAUTHSESSION
  k "$c" secret claude claude-token | "$PY" -c "import json, sys; keys = json.load(sys.stdin)['keys']
sys.exit('the token key is still there: %s' % keys if 'CLAUDE_CODE_OAUTH_TOKEN' in keys else 0)"
done
clean "$WORK/kind-replace.log"

echo "== revoke removes both Secrets from every cluster, under a title that says so"
timeout 300 ansible-playbook "$COLLECTION/playbooks/revoke-tokens.yml" -e "@$WORK/vars.json" > "$WORK/revoke.log" 2>&1 || { tail -30 "$WORK/revoke.log"; exit 1; }
for c in c1 c2; do k "$c" absent claude claude-token; k "$c" absent claude claude-session; done
grep -q 'TASK \[claudeops.credentials.publish : Claude Code Secret: remove\]' "$WORK/revoke.log" \
  || { echo "the revoke's task is not titled as a removal"; grep TASK "$WORK/revoke.log"; exit 1; }
if grep -q 'Claude Code Secret: publish' "$WORK/revoke.log"; then echo "the revoke is titled as a publish"; exit 1; fi
echo "== no secret of the run in any output, file left behind or stored object"
sweep
echo "oauth_token: all checks passed"
