#!/usr/bin/env bash
# claude_secret against three stand-in clusters: create, no-op with zero writes, update, downgrade refused,
# racing publishers, a cluster down and one forbidden, a slow one failing alone, check mode, masked diff, restart, absent,
# template mode, long-lived token, transient faults, and no token in the output at -vvvv.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
TOKEN=sk-ant-oat01-CANARYTOKEN-0123456789abcdef
secret "$TOKEN"
clear_logs() { for c in c1 c2 c3; do k "$c" clear; done; }
clusters() {  # clusters NAME:CONTEXT ...  (CONTEXT admin or readonly; NAME down = a closed port)
  "$PY" "$HERE/files/cluster_vars.py" "$WORK" "$@"
}

if [ -n "${CLAUDEOPS_TEST_KUBECONFIG:-}" ]; then
  # A real cluster: the same publish steps, judged by results and by reading the Secret back. The stand-in-only
  # checks (request log, fault injection, the read-only user, a cluster that is down) are left out.
  ns="claudeops-test-$$"
  read_data() {  # read_data NAMESPACE KEY: one data value, decoded
    "$PY" "$HERE/files/read_data.py" "$CLAUDEOPS_TEST_KUBECONFIG" "$1" "$2"
  }
  "$PY" -c "import json,sys; json.dump([{'name': 'real-%d' % i, 'kubeconfig': sys.argv[1], 'namespace': sys.argv[2] + '-%d' % i}
    for i in range(3)], open(sys.argv[3], 'w'))" "$CLAUDEOPS_TEST_KUBECONFIG" "$ns" "$WORK/clusters.json"
  session "$WORK/s10.json" 5h CANARYTEN
  session "$WORK/s20.json" 10h CANARYTWENTY
  session "$WORK/s5.json" 2.5h CANARYFIVE
  play -e "session=$WORK/s10.json" -e create_namespace=true -vvvv --diff > "$WORK/create.log" 2>&1 || { tail -40 "$WORK/create.log"; exit 1; }
  expect "real-0=created real-1=created real-2=created"
  clean_log "$WORK/create.log"
  play -e "session=$WORK/s10.json" > "$WORK/noop.log" 2>&1; expect "real-0=unchanged real-1=unchanged real-2=unchanged"
  play -e "session=$WORK/s20.json" --check > "$WORK/check.log" 2>&1; expect "real-0=would update real-1=would update real-2=would update"
  read_data "$ns-0" .credentials.json | cmp - "$WORK/s10.json"
  play -e "session=$WORK/s20.json" > "$WORK/update.log" 2>&1; expect "real-0=updated real-1=updated real-2=updated"
  read_data "$ns-1" .credentials.json | cmp - "$WORK/s20.json"
  play -e "session=$WORK/s5.json" > "$WORK/older.log" 2>&1; expect "real-0=skipped real-1=skipped real-2=skipped"
  play -e "$(token_vars "$TOKEN")" -e replace_kind=true > "$WORK/token.log" 2>&1; expect "real-0=updated real-1=updated real-2=updated"
  test "$(read_data "$ns-2" CLAUDE_CODE_OAUTH_TOKEN)" = "$TOKEN"
  play -e state=absent > "$WORK/absent.log" 2>&1; expect "real-0=deleted real-1=deleted real-2=deleted"
  for i in 0 1 2; do
    ansible localhost -m kubernetes.core.k8s -a "kind=Namespace name=$ns-$i state=absent kubeconfig=$CLAUDEOPS_TEST_KUBECONFIG" >/dev/null
  done
  sweep
  echo "publish_clusters: all checks passed against the cluster in CLAUDEOPS_TEST_KUBECONFIG"
  exit 0
fi

