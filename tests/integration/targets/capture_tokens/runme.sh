#!/usr/bin/env bash
# End to end: playbooks/capture-tokens.yml over several capture hosts, with canary tokens.
# Checks selection, the manifest, idempotence, check mode, --diff, never-backwards, the no-usable-host
# failure, and that no token text reaches the output at -vvvv.
set -eu -o pipefail

# Playbook names with a hyphen have no FQCN form, so run the file of the collection under test.
. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"
play() { ansible-playbook "$COLLECTION/playbooks/capture-tokens.yml" "$@"; }
# Every manifest a run writes holds a session on purpose.
secret_holder "$WORK/out" "$WORK/cwd/out" "$WORK/manifest.1" "$WORK/manifest.2"

session_dir "$WORK/ws-a" 5h CANARYAAAA
session_dir "$WORK/ws-b" 9h CANARYBBBB
session_dir "$WORK/ws-c" 8h CANARYCCCC blanked
# A session that claims 300 days (a workstation clock ahead, or a crafted file): it won every selection before.
session_dir "$WORK/ws-f" 300d CANARYFFFF
cat > "$WORK/hosts.ini" <<INI
[claude_hosts]
ws-a ansible_connection=local claudeops_session_path=$WORK/ws-a
ws-b ansible_connection=local claudeops_session_path=$WORK/ws-b
ws-c ansible_connection=local claudeops_session_path=$WORK/ws-c
ws-f ansible_connection=local claudeops_session_path=$WORK/ws-f
ws-d ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=1 ansible_ssh_args='-o ConnectTimeout=3'
[all:vars]
ansible_python_interpreter=$PY
INI
MANIFEST="$WORK/out/secret.yaml"

echo "== first run, -vvvv --diff: ws-b wins, the manifest is written"
play -i "$WORK/hosts.ini" -e "claudeops_manifest_path=$MANIFEST" -vvvv --diff > "$WORK/run1.log" 2>&1 || { tail -50 "$WORK/run1.log"; exit 1; }
"$PY" "$HERE/verify.py" manifest "$MANIFEST" "$WORK/ws-b/.credentials.json" ws-b
clean_log "$WORK/run1.log"
row "$WORK/run1.log" "ws-b .*selected: its credentials expire last"
row "$WORK/run1.log" "ws-a .*expires earlier"
row "$WORK/run1.log" "ws-c .*not usable: status invalid \\(.*blanked"
row "$WORK/run1.log" "ws-f .*not usable: status invalid \\(.*later than a session lives"
grep -q "set the clock of ws-f right" "$WORK/run1.log"
row "$WORK/run1.log" "ws-d .*unreachable"
grep -q "Fix: run \`claude logout\` then \`claude login\`" "$WORK/run1.log"
grep -q "the output has been hidden" "$WORK/run1.log"
"$PY" "$HERE/verify.py" no-temp-files "$WORK/out"
cp "$MANIFEST" "$WORK/manifest.1"

echo "== second run: changed=0 on the controller and a byte-identical file"
sleep 1  # not to wait for anything: a rewrite a second later would differ in its timestamps, and cmp would see it
play -i "$WORK/hosts.ini" -e "claudeops_manifest_path=$MANIFEST" > "$WORK/run2.log" 2>&1 || { tail -50 "$WORK/run2.log"; exit 1; }
grep -Eq "^localhost +: ok=[0-9]+ +changed=0 " "$WORK/run2.log"
cmp "$MANIFEST" "$WORK/manifest.1"

echo "== a newer session in check mode with --diff: reported, not written, values masked"
session_dir "$WORK/ws-a" 20h CANARYAAAA
play -i "$WORK/hosts.ini" -e "claudeops_manifest_path=$MANIFEST" --check --diff -vvvv > "$WORK/run3.log" 2>&1 || { tail -50 "$WORK/run3.log"; exit 1; }
cmp "$MANIFEST" "$WORK/manifest.1"
grep -Eq "^localhost +: ok=[0-9]+ +changed=1 " "$WORK/run3.log"
grep -q '".credentials.json": "sha256:' "$WORK/run3.log"
clean_log "$WORK/run3.log"

echo "== the same for real: updated to ws-a"
play -i "$WORK/hosts.ini" -e "claudeops_manifest_path=$MANIFEST" --diff > "$WORK/run4.log" 2>&1 || { tail -50 "$WORK/run4.log"; exit 1; }
"$PY" "$HERE/verify.py" manifest "$MANIFEST" "$WORK/ws-a/.credentials.json" ws-a
clean_log "$WORK/run4.log"
cp "$MANIFEST" "$WORK/manifest.2"

echo "== never backwards: older sessions leave the newer manifest alone"
session_dir "$WORK/ws-a" 2h CANARYAAAA
play -i "$WORK/hosts.ini" -e "claudeops_manifest_path=$MANIFEST" > "$WORK/run5.log" 2>&1 || { tail -50 "$WORK/run5.log"; exit 1; }
cmp "$MANIFEST" "$WORK/manifest.2"
grep -q "the existing Secret holds newer credentials" "$WORK/run5.log"

