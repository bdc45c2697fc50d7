#!/usr/bin/env bash
# rulebook.sh K8S: docs/event-driven.md "On a host with ansible-rulebook", as a new user follows it, in a copy of this
# checkout at a plain path (not under ansible_collections/): `make eda`, the eda-vars.yml keys the doc shows, and the
# doc's ansible-rulebook command taken from the doc and run as written, at the default verbosity. Two capture hosts
# signal: ws-good's session reaches the stand-in cluster K8S/dev; ws-bad's session file is blanked, so its capture
# fails, and the alert receiver gets that failure. The log says where it listens, each accepted signal and each
# run's outcome, with no colour codes. Called by tests/demo/run.sh, which started the cluster.
set -eu -o pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/integration/checks.sh
. tests/integration/checks.sh
K8S="$1"
CHECKOUT="$PWD"
PY="$CHECKOUT/.venv/bin/python"
PLAIN="$K8S/plain/claudeops-credentials"
RB_PID=""
RECEIVER_PID=""
stop() {
  [ -z "$RECEIVER_PID" ] || kill "$RECEIVER_PID" 2> /dev/null || true
  if [ -n "$RB_PID" ]; then kill -TERM -- "-$RB_PID" 2> /dev/null || true; sleep 1; kill -KILL -- "-$RB_PID" 2> /dev/null || true; fi
}
trap stop EXIT
[ -d /usr/lib/jvm/java-17-openjdk-amd64 ] && export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"

echo "== a copy of the checkout at a plain path; make eda there, as the doc says"
mkdir -p "$PLAIN/.build"
git ls-files -co --exclude-standard -z | xargs -0 -I{} sh -c 'test ! -e "{}" || echo "{}"' | tar -cf - -T - | tar -xf - -C "$PLAIN"
# What a clone would build for itself (the venv, uv, the downloaded ansible package) is shared with this checkout, so
# make eda there installs nothing new; the link to the collection and the collections it needs are its own.
ln -s "$CHECKOUT/.venv" "$PLAIN/.venv"
ln -s "$CHECKOUT/.build/uv" "$PLAIN/.build/uv"
ln -s "$CHECKOUT/.build/cache" "$PLAIN/.build/cache"
make -C "$PLAIN" --no-print-directory eda > "$K8S/eda-make.log" 2>&1 || { tail -30 "$K8S/eda-make.log"; exit 1; }
grep -q 'ansible-rulebook is in .venv' "$K8S/eda-make.log" || { tail -20 "$K8S/eda-make.log"; exit 1; }
test -L "$PLAIN/.build/collections/ansible_collections/claudeops/credentials"

echo "== eda-vars.yml with the doc's keys, an inventory of two capture hosts, a receiver for the alerts"
HOSTS="$K8S/eda-hosts"
mkdir -p "$HOSTS/good" "$HOSTS/bad" "$K8S/eda-tls"
"$PY" tests/integration/targets/setup_session/files/fake_session.py "$HOSTS/good" --expires-in 8h --token-tag CANARYEDADOCGOOD > /dev/null
printf '' > "$HOSTS/bad/.credentials.json"  # blanked, as a consumer that lost the refresh race leaves it
cat > "$PLAIN/inventory/hosts.yml" <<EOF
claude_hosts:
  hosts:
    ws-good: {ansible_connection: local, ansible_python_interpreter: $PY, claudeops_session_path: $HOSTS/good}
    ws-bad: {ansible_connection: local, ansible_python_interpreter: $PY, claudeops_session_path: $HOSTS/bad}
EOF
"$PY" -c "import sys; sys.path.insert(0, sys.argv[1]); import standin; standin.make_certs(sys.argv[2])" \
  tests/kube_standin "$K8S/eda-tls"
"$PY" tests/integration/targets/monitor_tokens/receiver.py "$K8S/eda-receiver.port" "$K8S/eda-alerts.jsonl" CANARYEDADOCALERT &
RECEIVER_PID=$!
wait_for 10 test -s "$K8S/eda-receiver.port" || { echo "the alert receiver did not start"; exit 1; }
BEARER="CANARYEDADOCBEARER-$("$PY" -c 'import secrets; print(secrets.token_hex(16))')"
(umask 077; cat > "$PLAIN/eda-vars.yml" <<EOF
claudeops_login_token: "$BEARER"
claudeops_login_listen: 127.0.0.1
claudeops_login_port: 0
claudeops_login_certfile: $K8S/eda-tls/server.pem
claudeops_login_keyfile: $K8S/eda-tls/server.key
claudeops_login_inventory: inventory/hosts.yml
claudeops_clusters:
  - {name: dev, kubeconfig: $K8S/dev/kubeconfig}
claudeops_alert_webhook: http://127.0.0.1:$(cat "$K8S/eda-receiver.port")/alerts
claudeops_alert_format: generic
claudeops_expiry_watch_interval: 1h
EOF
)
# The doc's keys, all of them, are in the file the test uses.
while read -r key; do
  grep -q "^$key:" "$PLAIN/eda-vars.yml" || { echo "eda-vars.yml lacks the doc's $key"; exit 1; }
done < <(sed -n '/^# eda-vars.yml/,/^```/p' docs/event-driven.md | sed -n 's/^\(claudeops_[a-z_]*\):.*/\1/p')

