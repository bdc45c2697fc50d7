#!/usr/bin/env bash
# #30: a Mac capture host, whose session is in the login Keychain. No Mac runs here: the host is this one (local
# connection) with ansible_system=Darwin, and files/security stands in for /usr/bin/security, answering as Apple's
# source says it does (its header cites each behaviour). Driven through the real action plugin, capture-tokens.yml
# to a stand-in cluster, monitor-tokens.yml, and the login_hook role's wrapper; every log is swept for the tokens.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"

mkdir -p "$WORK/bin" "$WORK/mac1/.claude"
{ echo "#!$PY"; tail -n +2 "$HERE/files/security"; } > "$WORK/bin/security"
chmod 755 "$WORK/bin/security"
export CLAUDEOPS_KEYCHAIN_STATE="$WORK/keychain.json"
keychain() { "$PY" "$HERE/files/keychain.py" "$CLAUDEOPS_KEYCHAIN_STATE" "$@"; }
secret_holder "$CLAUDEOPS_KEYCHAIN_STATE"
export PATH="$WORK/bin:$PATH"
ME="$(id -un)"
SERVICE='Claude Code-credentials'
keychain unlock
bash "$CTL" start "$WORK/k8s" c1 claude
"$PY" -c "import json; json.dump({'claudeops_clusters': [{'name': 'c1', 'kubeconfig': '$WORK/k8s/c1/kubeconfig'}]}, open('$WORK/vars.json', 'w'))"
hosts() {  # hosts [EXTRA HOST VARS]: mac1, a Mac by its facts, its session directory empty
  printf '[claude_hosts]\nmac1 ansible_connection=local ansible_system=Darwin claudeops_session_path=%s %s\n[all:vars]\nansible_python_interpreter=%s\n' \
    "$WORK/mac1/.claude" "${1:-}" "$PY" > "$WORK/hosts.ini"
}
facts() {  # facts NAME [ARGS...]: the facts playbook, its result in WORK/NAME.json, its log in WORK/NAME.log
  ansible-playbook "$HERE/files/facts.yml" -i "$WORK/hosts.ini" -e "out=$WORK/$1.json" "${@:2}" > "$WORK/$1.log" 2>&1 \
    || { tail -30 "$WORK/$1.log"; exit 1; }
  clean_log "$WORK/$1.log"
}
field() { "$PY" -c "import json,sys; d=json.load(open('$WORK/$1.json')); print(eval(sys.argv[1], {}, d))" "$2"; }
is() { local got; got="$(field "$1" "$2")"; [ "$got" = "$3" ] || { echo "$1: $2 is '$got', not '$3'"; cat "$WORK/$1.json"; exit 1; }; }
hosts

echo "== the session in the login keychain is found, published to the cluster, and no token reaches a log"
session "$WORK/kc-a.json" 6h CANARYMACA
keychain put "$SERVICE" "$ME" "$WORK/kc-a.json"
facts found -vvv
is found "facts['source']" keychain
is found "facts['status']" healthy
is found "facts['keychain']['result']" found
is found "facts['keychain']['service']" "$SERVICE"
is found "facts['files'][0]['path']" "keychain:$SERVICE (account $ME)"
ansible-playbook "$COLLECTION/playbooks/capture-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" -vvv \
  > "$WORK/capture.log" 2>&1 || { tail -40 "$WORK/capture.log"; exit 1; }
clean_log "$WORK/capture.log"
secret_holder "$WORK/published.json"
k c1 secret-data claude claude-session .credentials.json > "$WORK/published.json"
cmp "$WORK/published.json" "$WORK/kc-a.json"
grep -q '"-w"' "$CLAUDEOPS_KEYCHAIN_STATE.argv"
never grep -q "sk-ant" "$CLAUDEOPS_KEYCHAIN_STATE.argv"

echo "== the monitor reads the Mac like a Linux host: healthy, the cluster too"
ansible-playbook "$COLLECTION/playbooks/monitor-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" \
  -e "claudeops_status_path=$WORK/out/status.json" > "$WORK/monitor.log" 2>&1 || { tail -40 "$WORK/monitor.log"; exit 1; }
clean_log "$WORK/monitor.log"
"$PY" -c "
import json
records = dict((r['source'], r['status']) for r in json.load(open('$WORK/out/status.json'))['records'])
assert records == {'mac1': 'healthy', 'c1': 'healthy'}, records
"

echo "== each refusal of the keychain is its own status, code and fix"
keychain lock
facts locked
is locked "facts['status']" invalid
is locked "facts['problem_codes']" "['keychain_locked']"
is locked "facts['keychain']['result']" keychain_locked
is locked "'claudeops_login_hook_keychain_handoff' in fix" True
keychain unlock
for access in deny:keychain_denied cancel:keychain_denied status:25:keychain_error; do
  keychain put "$SERVICE" "$ME" "$WORK/kc-a.json" "${access%:*}"
  facts refused
  is refused "facts['problem_codes']" "['${access##*:}']"
  is refused "facts['status']" invalid
done
is refused "'security find-generic-password -s' in fix" True
keychain put "$SERVICE" "$ME" "$WORK/kc-a.json"