echo "== no usable host: one failure with every host's status, nothing written"
cat > "$WORK/bad.ini" <<INI
[claude_hosts]
ws-c ansible_connection=local claudeops_session_path=$WORK/ws-c
ws-e ansible_connection=local claudeops_session_path=$WORK/missing
ws-d ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=1 ansible_ssh_args='-o ConnectTimeout=3'
[all:vars]
ansible_python_interpreter=$PY
INI
if play -i "$WORK/bad.ini" -e "claudeops_manifest_path=$WORK/out/never.yaml" > "$WORK/run6.log" 2>&1; then
  echo "expected a failure"; exit 1
fi
grep -q "No capture host has a usable Claude Code session" "$WORK/run6.log"
row "$WORK/run6.log" "ws-c .*invalid"
row "$WORK/run6.log" "ws-e .*missing"
row "$WORK/run6.log" "ws-d .*unreachable"
test ! -e "$WORK/out/never.yaml"

echo "== default path: out/claude-session-secret.yaml under the current directory, mode 0600"
mkdir "$WORK/cwd"
(cd "$WORK/cwd" && play -i "$WORK/hosts.ini" > "$WORK/run7.log" 2>&1) || { tail -50 "$WORK/run7.log"; exit 1; }
"$PY" "$HERE/verify.py" manifest "$WORK/cwd/out/claude-session-secret.yaml" "$WORK/ws-b/.credentials.json" ws-b

echo "== fail-on-any-host makes a partial success red, after writing"
if play -i "$WORK/hosts.ini" -e "claudeops_manifest_path=$WORK/out/strict.yaml" -e claudeops_fail_on_any_host=true > "$WORK/run8.log" 2>&1; then
  echo "expected a failure"; exit 1
fi
test -s "$WORK/out/strict.yaml"
grep -q "Some capture hosts are not usable" "$WORK/run8.log"
echo "== claudeops_min_valid_for longer than every session: no host is chosen, nothing is written, the run fails"
for strict in false true; do
  if play -i "$WORK/hosts.ini" -e "claudeops_manifest_path=$WORK/out/margin.yaml" -e claudeops_min_valid_for=30h \
    -e claudeops_fail_on_any_host=$strict > "$WORK/run9.log" 2>&1; then echo "expected a failure"; exit 1; fi
  test ! -e "$WORK/out/margin.yaml"
  row "$WORK/run9.log" "ws-b .*not usable: the credentials at .* sooner than claudeops_min_valid_for \\(30h\\) from now"
  grep -q "No capture host has a usable Claude Code session" "$WORK/run9.log"
done

echo "== claudeops_min_valid_for that only ws-b meets: ws-b is chosen, ws-a is refused for it"
play -i "$WORK/hosts.ini" -e "claudeops_manifest_path=$WORK/out/margin.yaml" -e claudeops_min_valid_for=7h \
  > "$WORK/run10.log" 2>&1 || { tail -50 "$WORK/run10.log"; exit 1; }
"$PY" "$HERE/verify.py" manifest "$WORK/out/margin.yaml" "$WORK/ws-b/.credentials.json" ws-b
row "$WORK/run10.log" "ws-a .*not usable: the credentials at .* sooner than claudeops_min_valid_for \\(7h\\)"

echo "== a bad claudeops_min_valid_for is an error naming it, and nothing is written"
if play -i "$WORK/hosts.ini" -e "claudeops_manifest_path=$WORK/out/bad-margin.yaml" -e claudeops_min_valid_for=abc \
  > "$WORK/run11.log" 2>&1; then echo "expected a failure"; exit 1; fi
grep -q "claudeops_min_valid_for: 'abc' is not a duration" "$WORK/run11.log"
test ! -e "$WORK/out/bad-margin.yaml"
echo "== a bad role argument: one clear error per host, no cascade, nothing published"
if play -i "$WORK/hosts.ini" -e "claudeops_manifest_path=$WORK/out/bad-arg.yaml" -e '{"claudeops_session_files": {"bad": 1}}' \
  > "$WORK/run12.log" 2>&1; then echo "expected a failure"; exit 1; fi
test ! -e "$WORK/out/bad-arg.yaml"
test "$(grep -c "^fatal: .*argument 'claudeops_session_files' is of type dict" "$WORK/run12.log")" -eq 5  # one per capture host
test "$(grep -c '^\[ERROR\]' "$WORK/run12.log")" -le 2  # the argument error, and at most the summary that none is usable
never grep -q "has no attribute\|is undefined" "$WORK/run12.log"
echo "== no secret of the run in any output or file left behind"
sweep
echo "capture_tokens: all checks passed"
