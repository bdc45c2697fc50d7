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
