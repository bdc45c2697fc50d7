#!/usr/bin/env bash
# monitor-tokens.yml over capture hosts and stand-in clusters in every status, with a local alert receiver.
set -eu -o pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
COLLECTION="$(ansible-galaxy collection list claudeops.credentials --format json \
  | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(next(iter(d)) + "/claudeops/credentials")')"
. "$COLLECTION/tests/integration/common.sh"
RECEIVER_PID=""
extra_cleanup() { [ -z "$RECEIVER_PID" ] || kill "$RECEIVER_PID" 2>/dev/null; }

session() {  # session FILE HOURS TAG [blanked]
  mkdir -p "$(dirname "$1")"
  "$PY" - "$@" <<'PYEOF'
import json, sys, time
path, hours, tag = sys.argv[1], float(sys.argv[2]), sys.argv[3]
oauth = {'accessToken': 'sk-ant-oat01-%s-a' % tag, 'refreshToken': 'sk-ant-ort01-%s-r' % tag,
         'expiresAt': int((time.time() + hours * 3600) * 1000)}
if len(sys.argv) > 4:
    oauth.update(accessToken='', refreshToken='', expiresAt=0)
json.dump({'claudeAiOauth': oauth}, open(path, 'w'))
PYEOF
}
publish() {  # publish CLUSTER SESSIONFILE
  # The content is read inside Ansible, never passed on a command line.
  ansible localhost -m claudeops.credentials.claude_secret -e "session=$2" \
    -a "kubeconfig=$WORK/k8s/$1/kubeconfig files={{ {'.credentials.json': lookup('file', session) | b64encode} }}" > /dev/null
}
monitor() { (cd "$WORK" && ansible-playbook "$COLLECTION/playbooks/monitor-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" "$@"); }
status_of() { "$PY" -c "import json; print({r['source']: r['status'] for r in json.load(open('$WORK/out/token-status.json'))['records']}['$1'])"; }

for c in c1 c2 c3 c4; do bash "$CTL" start "$WORK/k8s" "$c" claude; done
session "$WORK/ws-ok/.credentials.json" 240 CANARYMONA
session "$WORK/ws-old/.credentials.json" -1 CANARYMONB
session "$WORK/ws-blank/.credentials.json" 0 CANARYMONC blanked
session "$WORK/c1.json" 240 CANARYMOND
session "$WORK/c2.json" 48 CANARYMONE
session "$WORK/c3.json" 6 CANARYMONF
publish c1 "$WORK/c1.json"
publish c2 "$WORK/c2.json"
publish c3 "$WORK/c3.json"
cat > "$WORK/hosts.ini" <<INI
[claude_hosts]
ws-ok ansible_connection=local claudeops_session_path=$WORK/ws-ok
ws-old ansible_connection=local claudeops_session_path=$WORK/ws-old
ws-blank ansible_connection=local claudeops_session_path=$WORK/ws-blank
ws-none ansible_connection=local claudeops_session_path=$WORK/ws-none
ws-down ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=1 ansible_ssh_args='-o ConnectTimeout=3'
[all:vars]
ansible_python_interpreter=$PY
INI
"$PY" "$HERE/receiver.py" "$WORK/port" "$WORK/events.jsonl" s3cret-alert-token &
RECEIVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
"$PY" -c "
import json
clusters = [{'name': c, 'kubeconfig': '$WORK/k8s/%s/kubeconfig' % c} for c in ('c1', 'c2', 'c3', 'c4')]
json.dump({'claudeops_clusters': clusters, 'claudeops_alert_webhook': 'http://127.0.0.1:$(cat "$WORK/port")/alerts'},
          open('$WORK/vars.json', 'w'))"

echo "== every status: the run fails (critical and worse present), files and alerts are written"
if CLAUDEOPS_ALERT_TOKEN=s3cret-alert-token monitor -vvv > "$WORK/run1.log" 2>&1; then echo "expected failure"; exit 1; fi
grep -q "Claude Code credentials need attention (worst: missing)" "$WORK/run1.log"
for pair in ws-ok:healthy ws-old:expired ws-blank:missing ws-none:missing ws-down:missing \
            c1:healthy c2:warning c3:critical c4:missing; do
  got="$(status_of "${pair%%:*}")"; [ "$got" = "${pair#*:}" ] || { echo "${pair%%:*}: expected ${pair#*:}, got $got"; exit 1; }
