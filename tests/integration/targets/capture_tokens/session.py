# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a session directory with canary tokens: session.py DIR [--expires-in 5d] [--kind blanked] [--tag T]."""

from __future__ import annotations

import argparse
import json
import os
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('directory')
    parser.add_argument('--expires-in', default='5d')
    parser.add_argument('--kind', default='good', choices=['good', 'blanked'])
    parser.add_argument('--tag', default='CANARY')
    args = parser.parse_args()
    units = {'d': 86400, 'h': 3600, 'm': 60}
    seconds = int(args.expires_in[:-1]) * units[args.expires_in[-1]]
    oauth = {'accessToken': 'sk-ant-oat01-%s-access-token' % args.tag,
             'refreshToken': 'sk-ant-ort01-%s-refresh-token' % args.tag,
             'expiresAt': int((time.time() + seconds) * 1000), 'scopes': ['user:inference'],
             'subscriptionType': 'max', 'rateLimitTier': 'default'}
    if args.kind == 'blanked':
        oauth.update(accessToken='', refreshToken='', expiresAt=0)
    os.makedirs(args.directory, mode=0o700, exist_ok=True)
    path = os.path.join(args.directory, '.credentials.json')
    with open(path, 'w') as handle:
        json.dump({'claudeAiOauth': oauth}, handle)
    os.chmod(path, 0o600)


if __name__ == '__main__':
    main()
