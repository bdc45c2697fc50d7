# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a Claude Code session with clearly fake tokens, for the demo and the tests: the one writer they all use.

    python tests/integration/targets/setup_session/files/fake_session.py DIR [--expires-in 8h] [--kind healthy|blanked|...] [--token-tag TAG]
    python tests/integration/targets/setup_session/files/fake_session.py --file FILE [--expires-in 8h] [--kind ...] [--token-tag TAG]
    python tests/integration/targets/setup_session/files/fake_session.py --secret [--expires-in -2h] [--token-tag TAG]

DIR gets .credentials.json (0600, the directory 0700, as Claude Code makes them); --file writes that file instead;
--secret prints a Secret (JSON) another tool made, holding such a session and a claudeops.io/expires-at annotation.
--expires-in takes a duration (8h, 12h, 1.5h, 90m) or a negative one for an expired session (--expires-in -2h). A real
session lives about 8 hours, and claudeops refuses one that claims more than 48h (session_max_lifetime).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
import time

_UNITS = {'w': 604800, 'd': 86400, 'h': 3600, 'm': 60, 's': 1}


def seconds(text):
    sign = -1 if text.startswith('-') else 1
    parts = re.findall(r'(\d+(?:\.\d+)?)([wdhms])', text.lstrip('-'))
    if not parts or ''.join(n + u for n, u in parts) != text.lstrip('-'):
        raise SystemExit('fake_session.py: --expires-in %r is not a duration such as 8h, 12h, 1.5h or -2h' % text)
    return sign * sum(float(n) * _UNITS[u] for n, u in parts)


def session(expires_ms, tag):
    return {'claudeAiOauth': {
        'accessToken': 'sk-ant-oat01-%s-FAKE-ACCESS-TOKEN-0000000000' % tag,
        'refreshToken': 'sk-ant-ort01-%s-FAKE-REFRESH-TOKEN-000000000' % tag,
        'expiresAt': expires_ms,
        'scopes': ['user:inference', 'user:profile'],
        'subscriptionType': 'max',
        'rateLimitTier': 'default_claude_max_5x',
    }}


def _negative_durations(argv):
    """--expires-in -2h as written in the help: argparse would take -2h for an option."""
    out = list(argv)
    for i, arg in enumerate(out[:-1]):
        if arg == '--expires-in' and out[i + 1].startswith('-'):
            out[i:i + 2] = ['--expires-in=' + out[i + 1], '']
    return [a for a in out if a != '']


def secret_json(expires_ms, tag):
    doc = session(expires_ms, tag)
    return json.dumps({
        'metadata': {'name': 'claude-session', 'annotations': {
            'claudeops.io/expires-at': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(expires_ms // 1000))}},
        'type': 'Opaque', 'data': {'.credentials.json': base64.b64encode(json.dumps(doc).encode()).decode()}})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('directory', nargs='?')
    parser.add_argument('--file', help='write this file instead of DIRECTORY/.credentials.json')
    parser.add_argument('--secret', action='store_true', help='print a Secret holding the session instead')
    parser.add_argument('--expires-in', default='8h', help='duration such as 8h, 1.5h, or -1h for expired')
    parser.add_argument('--kind', default='healthy',
                        choices=['healthy', 'blanked', 'no-refresh', 'empty', 'not-json', 'no-oauth', 'no-expiry',
                                 'text-expiry', 'huge', 'dir-instead'])
    parser.add_argument('--token-tag', default='DEMO', help='text embedded in the fake tokens (canary tests)')
    args = parser.parse_args(_negative_durations(sys.argv[1:] if argv is None else argv))
    if args.secret:
        print(secret_json(int((time.time() + seconds(args.expires_in)) * 1000), args.token_tag))
        return
    if bool(args.directory) == bool(args.file):
        parser.error('give a session DIRECTORY or --file FILE')
    if args.file:
        path = args.file
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    else:
        os.makedirs(args.directory, mode=0o700, exist_ok=True)
        path = os.path.join(args.directory, '.credentials.json')
    if os.path.isdir(path):
        os.rmdir(path)
    if args.kind == 'dir-instead':
        if os.path.exists(path):
            os.unlink(path)
        os.mkdir(path)
        return
    expires = int((time.time() + seconds(args.expires_in)) * 1000)
    doc = session(expires, args.token_tag)
    oauth = doc['claudeAiOauth']
    if args.kind == 'blanked':
        oauth.update(accessToken='', refreshToken='', expiresAt=0)
    elif args.kind == 'no-refresh':
        del oauth['refreshToken']
    elif args.kind == 'no-oauth':
        doc = {'somethingElse': {}}
    elif args.kind == 'no-expiry':
        del oauth['expiresAt']
    elif args.kind == 'text-expiry':
        oauth['expiresAt'] = 'tomorrow'
    text = json.dumps(doc)
    if args.kind == 'empty':
        text = ''
    elif args.kind == 'not-json':
        text = '{"claudeAiOauth": {"accessToken": "sk-ant-oat01-%s-FAKE' % args.token_tag
    elif args.kind == 'huge':
        text = json.dumps(dict(doc, padding='x' * (5 * 1024 * 1024)))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as handle:
        handle.write(text)


if __name__ == '__main__':
    main()