done
"$PY" - "$WORK/out/token-status.json" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
assert set(doc) == {'generated_at', 'records'}, doc.keys()
want = {'source', 'expires_at', 'days_remaining', 'hours_remaining', 'is_expired', 'needs_refresh', 'status'}
for rec in doc['records']:
    assert want <= set(rec), rec
c2 = [r for r in doc['records'] if r['source'] == 'c2'][0]
assert 47 < c2['hours_remaining'] <= 48 and 1.9 < c2['days_remaining'] <= 2 and c2['needs_refresh'] and not c2['is_expired']
old = [r for r in doc['records'] if r['source'] == 'ws-old'][0]
assert old['is_expired'] and old['hours_remaining'] < 0
PYEOF
grep -q "^| c3 | cluster | critical |" "$WORK/out/token-status.md"
"$PY" - "$WORK/events.jsonl" <<'PYEOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert all(l['authorized'] for l in lines), 'the bearer token was not sent'
events = [l['event'] for l in lines]
by = {e['labels']['credential_source']: e for e in events if e['status'] == 'firing'}
assert sorted(by) == ['c2', 'c3', 'c4', 'ws-blank', 'ws-down', 'ws-none', 'ws-old'], sorted(by)
assert by['c2']['severity'] == 'warning' and by['c3']['severity'] == 'critical'
resolved = sorted(e['labels']['credential_source'] for e in events if e['status'] == 'resolved')
assert resolved == ['c1', 'ws-ok'], resolved
for e in events:
    assert e['name'] == 'ClaudeOAuthTokenExpiry' and e['source'] == 'claudeops.credentials'
    assert set(e) >= {'name', 'status', 'severity', 'description', 'source'}
PYEOF
! grep -q "s3cret-alert-token" "$WORK/run1.log"
! grep -Eq "CANARYMON" "$WORK/run1.log" "$WORK/out/token-status.json" "$WORK/out/token-status.md"

echo "== the receiver down is reported, never a crash"
kill "$RECEIVER_PID"; RECEIVER_PID=""
if monitor > "$WORK/run2.log" 2>&1; then echo "expected failure (critical)"; exit 1; fi
grep -q "The alert receiver 127.0.0.1 did not accept 9 of 9 events" "$WORK/run2.log"
grep -q "Claude Code credentials need attention" "$WORK/run2.log"

echo "== everything healthy: the run passes, and problems that went away are sent as resolved"
rm -f "$WORK/port"
"$PY" "$HERE/receiver.py" "$WORK/port" "$WORK/events2.jsonl" s3cret-alert-token &
RECEIVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
session "$WORK/c2-new.json" 240 CANARYMONG
publish c2 "$WORK/c2-new.json"
"$PY" -c "
import json
json.dump({'claudeops_clusters': [{'name': c, 'kubeconfig': '$WORK/k8s/%s/kubeconfig' % c} for c in ('c1', 'c2')],
           'claudeops_alert_webhook': 'http://127.0.0.1:$(cat "$WORK/port")/alerts'}, open('$WORK/vars.json', 'w'))"
printf '[claude_hosts]\nws-ok ansible_connection=local claudeops_session_path=%s ansible_python_interpreter=%s\n' \
  "$WORK/ws-ok" "$PY" > "$WORK/hosts.ini"
# As in AWX, no report is left from the run before: the resolved event must not depend on one.
rm -rf "$WORK/out"
CLAUDEOPS_ALERT_TOKEN=s3cret-alert-token monitor > "$WORK/run3.log" 2>&1 || { tail -30 "$WORK/run3.log"; exit 1; }
test "$(status_of c2)" = healthy
"$PY" -c "
import json
events = [json.loads(l)['event'] for l in open('$WORK/events2.jsonl')]
healthy = sorted(r['source'] for r in json.load(open('$WORK/out/token-status.json'))['records'] if r['status'] == 'healthy')
assert 'c2' in healthy, healthy
assert sorted(e['labels']['credential_source'] for e in events if e['status'] == 'resolved') == healthy, events"
echo "monitor_tokens: all checks passed"
