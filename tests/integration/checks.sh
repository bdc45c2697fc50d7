# shellcheck shell=bash
# Checks that a script under `set -e` cannot skip. Sourced by tests/integration/targets/setup_common/setup.sh, by the targets that do not
# use it and by tests/demo/run.sh; tests/integration/checks_selftest.sh shows that each one fails when fed what it
# guards against.
#   never CMD...             fail unless CMD answers 1 ("does not hold"): 0 means it holds, anything else that it
#                            could not tell (grep's 2 for a missing file). A bare `! CMD` never fails a script
#                            under set -e, and `[ a ] && [ b ]` does not either when the first test is false.
#   never_in PATTERN CMD...  CMD succeeds, and no line of what it prints matches PATTERN (grep's basic regex)
#   wait_for SECONDS CMD...  until CMD succeeds; 1 after SECONDS (callers fail on it: `wait_for … || { …; exit 1; }`)
never() {
  local status=0
  "$@" || status=$?
  case "$status" in
    0) echo "FAIL: this must not hold, and it does: $*"; exit 1 ;;
    1) return 0 ;;
    *) echo "FAIL: could not check (exit $status): $*"; exit 1 ;;
  esac
}
never_in() {
  local out
  out="$("${@:2}")" || { echo "FAIL: could not check (the command failed): ${*:2}"; exit 1; }
  never grep -q -- "$1" <<< "$out"
}
wait_for() { local end=$((SECONDS + $1)); shift; until "$@"; do [ "$SECONDS" -lt "$end" ] || return 1; sleep 0.2; done; }
