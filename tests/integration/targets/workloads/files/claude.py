# -*- coding: utf-8 -*-
# A fake `claude` CLI for the workload test: it authenticates the way Claude Code does and answers OK, or says why
# not. CLAUDE_CODE_OAUTH_TOKEN (a long-lived token), else the session in $CLAUDE_CONFIG_DIR (or ~/.claude), which it
# refreshes as Claude Code does: it rewrites .credentials.json with new tokens, so the file must be writable. Either
# way it stops at the onboarding screen without a .claude.json saying hasCompletedOnboarding. Tokens are never printed.
import json
import os
import sys
import time

home = os.environ.get('HOME', '/nonexistent')
config = os.environ.get('CLAUDE_CONFIG_DIR') or os.path.join(home, '.claude')
onboarded = False
for path in (os.path.join(config, '.claude.json'), os.path.join(home, '.claude.json')):
    try:
        onboarded = onboarded or json.load(open(path)).get('hasCompletedOnboarding') is True
    except (OSError, ValueError):
        pass
if not onboarded:
    print('Welcome to Claude Code! Choose a theme (onboarding: no .claude.json with hasCompletedOnboarding)')
    sys.exit(2)
token = os.environ.get('CLAUDE_CODE_OAUTH_TOKEN')
if token:
    print('OK' if token.startswith('sk-ant-oat01-') else 'Invalid API key')
    sys.exit(0 if token.startswith('sk-ant-oat01-') else 1)
path = os.path.join(config, '.credentials.json')
try:
    doc = json.load(open(path))
    oauth = doc['claudeAiOauth']
    assert oauth.get('refreshToken')
except (OSError, ValueError, KeyError, AssertionError):
    print('Not logged in (no session at %s)' % path)
    sys.exit(1)
if os.stat(path).st_mode & 0o077:
    print('refusing a session file readable by others (%o)' % (os.stat(path).st_mode & 0o777))
    sys.exit(1)
oauth.update(accessToken=oauth['accessToken'] + '-refreshed', refreshToken=oauth['refreshToken'] + '-rotated',
             expiresAt=int((time.time() + 8 * 3600) * 1000))
try:
    with open(path, 'w') as handle:  # the refresh writes the rotated tokens back
        json.dump(doc, handle)
except OSError as exc:
    print('could not save the refreshed session: %s' % exc.strerror)
    sys.exit(1)
print('OK (session refreshed)')