bash "$CTL" start "$WORK/k8s" c1 claude
bash "$CTL" start "$WORK/k8s" c2 claude
bash "$CTL" start "$WORK/k8s" c3
session "$WORK/s10.json" 5h CANARYTEN
session "$WORK/s20.json" 10h CANARYTWENTY
session "$WORK/s5.json" 2.5h CANARYFIVE
session "$WORK/s30.json" 15h CANARYTHIRTY
clusters c1:admin c2:admin c3:admin

echo "== bad input: one error before any request"
if play -e "$(token_vars sk-ant-ort01-not-a-setup-token)" > "$WORK/bad.log" 2>&1; then echo "expected failure"; exit 1; fi
grep -q "does not start with 'sk-ant-oat01-'" "$WORK/bad.log"
for c in c1 c2 c3; do k "$c" requests; done
if play -e "$(token_vars sk-ant-oat01-short)" > "$WORK/bad2.log" 2>&1; then echo "expected failure"; exit 1; fi
grep -q "oauth_token has characters a Claude token never has, or is too short" "$WORK/bad2.log"
if play -e '{"raw_files": {".credentials.json": "not base64!"}}' > "$WORK/bad3.log" 2>&1; then echo "expected failure"; exit 1; fi
grep -q "files\['.credentials.json'\] is not valid base64" "$WORK/bad3.log"
if play -e '{"raw_files": {"bad/key": "eA=="}}' > "$WORK/bad4.log" 2>&1; then echo "expected failure"; exit 1; fi
grep -q "files: 'bad/key' is not a valid Secret data key" "$WORK/bad4.log"
for c in c1 c2 c3; do k "$c" requests; done

echo "== create on three clusters, the third without its namespace (create_namespace)"
play -e "session=$WORK/s10.json" -e create_namespace=true -vvvv --diff > "$WORK/create.log" 2>&1 || { tail -40 "$WORK/create.log"; exit 1; }
expect "c1=created c2=created c3=created"
k c1 requests GET POST PATCH
k c3 requests GET POST POST POST PATCH
grep -q "going to 3 clusters" "$WORK/create.log"
clean_log "$WORK/create.log"
k c2 secret-data claude claude-session .credentials.json | cmp - "$WORK/s10.json"
test "$(k c2 secret-data claude claude-session .claude.json)" = '{"hasCompletedOnboarding": true}'
never_in last-applied-configuration k c2 secret claude claude-session

echo "== no-op rerun: one read per cluster, zero writes"
clear_logs
play -e "session=$WORK/s10.json" > "$WORK/noop.log" 2>&1 || { tail -40 "$WORK/noop.log"; exit 1; }
expect "c1=unchanged c2=unchanged c3=unchanged"
for c in c1 c2 c3; do k "$c" requests GET; done

echo "== check mode with a newer session: dry-run writes only, nothing changes"
before="$(k c1 secret claude claude-session)"
clear_logs
play -e "session=$WORK/s20.json" --check --diff -vvvv > "$WORK/check.log" 2>&1 || { tail -40 "$WORK/check.log"; exit 1; }
expect "c1=would update c2=would update c3=would update"
grep -q '"msg": "c1: Secret would be updated' "$WORK/check.log"
never grep -q '"action": "updated"' "$WORK/check.log"
test "$(k c1 secret claude claude-session)" = "$before"
k c1 log | grep PATCH | grep -q '"dryRun": "All"'
grep -q '".credentials.json": "sha256:' "$WORK/check.log"
clean_log "$WORK/check.log"

echo "== update, restarting a deployment; c3 has no such deployment, which fails c3 alone after its update"
k c1 deployment claude agent
k c2 deployment claude agent
k c1 put-data claude claude-session other-team-key kept
play -e "session=$WORK/s20.json" -e '{"restart": ["Deployment/agent"]}' --diff > "$WORK/update.log" 2>&1 || true
expect "c1=updated c2=updated c3=failed"
grep -q "Secret updated (.*), but the restart failed (the next run retries it): reading deployment/agent: not found (404)" "$WORK/result.json"
k c3 secret-data claude claude-session .credentials.json | cmp - "$WORK/s20.json"
fp="$("$PY" -c "import json; print(json.load(open('$WORK/result.json'))['fingerprint'])")"
test "$(k c1 template-annotation claude agent)" = "$fp"
k c1 secret claude claude-session | grep -q '"other-team-key"'
k c2 secret-data claude claude-session .credentials.json | cmp - "$WORK/s20.json"

