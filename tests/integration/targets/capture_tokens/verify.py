# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks for runme.sh.

verify.py manifest MANIFEST SOURCE_FILE HOST   the manifest holds SOURCE_FILE from HOST, mode 0600
verify.py clean-log LOG FILE...                no token of FILE..., nor its base64, appears in LOG
verify.py no-temp-files DIR                    no temporary file was left behind in DIR
"""

from __future__ import annotations

import base64
import hashlib
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


def secrets_of(path):
    with open(path, 'rb') as handle:
        raw = handle.read()
    found = [raw]
    oauth = json.loads(raw).get('claudeAiOauth', {})
    for key in ('accessToken', 'refreshToken'):
        if oauth.get(key):
            found.append(oauth[key].encode())
    return found


def needles(secret):
    """The secret, and its base64 at each of the three alignments (minus the unstable edges)."""
    out = [secret]
    for shift in range(3):
        enc = base64.b64encode(b'\0' * shift + secret)
        out.append(enc[4:-4])
    return [n for n in out if len(n) >= 12]


def clean_log(log, files):
    with open(log, 'rb') as handle:
        text = handle.read()
    for path in files:
        for secret in secrets_of(path):
            for needle in needles(secret):
                if needle in text:
                    fail('%s contains token material from %s' % (log, path))
    for tag in re.findall(rb'CANARY[A-Z]+', b' '.join(open(p, 'rb').read() for p in files)):
        if tag in text:
            fail('%s contains the canary %s' % (log, tag.decode()))
    digest = hashlib.sha256(text).hexdigest()[:12]
    print('verify: %s is clean (%d bytes, sha256 %s)' % (log, len(text), digest))


def no_temp_files(directory):
    left = [n for n in os.listdir(directory) if n.startswith('.claudeops-') or n.endswith('.tmp')]
    if left:
        fail('temporary files left in %s: %s' % (directory, left))


def main():
    command, args = sys.argv[1], sys.argv[2:]
    {'manifest': lambda: manifest(*args), 'clean-log': lambda: clean_log(args[0], args[1:]),
     'no-temp-files': lambda: no_temp_files(*args)}[command]()


if __name__ == '__main__':
    main()
