# shellcheck shell=bash
# setup_session: fake Claude Code sessions for a runme.sh target, from the one writer of them, files/fake_session.py
# (canary tokens with a tag, so the leak sweep knows them). Declare needs/target/setup_session and source this file
# (it sources setup_common first). Roles and molecule's prepare use tasks/main.yml instead, with the same writer.
#   session FILE EXPIRES_IN TAG [KIND]      a session file expiring in EXPIRES_IN (10d, 6h, 0.16h, -1h); KIND healthy
#                                           (default), blanked, no-refresh, ... (fake_session.py --help)
#   session_dir DIR EXPIRES_IN TAG [KIND]   DIR/.credentials.json, DIR 0700, as a capture host has it
#   register_session FILE   the sweep looks for FILE's tokens (a copy is kept, so an overwritten session still counts)
#   FAKE_SESSION            the writer's path, for scripts the target runs
[ -z "${CLAUDEOPS_SETUP_SESSION:-}" ] || return 0
CLAUDEOPS_SETUP_SESSION=1
# shellcheck source=tests/integration/targets/setup_common/setup.sh
. "$(dirname "${BASH_SOURCE[0]}")/../setup_common/setup.sh"
FAKE_SESSION="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/files/fake_session.py"
session() {
  "$PY" "$FAKE_SESSION" --file "$1" --expires-in "$2" --token-tag "$3" --kind "${4:-healthy}"
  register_session "$1"
}
session_dir() {
  "$PY" "$FAKE_SESSION" "$1" --expires-in "$2" --token-tag "$3" --kind "${4:-healthy}" > /dev/null
  register_session "$1/.credentials.json"
}
register_session() { cp "$1" "$WORK/.sessions/$(find "$WORK/.sessions" -type f | wc -l).json"; secret_holder "$1"; }