echo "== the same again once c3 has its deployment: the failed restart is made now, c1's is not repeated"
k c3 deployment claude agent
k c1 clear
play -e "session=$WORK/s20.json" -e '{"restart": ["Deployment/agent"]}' > "$WORK/again.log" 2>&1 || { tail -40 "$WORK/again.log"; exit 1; }
expect "c1=unchanged c2=unchanged c3=unchanged"
k c1 requests GET GET
test "$(k c3 template-annotation claude agent)" = "$fp"
"$PY" -c "import json; r=json.load(open('$WORK/result.json')); assert [c['restarted'] for c in r['clusters']] == [[], [], ['deployment/agent']], r"

echo "== never backwards: an older session is skipped"
play -e "session=$WORK/s5.json" > "$WORK/older.log" 2>&1 || { tail -40 "$WORK/older.log"; exit 1; }
expect "c1=skipped c2=skipped c3=skipped"
grep -q "newer credentials" "$WORK/result.json"
k c2 secret-data claude claude-session .credentials.json | cmp - "$WORK/s20.json"

echo "== transient faults are retried: two 503s on c1, a dropped connection on c2"
k c1 fault '{"status": 503, "count": 2}'
k c2 fault '{"drop": 1}'
play -e "session=$WORK/s30.json" > "$WORK/faults.log" 2>&1 || { tail -40 "$WORK/faults.log"; exit 1; }
expect "c1=updated c2=updated c3=updated"
k c1 secret-data claude claude-session .credentials.json | cmp - "$WORK/s30.json"

echo "== racing publishers end with the newest credentials"
session "$WORK/s40.json" 20h CANARYFORTY
session "$WORK/s50.json" 25h CANARYFIFTY
# Both read before either writes, whatever the machine's load: each cluster holds the first two reads of the Secret
# until both have arrived, so both publishers write on the same resourceVersion and one of them must get 409.
for c in c1 c2 c3; do k "$c" clear; k "$c" fault '{"barrier": 2}'; done
cp "$WORK/clusters.json" "$WORK/clusters.race.json"
play -e "session=$WORK/s50.json" > "$WORK/race1.log" 2>&1 &
first=$!
play -e "session=$WORK/s40.json" > "$WORK/race2.log" 2>&1 &
second=$!
wait "$first" || { tail -30 "$WORK/race1.log"; exit 1; }
wait "$second" || { tail -30 "$WORK/race2.log"; exit 1; }
conflicts=0
for c in c1 c2 c3; do
  k "$c" secret-data claude claude-session .credentials.json | cmp - "$WORK/s50.json"
  if k "$c" log | grep -Eq '^PATCH .* 409$'; then conflicts=$((conflicts + 1)); fi
done
# The race really happened: on every cluster, a write carrying a resourceVersion the other publisher had changed
# got 409, and the outcome above is still the newer session.
[ "$conflicts" -eq 3 ] || { echo "only $conflicts of 3 clusters saw a conflicting write: the publishers did not race"; exit 1; }
echo "   $conflicts of 3 clusters saw a conflicting write"

echo "== one cluster down, one forbidden, the third still succeeds and the task fails naming both"
session "$WORK/s60.json" 30h CANARYSIXTY
clusters c1:down c2:readonly c3:admin
if play -e "session=$WORK/s60.json" > "$WORK/partial.log" 2>&1; then echo "expected failure"; exit 1; fi
expect "c1=failed c2=failed c3=updated"
grep -q "2 of 3 clusters failed" "$WORK/partial.log"
grep -q "c1: reading Secret claude/claude-session: cannot reach the API server" "$WORK/partial.log"
grep -q "c2: .*permission denied (403)" "$WORK/partial.log"
k c3 secret-data claude claude-session .credentials.json | cmp - "$WORK/s60.json"

