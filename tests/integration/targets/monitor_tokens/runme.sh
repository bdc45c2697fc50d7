#!/usr/bin/env bash
# monitor-tokens.yml over capture hosts and stand-in clusters in every status, each credential judged by what it is,
# with a local alert receiver; then capture-tokens.yml and monitor-tokens.yml together over a fact cache, as AWX runs
# them, to show that the monitor passes while captures run and fails (stale) once they stop.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
RECEIVER_PID=""
extra_cleanup() { [ -z "$RECEIVER_PID" ] || kill "$RECEIVER_PID" 2>/dev/null; }

session_hours() { session "$1" "${2}h" "$3" "${4:-healthy}"; }  # session_hours FILE HOURS TAG [KIND]
publish() {  # publish CLUSTER SESSIONFILE
  # The content is read inside Ansible, never passed on a command line.
  ansible localhost -m claudeops.credentials.claude_secret -e "session=$2" \
    -a "kubeconfig=$WORK/k8s/$1/kubeconfig files={{ {'.credentials.json': lookup('file', session) | b64encode} }}" > /dev/null
}
publish_token() {  # publish_token CLUSTER TAG DAYS: a long-lived token that expires in DAYS days
  secret "sk-ant-oat01-$2-longlived"
  ansible localhost -m claudeops.credentials.claude_secret -e "tag=$2" -e "days=$3" \
    -a "kubeconfig=$WORK/k8s/$1/kubeconfig name=claude-session oauth_token=sk-ant-oat01-{{ tag }}-longlived expires_at={{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now().timestamp() + days | int * 86400, utc=true) }}" > /dev/null
}
plant_expired_session() {  # plant_expired_session CLUSTER TAG: a Secret another tool made, access token expired 2 h ago
  secret "$2"  # its tokens carry the tag
  k "$1" create claude "$("$PY" "$FAKE_SESSION" --secret --expires-in -2h --token-tag "$2")" \
    > /dev/null
}
monitor() { (cd "$WORK" && ansible-playbook "$COLLECTION/playbooks/monitor-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" "$@"); }
capture() { (cd "$WORK" && ansible-playbook "$COLLECTION/playbooks/capture-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json"); }
field_of() { "$PY" -c "import json; print({r['source']: r['$1'] for r in json.load(open('$WORK/out/token-status.json'))['records']}['$2'])"; }
status_of() { field_of status "$1"; }
detail_of() { field_of detail "$1"; }
vars_for() {  # vars_for CLUSTER...: those clusters and the receiver, in WORK/vars.json
  "$PY" -c "
import json, sys
work, port, names = sys.argv[1], sys.argv[2], sys.argv[3:]
json.dump({'claudeops_clusters': [{'name': c, 'kubeconfig': '%s/k8s/%s/kubeconfig' % (work, c)} for c in names],
           'claudeops_alert_webhook': 'http://127.0.0.1:%s/alerts' % port, 'claudeops_alert_format': 'generic'},
          open(work + '/vars.json', 'w'))" \
    "$WORK" "$(cat "$WORK/port" 2>/dev/null || echo 1)" "$@"
}
start_receiver() {  # start_receiver EVENTSFILE
  rm -f "$WORK/port"
  "$PY" "$HERE/receiver.py" "$WORK/port" "$1" s3cret-alert-token &
  RECEIVER_PID=$!
  wait_for 10 test -s "$WORK/port" || { echo "the alert receiver did not start"; exit 1; }
}

secret s3cret-alert-token
for c in c1 c2 c3 c4 c5 c6 c7 c8 c9; do bash "$CTL" start "$WORK/k8s" "$c" claude; done
session_hours "$WORK/ws-ok/.credentials.json" 8 CANARYMONA
session_hours "$WORK/ws-idle/.credentials.json" -1 CANARYMONH
session_hours "$WORK/ws-old/.credentials.json" -1 CANARYMONB no-refresh
session_hours "$WORK/ws-blank/.credentials.json" 0 CANARYMONC blanked
session_hours "$WORK/c6.json" 0.16 CANARYMOND no-refresh
publish c1 "$WORK/ws-ok/.credentials.json"
publish_token c2 CANARYMONE 20
publish_token c3 CANARYMONF 3
plant_expired_session c5 CANARYMONI
publish c6 "$WORK/c6.json"
cat > "$WORK/hosts.ini" <<INI
[claude_hosts]
ws-ok ansible_connection=local claudeops_session_path=$WORK/ws-ok
ws-idle ansible_connection=local claudeops_session_path=$WORK/ws-idle
ws-old ansible_connection=local claudeops_session_path=$WORK/ws-old
ws-blank ansible_connection=local claudeops_session_path=$WORK/ws-blank
ws-none ansible_connection=local claudeops_session_path=$WORK/ws-none
ws-down ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=1 ansible_ssh_args='-o ConnectTimeout=3'
[all:vars]
ansible_python_interpreter=$PY
INI
start_receiver "$WORK/events.jsonl"
vars_for c1 c2 c3 c4 c5 c6

