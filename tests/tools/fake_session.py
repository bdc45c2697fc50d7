# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a Claude Code session directory with clearly fake tokens, for the demo and the tests.

    python tests/tools/fake_session.py DIR [--expires-in 7d] [--kind healthy|blanked|...] [--token-tag TAG]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time

_UNITS = {'w': 604800, 'd': 86400, 'h': 3600, 'm': 60, 's': 1}


def seconds(text):
    sign = -1 if text.startswith('-') else 1
    total = sum(int(n) * _UNITS[u] for n, u in re.findall(r'(\d+)([wdhms])', text.lstrip('-')))
    return sign * total


def session(expires_ms, tag):
    return {'claudeAiOauth': {
        'accessToken': 'sk-ant-oat01-%s-FAKE-ACCESS-TOKEN-0000000000' % tag,
        'refreshToken': 'sk-ant-ort01-%s-FAKE-REFRESH-TOKEN-000000000' % tag,
        'expiresAt': expires_ms,
        'scopes': ['user:inference', 'user:profile'],
        'subscriptionType': 'max',
        'rateLimitTier': 'default_claude_max_5x',
    }}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('directory')
    parser.add_argument('--expires-in', default='7d', help='duration such as 7d, 12h, or -1h for expired')
    parser.add_argument('--kind', default='healthy',
                        choices=['healthy', 'blanked', 'empty', 'not-json', 'no-oauth', 'no-expiry', 'text-expiry',
                                 'huge', 'dir-instead'])
    parser.add_argument('--token-tag', default='DEMO', help='text embedded in the fake tokens (canary tests)')
    args = parser.parse_args()

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