echo "== TLS verification and rejected credentials fail their clusters alone"
clusters c1:badca c2:badtoken c3:admin
if play -e "session=$WORK/s60.json" > "$WORK/authn.log" 2>&1; then echo "expected failure"; exit 1; fi
expect "c1=failed c2=failed c3=unchanged"
grep -q "c1: reading Secret claude/claude-session: TLS verification failed" "$WORK/authn.log"
grep -q "c2: reading Secret claude/claude-session: the credentials were rejected (401)" "$WORK/authn.log"

echo "== a slow cluster fails alone on its own timeout; with a worker per cluster the others are written at once"
session "$WORK/s65.json" 32.5h CANARYSIXTYFIVE
clusters c1:admin c2:admin c3:admin
for c in c1 c2 c3; do k "$c" clear; done
k c2 fault '{"latency": 8}'
if play -e "session=$WORK/s65.json" -e request_timeout=3 -e retries=0 > "$WORK/slow.log" 2>&1; then
  echo "expected c2 to time out"; exit 1
fi
k c2 fault '{"latency": 0}'
expect "c1=updated c2=failed c3=updated"
grep -q "c2: reading Secret claude/claude-session: cannot reach the API server: .*Read timed out" "$WORK/slow.log"
for c in c1 c3; do k "$c" secret-data claude claude-session .credentials.json | cmp - "$WORK/s65.json"; done

echo "== the others do not wait for a cluster still answering: c2's read is held until c1 and c3 were written"
# No clock is compared: c2 holds its first read until c1's and c3's writes have landed (their stand-ins mark them),
# and answers 503 if that takes 30 s. With a worker per cluster all three are written; had c2 been handled before c3,
# or c3 waited for c2, c3's write could not land while c2 held, and c2 would fail.
session "$WORK/s66.json" 33h CANARYSIXTYSIX
k c1 fault "{\"mark_on_write\": \"$WORK/written-c1\"}"
k c3 fault "{\"mark_on_write\": \"$WORK/written-c3\"}"
k c2 fault "{\"hold_until\": [\"$WORK/written-c1\", \"$WORK/written-c3\"], \"hold_max\": 30}"
play -e "session=$WORK/s66.json" -e request_timeout=60 -e retries=0 > "$WORK/held.log" 2>&1 \
  || { tail -40 "$WORK/held.log"; exit 1; }
expect "c1=updated c2=updated c3=updated"
c2_log="$(k c2 log)"
grep -q '^GET /api/v1/namespaces/claude/secrets/claude-session .* 200$' <<< "$c2_log" || { echo "$c2_log"; exit 1; }
for c in c1 c2 c3; do k "$c" fault '{"mark_on_write": null, "hold_until": null}'; done

echo "== template mode: the manifest and the clusters from one code path"
clusters c1:admin c2:admin c3:admin
play -e "session=$WORK/s60.json" -e "dest=$WORK/out/secret.yaml" > "$WORK/template.log" 2>&1 || { tail -40 "$WORK/template.log"; exit 1; }
grep -q "claudeops.io/fingerprint: $("$PY" -c "import json; print(json.load(open('$WORK/result.json'))['fingerprint'])")" "$WORK/out/secret.yaml"
test "$(stat -c %a "$WORK/out/secret.yaml")" = 600
secret_holder "$WORK/out/secret.yaml"