echo "== every status, each credential judged by what it is: the run fails, files and alerts are written"
if CLAUDEOPS_ALERT_TOKEN=s3cret-alert-token monitor -vvv > "$WORK/run1.log" 2>&1; then echo "expected failure"; exit 1; fi
grep -q "Claude Code credentials need attention (worst: missing)" "$WORK/run1.log"
# ws-ok: an 8-hour session just made (it was 'critical' under the old single 3d/1d threshold); ws-idle: its access
# token expired, its refresh token renews it; c5: a published session whose access token expired, with a refresh
# token (the consumers renew it); c2/c3: long-lived tokens 20 and 3 days from expiry; c6: a session without a
# refresh token 10 minutes from expiry.
for pair in ws-ok:healthy ws-idle:warning ws-old:expired ws-blank:missing ws-none:missing ws-down:missing \
            c1:healthy c2:warning c3:critical c4:missing c5:healthy c6:critical; do
  got="$(status_of "${pair%%:*}")"; [ "$got" = "${pair#*:}" ] || { echo "${pair%%:*}: expected ${pair#*:}, got $got"; exit 1; }
done
detail_of c5 | grep "the access token expired at .*; the refresh token renews it on first use" > /dev/null
detail_of ws-idle | grep "renews it when next used" > /dev/null
detail_of c6 | grep "without a refresh token" > /dev/null
"$PY" "$HERE/files/check_status_json.py" "$WORK/out/token-status.json"
grep -q "^| c3 | cluster | token | critical |" "$WORK/out/token-status.md"
"$PY" "$HERE/files/check_events.py" "$WORK/events.jsonl"
sweep "$WORK/run1.log" "$WORK/out/token-status.json" "$WORK/out/token-status.md"

echo "== a bad threshold stops the run naming the variable, before anything is read or written"
rm -rf "$WORK/out"
k c1 clear
if monitor -e claudeops_capture_grace=soon > "$WORK/bad.log" 2>&1; then echo "expected failure"; exit 1; fi
grep "claudeops_capture_grace: 'soon' is not a duration" "$WORK/bad.log" > /dev/null
if monitor -e claudeops_critical_within=60d > "$WORK/bad2.log" 2>&1; then echo "expected failure"; exit 1; fi
grep "claudeops_critical_within (60d) is longer than claudeops_warning_within (30d)" "$WORK/bad2.log" > /dev/null
test ! -e "$WORK/out"
k c1 requests

echo "== the receiver down is reported, never a crash"
kill "$RECEIVER_PID"; RECEIVER_PID=""
if monitor > "$WORK/run2.log" 2>&1; then echo "expected failure (critical)"; exit 1; fi
grep -q "The alert receiver 127.0.0.1 (generic) did not accept 12 of 12 requests" "$WORK/run2.log"
grep -q "Claude Code credentials need attention" "$WORK/run2.log"

echo "== everything healthy: the run passes, and problems that went away are sent as resolved"
start_receiver "$WORK/events2.jsonl"
publish_token c2 CANARYMONG 200
vars_for c1 c2 c5
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
assert healthy == ['c1', 'c2', 'c5', 'ws-ok'], healthy
assert sorted(e['labels']['credential_source'] for e in events if e['status'] == 'resolved') == healthy, events"

# AWX keeps facts between jobs when a job template has use_fact_cache (playbooks/awx/objects.yml sets it for capture
# and monitor): it hands each job a jsonfile fact cache. One directory across the runs below stands for that.
export ANSIBLE_CACHE_PLUGIN=jsonfile ANSIBLE_CACHE_PLUGIN_CONNECTION="$WORK/fact_cache"
printf '[claude_hosts]\nws-a ansible_connection=local claudeops_session_path=%s ansible_python_interpreter=%s\n' \
  "$WORK/ws-a" "$PY" > "$WORK/hosts.ini"
