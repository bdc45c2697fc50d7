#!/usr/bin/env bash
# shellcheck disable=SC2016  # each check below is a script string, expanded by eval in its subshell, not here
# The self-test of the checks every target uses (checks.sh) and of the leak sweep (setup_common's sweep, through
# tests/tools/leak_sweep.py): each is fed, once, what it guards against and must fail; each is fed a clean case and
# must pass. make lint runs it. Usage: checks_selftest.sh COLLECTION_DIR
set -eu -o pipefail
COLLECTION="$(cd "$1" && pwd)"
PY="${PYTHON:-python3}"
# shellcheck source=tests/integration/checks.sh
. "$COLLECTION/tests/integration/checks.sh"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=0
# must_fail DESCRIPTION SCRIPT: SCRIPT, run in a subshell under set -e with the helpers, must exit non-zero.
must_fail() {
  if (set -e; eval "$2") > "$scratch/out" 2>&1; then echo "checks self-test: did not fail: $1"; failed=1
  else echo "checks self-test: fails as it must: $1 ($(tail -1 "$scratch/out"))"; fi
}
must_pass() {
  if ! (set -e; eval "$2") > "$scratch/out" 2>&1; then echo "checks self-test: failed: $1"; cat "$scratch/out"; failed=1; fi
}
echo 'ok: nothing to see' > "$scratch/clean.log"
echo 'leaked sk-ant-oat01-CANARYPLANTED-access here' > "$scratch/planted.log"
# What the dead checks looked like: `! grep` does not stop a set -e script; never does.
if (set -e; ! grep -q CANARYPLANTED "$scratch/planted.log"; echo survived) | grep -q survived; then
  echo "checks self-test: (as expected) a bare '! grep' survives a planted canary under set -e"
fi
must_fail "never grep finds a planted canary" 'never grep -q CANARYPLANTED "$scratch/planted.log"; echo survived'
must_fail "never grep on a missing file cannot tell, and says so" 'never grep -q CANARYPLANTED "$scratch/missing.log"'
must_fail "never_in finds a planted line" 'never_in CANARYPLANTED cat "$scratch/planted.log"'
must_fail "never_in fails when its command fails" 'never_in CANARYPLANTED cat "$scratch/missing.log"'
must_fail "never cmp -s on identical files" 'never cmp -s "$scratch/clean.log" "$scratch/clean.log"'
must_fail "wait_for gives up after its bound" 'wait_for 1 false || { echo "gave up"; exit 1; }'
must_pass "never grep on a clean file" 'never grep -q CANARYPLANTED "$scratch/clean.log"'
must_pass "never_in on clean output" 'never_in CANARYPLANTED cat "$scratch/clean.log"'
# The sweep as the targets call it: setup_common in a scratch target.
cat > "$scratch/target.sh" <<'EOS'
set -eu -o pipefail
COLLECTION="$1" PY="$2" PLANT="$3"
CLAUDEOPS_COLLECTION="$COLLECTION" . "$COLLECTION/tests/integration/targets/setup_session/setup.sh"
session "$WORK/s1.json" 8h CANARYSWEEPSELF
secret "hvs.CANARYSWEEPVAULT0123456789"
echo "a clean log" > "$WORK/run.log"
case "$PLANT" in
  raw) cat "$WORK/s1.json" >> "$WORK/run.log" ;;
  secret) echo "token hvs.CANARYSWEEPVAULT0123456789" >> "$WORK/run.log" ;;
  base64) base64 -w0 "$WORK/s1.json" > "$WORK/result.json" ;;
  prefix) echo "sk-ant-oat01-CANARYSWEEPS…" >> "$WORK/run.log" ;;
  tmp) mkdir -p "$WORK/tmp" && printf 'x%s' "$(base64 -w0 "$WORK/s1.json")" > "$WORK/tmp/leftover" ;;
  held) cp "$WORK/s1.json" "$WORK/secret.yaml"; secret_holder "$WORK/secret.yaml" ;;
esac
sweep
EOS
for plant in raw secret base64 prefix tmp; do
  must_fail "sweep finds a planted $plant" 'bash "$scratch/target.sh" "$COLLECTION" "$PY" '"$plant"
done
must_pass "sweep passes a clean run" 'bash "$scratch/target.sh" "$COLLECTION" "$PY" none'
must_pass "sweep skips what holds secrets on purpose" 'bash "$scratch/target.sh" "$COLLECTION" "$PY" held'
"$PY" "$COLLECTION/tests/tools/leak_sweep.py" --self-test || failed=1
[ "$failed" = 0 ] || { echo "checks self-test: FAILED"; exit 1; }
echo "checks self-test: every check fails when fed what it guards against"
