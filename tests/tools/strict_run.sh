#!/usr/bin/env bash
# strict_run.sh [--passed] LOG -- COMMAND...: run COMMAND (its output shown and kept in LOG), then fail when it
# skipped something it was asked to run. ansible-test passes on a skip and prints only a warning:
#   - a sanity test whose tool is missing ("WARNING: Required program ... not found", "Skipping sanity test ...");
#   - integration targets it dropped ("WARNING: Excluding tests marked needs/root ...", and any other exclusion);
#   - with --passed: a test run that collected nothing (pytest exits 5 and ansible-test accepts it), so at least one
#     "N passed" line with N above 0 must be there, and no "no tests ran".
# make test runs sanity, units and integration through it.
set -eu -o pipefail
passed=0
if [ "${1:-}" = --passed ]; then passed=1; shift; fi
log="$1"; shift
[ "${1:-}" = -- ] && shift
mkdir -p "$(dirname "$log")"
"$@" 2>&1 | tee "$log"
problems=()
while IFS= read -r line; do problems+=("$line"); done < <(grep -aE \
  'WARNING: Required program|Skipping sanity test|WARNING: Excluding|WARNING: Skipping|no tests ran|collected 0 items' \
  "$log" || true)
if [ "$passed" = 1 ] && ! grep -aEq '(^|[^0-9])[1-9][0-9]* passed' "$log"; then
  problems+=("no test passed: the run collected nothing")
fi
if [ ${#problems[@]} -gt 0 ]; then
  echo "strict_run: $* skipped what it was asked to run:"
  printf '  %s\n' "${problems[@]}"
  exit 1
fi