vars_for c7 c8

echo "== a capture a minute ago: the monitor passes (a session is not 'expiring' for living 8 hours)"
session_hours "$WORK/ws-a/.credentials.json" 8 CANARYMONJ
capture > "$WORK/cap1.log" 2>&1 || { tail -30 "$WORK/cap1.log"; exit 1; }
monitor > "$WORK/mon1.log" 2>&1 || { tail -30 "$WORK/mon1.log"; exit 1; }
test "$(status_of c7)-$(status_of c8)-$(status_of ws-a)" = healthy-healthy-healthy
grep -rl claudeops_last_capture "$WORK/fact_cache" > /dev/null
sweep "$WORK/fact_cache"

echo "== the last capture was 9 hours ago (captures stopped): stale, the run fails"
# What the fact cache holds after a capture 9 hours ago, written the way capture-tokens.yml writes it.
cat > "$WORK/older_capture.yml" <<'YAML'
- name: Leave the fact a capture 9 hours ago left
  hosts: ws-a
  gather_facts: false
  tasks:
    - name: Remember a capture 9 hours ago
      ansible.builtin.set_fact:
        claudeops_last_capture:
          at: "{{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now().timestamp() - 9 * 3600, utc=true) }}"
          clusters: [c7, c8]
        cacheable: true
YAML
ansible-playbook -i "$WORK/hosts.ini" "$WORK/older_capture.yml" > /dev/null
if monitor > "$WORK/mon2.log" 2>&1; then echo "expected failure (stale)"; exit 1; fi
test "$(status_of c7)-$(status_of c8)" = stale-stale
detail_of c7 | grep "the last capture reached this cluster at .*, 9h\( [0-9]*[ms]\)\? ago, longer than the capture interval plus grace (8h)" > /dev/null
grep -q "Claude Code credentials need attention (worst: stale)" "$WORK/mon2.log"

echo "== the host is idle (its access token expired) and the clusters hold its session or a newer one: capture succeeds"
session_hours "$WORK/ws-a/.credentials.json" -1 CANARYMONK
k c7 clear
capture > "$WORK/cap2.log" 2>&1 || { tail -30 "$WORK/cap2.log"; exit 1; }
grep -q "Nothing newer to publish: ws-a is idle" "$WORK/cap2.log"
k c7 requests GET
monitor > "$WORK/mon3.log" 2>&1 || { tail -30 "$WORK/mon3.log"; exit 1; }
test "$(status_of c7)-$(status_of ws-a)" = healthy-warning

echo "== idle, and a cluster lacks the session: capture fails naming it"
vars_for c7 c8 c9
if capture > "$WORK/cap3.log" 2>&1; then echo "expected failure"; exit 1; fi
grep -q "Clusters without the idle session: c9" "$WORK/cap3.log" || { tail -40 "$WORK/cap3.log"; exit 1; }

echo "== without a fact cache: a newer session that waited 9 hours on the host shows the captures stopped"
unset ANSIBLE_CACHE_PLUGIN ANSIBLE_CACHE_PLUGIN_CONNECTION
vars_for c7 c8
session_hours "$WORK/ws-a/.credentials.json" 12 CANARYMONL
touch -d "@$(( $(date +%s) - 9 * 3600 ))" "$WORK/ws-a/.credentials.json"
if monitor > "$WORK/mon4.log" 2>&1; then echo "expected failure (stale)"; exit 1; fi
test "$(status_of c7)" = stale
detail_of c7 | grep "a newer session on ws-a (written .*) has waited 9h\( [0-9]*[ms]\)\? to be published" > /dev/null
echo "== a published session that claims 300 days (a clock ahead, or a crafted file) is critical, with the reason"
bash "$CTL" start "$WORK/k8s" c10 claude
secret CANARYMONFAR
k c10 create claude "$("$PY" "$FAKE_SESSION" --secret --expires-in 300d --token-tag CANARYMONFAR)" > /dev/null
vars_for c10
if monitor > "$WORK/mon5.log" 2>&1; then echo "expected failure (critical)"; exit 1; fi
test "$(status_of c10)" = critical
detail_of c10 | grep "later than a session lives" > /dev/null
echo "== no secret of the run in any output, report, fact cache, file left behind or stored object"
sweep
echo "monitor_tokens: all checks passed"