echo "== no item: Claude Code's own file fallback is read; with neither, missing with the fix"
keychain remove "$SERVICE"
session "$WORK/mac1/.claude/.credentials.json" 5h CANARYMACF
facts fallback
is fallback "facts['source']" file
is fallback "facts['keychain']['result']" keychain_item_missing
is fallback "facts['status']" healthy
rm "$WORK/mac1/.claude/.credentials.json"
facts missing
is missing "facts['status']" missing
is missing "facts['problem_codes']" "['keychain_item_missing']"
is missing "fix.startswith('run \`claude login\` as $ME on mac1')" True

echo "== CLAUDE_CONFIG_DIR set: the suffixed service Claude Code uses (a published vector)"
keychain put 'Claude Code-credentials-03abf0ee' "$ME" "$WORK/kc-a.json"
hosts
CLAUDE_CONFIG_DIR=/Users/test/.claude-work facts suffixed -e claudeops_session_path=
is suffixed "facts['keychain']['service']" 'Claude Code-credentials-03abf0ee'
is suffixed "facts['source']" keychain

echo "== security prints hex when a byte is not printable: it is decoded"
"$PY" -c "
import json
doc = json.load(open('$WORK/kc-a.json'))
doc['claudeAiOauth']['subscriptionType'] = 'pr\u00f3'
open('$WORK/kc-hex.json', 'w', encoding='utf-8').write(json.dumps(doc, ensure_ascii=False))
"
secret_holder "$WORK/kc-hex.json"
keychain put "$SERVICE" "$ME" "$WORK/kc-hex.json"
facts hex
is hex "facts['credentials']['subscription_type']" 'pró'
is hex "facts['status']" healthy

echo "== without facts, a missing file makes one probe; a Linux host stays on its file"
printf '[claude_hosts]\nlin1 ansible_connection=local claudeops_session_path=%s\n[all:vars]\nansible_python_interpreter=%s\n' \
  "$WORK/mac1/.claude" "$PY" > "$WORK/hosts.ini"
facts linux
is linux "facts['keychain']" None
is linux "facts['status']" missing
is linux "facts['problem_codes']" "['file_missing']"

echo "== the login hook on a Mac hands the session over at login; a locked keychain then reads the hand-off"
hosts
cat > "$WORK/bin/claude" <<SH
#!/bin/sh
# a stand-in for \`claude login\`: the new session goes into the (stand-in) login keychain, as Claude Code does
"$PY" "$HERE/files/keychain.py" "$CLAUDEOPS_KEYCHAIN_STATE" put "$SERVICE" "$ME" "$WORK/kc-b.json"
SH
chmod 755 "$WORK/bin/claude"
session "$WORK/kc-b.json" 7h CANARYMACB
BEARER="$("$PY" -c 'import secrets; print(secrets.token_hex(20))')"
secret "$BEARER"
printf '{"claudeops_login_hook_url": "https://127.0.0.1:1/login", "claudeops_login_hook_token": "%s", "claudeops_login_hook_dir": "%s", "claudeops_login_hook_keychain_handoff": true}' \
  "$BEARER" "$WORK/hook" > "$WORK/hook-vars.json"
secret_holder "$WORK/hook-vars.json"
printf -- '- hosts: claude_hosts\n  gather_facts: false\n  roles: [claudeops.credentials.login_hook]\n' > "$WORK/hook.yml"
ansible-playbook -i "$WORK/hosts.ini" "$WORK/hook.yml" -e "@$WORK/hook-vars.json" -vvv > "$WORK/hook.log" 2>&1 \
  || { tail -30 "$WORK/hook.log"; exit 1; }
clean_log "$WORK/hook.log"
secret_holder "$WORK/hook/login-signal.token"  # the bearer token, 0600, by design
"$WORK/hook/claude-login" > "$WORK/login.out" 2> "$WORK/login.err"
grep -q "handed the session over in $WORK/hook/session-handoff.json" "$WORK/login.out"
grep -q "the login signal to https://127.0.0.1:1/login was not delivered" "$WORK/login.err"
secret_holder "$WORK/hook/session-handoff.json"
[ "$(stat -c %a "$WORK/hook/session-handoff.json")" = 600 ] || { echo "the hand-off file is not 0600"; exit 1; }
cmp <("$PY" -c "import json; print(json.dumps(json.load(open('$WORK/hook/session-handoff.json'))))") \
    <("$PY" -c "import json; print(json.dumps(json.load(open('$WORK/kc-b.json'))))")
never grep -q "sk-ant" "$CLAUDEOPS_KEYCHAIN_STATE.argv"
for left in "$WORK"/hook/session-handoff.json.*; do
  if [ -e "$left" ]; then echo "a temporary hand-off file was left: $left"; exit 1; fi
done
keychain lock
hosts "claudeops_session_handoff=$WORK/hook/session-handoff.json"
facts handoff
is handoff "facts['source']" handoff
is handoff "facts['keychain']['result']" keychain_locked
is handoff "facts['status']" healthy
ansible-playbook "$COLLECTION/playbooks/capture-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" \
  > "$WORK/capture2.log" 2>&1 || { tail -40 "$WORK/capture2.log"; exit 1; }
clean_log "$WORK/capture2.log"
k c1 secret-data claude claude-session .credentials.json > "$WORK/published.json"
"$PY" -c "
import json
assert json.load(open('$WORK/published.json')) == json.load(open('$WORK/kc-b.json')), 'not the hand-off'
"

echo "== the sweep: no token anywhere the runs wrote"
sweep
echo "macos_keychain: all checks passed"