echo "== long-lived token mode replaces the session keys"
play -e "$(token_vars "$TOKEN")" -e replace_kind=true -vvvv --diff > "$WORK/token.log" 2>&1 || { tail -40 "$WORK/token.log"; exit 1; }
expect "c1=updated c2=updated c3=updated"
k c2 secret claude claude-session | grep -q '"keys": \[".claude.json", "CLAUDE_CODE_OAUTH_TOKEN"\]'
test "$(k c2 secret-data claude claude-session CLAUDE_CODE_OAUTH_TOKEN)" = "$TOKEN"
clean_log "$WORK/token.log"
never grep -q "going to 3 clusters" "$WORK/token.log"

echo "== absent removes the Secret everywhere, then reports absent"
play -e state=absent > "$WORK/absent.log" 2>&1 || { tail -40 "$WORK/absent.log"; exit 1; }
expect "c1=deleted c2=deleted c3=deleted"
k c1 absent claude claude-session
play -e state=absent > "$WORK/absent2.log" 2>&1 || { tail -40 "$WORK/absent2.log"; exit 1; }
expect "c1=absent c2=absent c3=absent"

echo "== capture-tokens.yml applies to claudeops_clusters when set, and writes no manifest"
mkdir -p "$WORK/ws1/.claude" "$WORK/cwd"
session "$WORK/ws1/.claude/.credentials.json" 35h CANARYSEVENTY
printf '[claude_hosts]\nws1 ansible_connection=local claudeops_session_path=%s ansible_python_interpreter=%s\n' \
  "$WORK/ws1/.claude" "$PY" > "$WORK/hosts.ini"
"$PY" -c "import json; json.dump({'claudeops_clusters': json.load(open('$WORK/clusters.json'))}, open('$WORK/vars.json', 'w'))"
(cd "$WORK/cwd" && ansible-playbook "$COLLECTION/playbooks/capture-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" -v \
  > "$WORK/capture.log" 2>&1) || { tail -40 "$WORK/capture.log"; exit 1; }
for c in c1 c2 c3; do k "$c" secret-data claude claude-session .credentials.json | cmp - "$WORK/ws1/.claude/.credentials.json"; done
k c1 secret claude claude-session | grep -q '"claudeops.io/source-host": "ws1"'
test ! -e "$WORK/cwd/out"
clean_log "$WORK/capture.log"

echo "== capture-tokens.yml into a namespace that does not exist: one task fails, naming the role's variable"
if (cd "$WORK/cwd" && ansible-playbook "$COLLECTION/playbooks/capture-tokens.yml" -i "$WORK/hosts.ini" -e "@$WORK/vars.json" \
    -e claudeops_secret_namespace=nowhere > "$WORK/nons-capture.log" 2>&1); then echo "expected failure"; exit 1; fi
grep -q "namespace 'nowhere' does not exist: create it, or set claudeops_create_namespace: true" "$WORK/nons-capture.log" \
  || { tail -30 "$WORK/nons-capture.log"; exit 1; }
# ansible-core 2.19 prints a failed task's message twice (its [ERROR] line and its result): one task, once each.
[ "$(grep -cE '^(fatal|failed):' "$WORK/nons-capture.log")" = 1 ] || { grep -E '^(fatal|failed):' "$WORK/nons-capture.log"; exit 1; }
[ "$(grep -c "namespace 'nowhere' does not exist" "$WORK/nons-capture.log")" -le 2 ] \
  || { echo "the failure is printed more than by its one task"; grep -n "does not exist" "$WORK/nons-capture.log"; exit 1; }
never grep -q "set create_namespace" "$WORK/nons-capture.log"
clean_log "$WORK/nons-capture.log"

echo "== kubernetes.core.k8s_info reads what the stand-in serves"
ansible localhost -m kubernetes.core.k8s_info -a "kind=Namespace name=claude kubeconfig=$WORK/k8s/c1/kubeconfig" > "$WORK/k8s_info.log" 2>&1 || { cat "$WORK/k8s_info.log"; exit 1; }
grep -q '"name": "claude"' "$WORK/k8s_info.log"
echo "== no secret of the run in any output, file left behind or stored object"
sweep
echo "publish_clusters: all checks passed"
