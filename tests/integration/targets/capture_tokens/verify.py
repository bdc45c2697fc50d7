# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks for runme.sh.

verify.py manifest MANIFEST SOURCE_FILE HOST   the manifest holds SOURCE_FILE from HOST, mode 0600
verify.py no-temp-files DIR                    no temporary file was left behind in DIR
"""

from __future__ import annotations

import base64
import json
import os
import re
import stat
import sys

import yaml


def fail(msg):
    sys.exit('verify: ' + msg)


def manifest(path, source, host):
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode != 0o600:
        fail('%s has mode %o, expected 600' % (path, mode))
    with open(path) as handle:
        doc = yaml.safe_load(handle)
    with open(source, 'rb') as handle:
        raw = handle.read()
    meta = doc['metadata']
    ann = meta['annotations']
    data = dict((k, base64.b64decode(v)) for k, v in doc['data'].items())
    checks = [
        (doc['apiVersion'] == 'v1' and doc['kind'] == 'Secret' and doc['type'] == 'Opaque', 'kind'),
        (meta['name'] == 'claude-session' and meta['namespace'] == 'claude', 'name/namespace defaults'),
        (meta['labels'] == {'app.kubernetes.io/managed-by': 'claudeops.credentials'}, 'label'),
        (sorted(data) == ['.claude.json', '.credentials.json'], 'data keys'),
        (data['.credentials.json'] == raw, 'credentials are those of %s' % host),
        (json.loads(data['.claude.json']) == {'hasCompletedOnboarding': True}, 'onboarding'),
        (ann['claudeops.io/source-host'] == host, 'source-host'),
        (re.match(r'^sha256:[0-9a-f]{64}$', ann['claudeops.io/fingerprint']), 'fingerprint'),
        (re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', ann['claudeops.io/captured-at']), 'captured-at'),
    ]
    expires = json.loads(raw)['claudeAiOauth']['expiresAt'] // 1000
    import datetime
    want = datetime.datetime.fromtimestamp(expires, tz=datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    checks.append((ann['claudeops.io/expires-at'] == want, 'expires-at %s' % want))
    for ok, what in checks:
        if not ok:
            fail('%s: %s is wrong' % (path, what))


def no_temp_files(directory):
    left = [n for n in os.listdir(directory) if n.startswith('.claudeops-') or n.endswith('.tmp')]
    if left:
        fail('temporary files left in %s: %s' % (directory, left))


def main():
    command, args = sys.argv[1], sys.argv[2:]
    {'manifest': lambda: manifest(*args), 'no-temp-files': lambda: no_temp_files(*args)}[command]()


if __name__ == '__main__':
    main()
