#!/bin/sh
# claude-login: run `claude login`, then tell the EDA listener (claudeops.credentials.login_signal) that this
# workstation has a new session, so rulebooks/publish-on-login.yml captures and publishes it within seconds.
# Only the signal is sent, {"host": "<inventory name>"}: never the session. Installed by the role
# claudeops.credentials.login_hook with login-signal.conf and login-signal.token (0600) beside it.
# Arguments are passed to `claude login`. CLAUDEOPS_LOGIN_CONF names another configuration file.
set -eu
CONF="${CLAUDEOPS_LOGIN_CONF:-$(dirname "$0")/login-signal.conf}"
claude login "$@"
value() { sed -n "s/^$1=//p" "$CONF" | head -n 1; }
sha256() { if command -v shasum > /dev/null 2>&1; then shasum -a 256; else sha256sum; fi; }
# macOS, with handoff= set (claudeops_login_hook_keychain_handoff): copy the session Claude Code just put in the login
# keychain into the hand-off file, 0600, replaced whole, for a capture over SSH, where the keychain is often locked.
# The service is the one Claude Code uses: with CLAUDE_CONFIG_DIR (or CLAUDE_SECURESTORAGE_CONFIG_DIR) set, suffixed
# with the first 8 hex digits of the SHA-256 of that directory as written (Claude Code hashes its NFC form: for a name
# with decomposed accents, set claudeops_login_hook_keychain_service). The session goes from security's standard
# output to the file, never into an argument.
handoff="$(value handoff)"
if [ -n "$handoff" ]; then
  service="$(value keychain_service)"
  if [ -z "$service" ]; then
    service='Claude Code-credentials'
    if [ -n "${CLAUDE_SECURESTORAGE_CONFIG_DIR+set}" ]; then dir="$CLAUDE_SECURESTORAGE_CONFIG_DIR"; else dir="${CLAUDE_CONFIG_DIR-}"; fi
    if [ -n "$dir" ]; then service="$service-$(printf '%s' "$dir" | sha256 | cut -c1-8)"; fi
  fi
  tmp="$(umask 077; mktemp "$handoff.XXXXXX")"
  if security find-generic-password -s "$service" -a "${USER:-$(id -un)}" -w > "$tmp"; then
    mv -f "$tmp" "$handoff"
    echo "claude-login: handed the session over in $handoff for the capture"
  else
    rm -f "$tmp"
    echo "claude-login: the keychain did not give the session ($service); the capture reads the keychain itself" >&2
  fi
fi
url="$(value url)"
host="$(value host)"
token_file="$(value token_file)"
cafile="$(value cafile)"
if [ -z "$url" ] || [ -z "$host" ] || [ ! -r "$token_file" ]; then
  echo "claude-login: $CONF does not name url, host and a readable token_file; the login signal was not sent" >&2
  exit 0
fi
# The token goes to curl on its standard input (read and printf are shell built-ins), never in an argument. In
# curl's config syntax a quoted value takes \ as an escape and " as its end: both are escaped (sed reads the token
# on its standard input), so the token is sent byte for byte.
IFS= read -r token < "$token_file" || true
quoted="$(printf '%s\n' "$token" | sed 's/[\\"]/\\&/g')"
if printf 'header = "Authorization: Bearer %s"\n' "$quoted" \
  | curl --silent --show-error --fail --max-time 10 --config - ${cafile:+--cacert "$cafile"} \
      -H 'Content-Type: application/json' --data "{\"host\": \"$host\"}" "$url" > /dev/null; then
  echo "claude-login: signalled $url for $host; the new session reaches the clusters within a minute"
else
  echo "claude-login: the login signal to $url was not delivered; the scheduled capture will publish the session" >&2
fi
