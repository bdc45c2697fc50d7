#!/usr/bin/env bash
# stores.sh DIR: docs/stores.md's install of the store clients, as written, into a venv made as make demo makes it
# (python3 -m venv, then requirements.txt), and pip check after it. requirements-stores.txt alone left pip check
# failing (the newest kubernetes wants python-dateutil 3, botocore below 3); with requirements.txt beside it, pip
# chooses releases that agree. Called by tests/demo/run.sh.
set -eu -o pipefail
cd "$(dirname "$0")/../.."
VENV="$1/stores-venv"
# shellcheck disable=SC2016  # the backquotes are the doc's Markdown, not a command substitution
COMMAND="$(grep -o '`\.venv/bin/pip install -r requirements.txt -r requirements-stores.txt`' docs/stores.md | tr -d '`')"
[ -n "$COMMAND" ] || { echo "docs/stores.md no longer shows the install command this test runs"; exit 1; }
python3 -m venv "$VENV"  # make demo: $(PYTHON) -m venv, PYTHON ?= python3
"${CLAUDEOPS_UV:-.build/uv/bin/uv}" pip install --quiet --python "$VENV/bin/python" -r requirements.txt
# The doc's command, with this venv in place of .venv.
bash -c "${COMMAND/.venv\//$VENV/}" > "$1/stores-pip.log" 2>&1 || { tail -20 "$1/stores-pip.log"; exit 1; }
"$VENV/bin/pip" check > "$1/stores-check.log" 2>&1 || { echo "pip check fails after the doc's command:"; cat "$1/stores-check.log"; exit 1; }
for module in infisical_sdk hvac boto3 onepasswordconnectsdk kubernetes; do
  "$VENV/bin/python" -c "import $module" || { echo "the store clients' venv cannot import $module"; exit 1; }
done
rm -rf "$VENV"
echo "stores: docs/stores.md's install of the store clients leaves pip check clean"
