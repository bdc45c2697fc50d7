# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fake Claude Code sessions for the monitor test; the tokens are canaries, made up here.

fake_session.py FILE HOURS TAG [blanked|norefresh]   write .credentials.json whose access token expires in HOURS
fake_session.py --secret TAG HOURS                  print a Secret (JSON) another tool made, holding such a session
                                                    and a claudeops.io/expires-at annotation
"""

from __future__ import annotations

import base64
import json
import sys
import time


def oauth(tag, hours, kind=''):
    doc = {'accessToken': 'sk-ant-oat01-%s-a' % tag, 'refreshToken': 'sk-ant-ort01-%s-r' % tag,
           'expiresAt': int((time.time() + hours * 3600) * 1000)}
    if kind == 'blanked':
        doc.update(accessToken='', refreshToken='', expiresAt=0)
    elif kind == 'norefresh':
        del doc['refreshToken']
    return {'claudeAiOauth': doc}


def main():
    if sys.argv[1] == '--secret':
        tag, hours = sys.argv[2], float(sys.argv[3])
        session = oauth(tag, hours)
        expires = session['claudeAiOauth']['expiresAt'] // 1000
        print(json.dumps({
            'metadata': {'name': 'claude-session', 'annotations': {
                'claudeops.io/expires-at': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(expires))}},
            'type': 'Opaque',
            'data': {'.credentials.json': base64.b64encode(json.dumps(session).encode()).decode()}}))
        return
    path, hours, tag = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    with open(path, 'w') as handle:
        json.dump(oauth(tag, hours, sys.argv[4] if len(sys.argv) > 4 else ''), handle)


if __name__ == '__main__':
    main()