echo "== the doc's command, as written, from the copy, at the default verbosity"
COMMAND="$(awk '/^<!-- run by: tests\/demo\/rulebook.sh, / {on = 1; next} on && /^```$/ {if (inside) exit; inside = 1; next} inside {print}' docs/event-driven.md)"
grep -q 'ansible-rulebook --rulebook rulebooks/publish-on-login.yml' <<< "$COMMAND" \
  || { echo "the doc's command is not where this test looks: $COMMAND"; exit 1; }
# No PATH, ANSIBLE_* or collections of this test's environment reach it: a login shell's PATH and a terminal (TERM:
# where ansible colours its output), and the alert token as a service's EnvironmentFile would give it.
(cd "$PLAIN" && exec env -i HOME="$HOME" PATH=/usr/local/bin:/usr/bin:/bin TERM=xterm-256color ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
  CLAUDEOPS_ALERT_TOKEN=CANARYEDADOCALERT setsid bash -c "$COMMAND" > "$K8S/eda-rulebook.log" 2>&1 < /dev/null) &
RB_PID=$!
wait_for 90 grep -aq 'login_signal: listening on' "$K8S/eda-rulebook.log" || { tail -30 "$K8S/eda-rulebook.log"; exit 1; }
PORT="$(sed -n 's/.*login_signal: listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$K8S/eda-rulebook.log" | head -1)"
[ -n "$PORT" ] || { echo "the listener did not name its port"; exit 1; }
send() { "$PY" tests/integration/targets/event_driven/files/signal.py "https://127.0.0.1:$PORT/login" "$K8S/eda-tls/ca.pem" "$BEARER" good "$1"; }
# Each run's outcome, as the capture playbook says it: what it published, or why it failed.
said() { grep -aq -- "$1" "$K8S/eda-rulebook.log"; }

echo "== ws-good signals: its session reaches the cluster; the log shows the signal and the run's outcome"
[ "$(send ws-good)" = 200 ]
wait_for 120 said '(from ws-good, expires ' || { echo "no outcome line for ws-good's run"; tail -40 "$K8S/eda-rulebook.log"; exit 1; }
.venv/bin/python tests/kube_standin/kube.py "$K8S/dev" secret-data claude claude-session .credentials.json | grep -q CANARYEDADOCGOOD \
  || { echo "ws-good's session did not reach the cluster"; tail -40 "$K8S/eda-rulebook.log"; exit 1; }
grep -aq 'login signal for ws-good from 127.0.0.1 accepted' "$K8S/eda-rulebook.log"

echo "== ws-bad signals: its blanked session fails the capture, and the receiver is told"
[ "$(send ws-bad)" = 200 ]
wait_for 120 said 'No capture host has a usable Claude Code session' \
  || { echo "no failure line for ws-bad's run"; tail -40 "$K8S/eda-rulebook.log"; exit 1; }
grep -aq 'login signal for ws-bad from 127.0.0.1 accepted' "$K8S/eda-rulebook.log"
told() { grep -qs '"credential_source": "ws-bad"' "$K8S/eda-alerts.jsonl"; }
wait_for 60 told || { echo "the receiver was not told of ws-bad's capture"; cat "$K8S/eda-alerts.jsonl" 2>/dev/null; exit 1; }
"$PY" - "$K8S/eda-alerts.jsonl" <<'EOP'
import json, sys
got = [json.loads(line) for line in open(sys.argv[1])]
capture = [g['event'] for g in got if g['event'].get('labels', {}).get('kind') == 'capture']
by_host = dict((e['labels']['credential_source'], e) for e in capture)
assert all(g['authorized'] for g in got), 'an alert came without the token of CLAUDEOPS_ALERT_TOKEN'
bad, good = by_host.get('ws-bad'), by_host.get('ws-good')
assert bad and bad['status'] == 'firing' and bad['severity'] == 'critical', capture
assert 'ws-bad' in bad['description'] and 'usable' in bad['description'], bad['description']
assert good and good['status'] == 'resolved', capture
assert bad['fingerprint'] != good['fingerprint']
print('   the receiver holds: %s' % '; '.join('%s %s' % (e['labels']['credential_source'], e['status']) for e in capture))
EOP

echo "== the log: where it listens said once, no colour codes, the listener's lines at the default verbosity"
[ "$(grep -ac 'login_signal: listening on' "$K8S/eda-rulebook.log")" = 1 ] || { echo "'listening on' is not said once"; exit 1; }
if grep -aq $'\e\\[' "$K8S/eda-rulebook.log"; then echo "the log holds colour codes"; grep -a $'\e\\[' "$K8S/eda-rulebook.log" | head -3; exit 1; fi
if grep -aq "was not found" "$K8S/eda-rulebook.log"; then echo "something was not found"; grep -a "was not found" "$K8S/eda-rulebook.log" | head -3; exit 1; fi
never grep -aq "$BEARER" "$K8S/eda-rulebook.log"
stop
RB_PID="" RECEIVER_PID=""
printf '%s\n' "$BEARER" CANARYEDADOCALERT > "$K8S/eda-secrets"
"$PY" tests/tools/leak_sweep.py --secrets "$K8S/eda-secrets" --session "$HOSTS/good/.credentials.json" \
  "$K8S/eda-rulebook.log" "$K8S/eda-alerts.jsonl" "$K8S/eda-make.log"
echo "rulebook: docs/event-driven.md's make eda and rulebook command work as written, from a plain-path copy"
