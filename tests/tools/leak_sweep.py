# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one leak sweep every test uses: no secret of the run in any output, in any form.

leak_sweep.py --secrets FILE [--session FILE]... [--skip PATH]... [--newer FILE] PATH...
leak_sweep.py --self-test

Secrets come from FILE (one a line: tokens, bearer tokens, store credentials; the tests write it, never argv) and
from each --session file (its accessToken and refreshToken, and the file's own bytes); one shorter than 8 characters
is no secret a test can tell from text, and is left out. Each secret is looked for as:
  - itself;
  - its first 12 characters after a public prefix (sk-ant-oat01-, sk-ant-ort01-, hvs., Bearer ...);
  - URL-encoded (every reserved character, and the form where every non-alphanumeric character is %XX);
  - base64 (standard and URL-safe) at all three alignments, so a secret inside a longer encoded value is found.
A session file's own bytes are looked for in base64 at all three alignments (a Secret holds it that way). Each
CANARY tag (CANARY followed by capitals and digits) inside a secret is looked for on its own as well.

PATH is a file or a directory (walked); --skip names files or directories that hold secrets on purpose (the inputs of
the run, the Secret a run writes); --newer FILE reads only files changed since FILE was (a shared directory such as
~/.ansible/tmp holds other runs' files). Exit 1 naming each file and form found; exit 0 when nothing is found. The sweep
fails when it is given no secret or no file to read: a sweep of nothing proves nothing.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
import tempfile
import urllib.parse

PUBLIC_PREFIXES = ('sk-ant-oat01-', 'sk-ant-ort01-', 'sk-ant-api03-', 'Bearer ', 'bearer ', 'hvs.', 'hvb.', 'ops_')
PREFIX_LENGTH = 12
# A value shorter than this is no secret a test could tell from ordinary text ("r", a placeholder refresh token in a
# hand-written bad session): it is not looked for. Every token the tests make is far longer.
MIN_SECRET = 8
CANARY = re.compile(r'CANARY[A-Z0-9]+')


def _base64_forms(raw):
    """Every base64 run that a text holding raw at any offset must contain (standard and URL-safe)."""
    forms = []
    for shift in range(3):
        encoded = base64.b64encode(b'\0' * shift + raw)
        # The first 4 characters carry the padding bytes of the shift, the last 4 the neighbours of the end.
        core = encoded[4:-4] if len(encoded) > 12 else b''
        if len(core) >= 8:
            forms.append(('base64+%d' % shift, core))
            forms.append(('base64url+%d' % shift, core.replace(b'+', b'-').replace(b'/', b'_')))
    return forms


def secret_forms(secret):
    """(name, bytes) for each form of one secret that must never appear."""
    raw = secret.encode()
    forms = [('raw', raw)]
    tail = secret
    for prefix in PUBLIC_PREFIXES:
        if tail.startswith(prefix):
            tail = tail[len(prefix):]
            break
    if len(tail) > PREFIX_LENGTH:
        forms.append(('prefix12', tail[:PREFIX_LENGTH].encode()))
    for name, encoded in (('urlencoded', urllib.parse.quote(secret, safe='')),
                          ('percent-all', ''.join(c if c.isalnum() else '%%%02X' % ord(c) for c in secret))):
        if encoded != secret:
            forms.append((name, encoded.encode()))
    forms.extend(_base64_forms(raw))
    forms.extend(('canary', tag.encode()) for tag in CANARY.findall(secret) if tag != secret)
    return forms


def session_secrets(path):
    """The tokens of a session file, and its bytes (searched in base64 only)."""
    with open(path, 'rb') as handle:
        data = handle.read()
    tokens = []
    try:
        oauth = json.loads(data.decode('utf-8-sig')).get('claudeAiOauth') or {}
        tokens = [oauth[k] for k in ('accessToken', 'refreshToken') if isinstance(oauth.get(k), str) and oauth[k]]
    except (ValueError, AttributeError):
        pass
    return tokens, data


def build_needles(secrets, session_blobs):
    needles = {}
    for secret in [s for s in secrets if len(s) >= MIN_SECRET]:
        for form, value in secret_forms(secret):
            needles.setdefault(value, '%s of %s…' % (form, secret[:PREFIX_LENGTH + 6]))
    for path, blob in session_blobs:
        for form, value in _base64_forms(blob):
            needles.setdefault(value, '%s of the session file %s' % (form, os.path.basename(path)))
    return needles


def files_under(paths, skip, newer=None):
    """Files under paths, but those under skip and those last changed before newer (a time)."""
    for path in _walk(paths, {os.path.realpath(p) for p in skip}):
        try:
            if newer is None or os.stat(path).st_mtime >= newer:
                yield path
        except OSError:  # gone since the walk saw it (a server's temporary file)
            continue


def _walk(paths, skip):
    for top in paths:
        if not os.path.exists(top):
            continue
        if os.path.isfile(top):
            if os.path.realpath(top) not in skip:
                yield top
            continue
        for root, dirs, names in os.walk(top):
            dirs[:] = [d for d in dirs if os.path.realpath(os.path.join(root, d)) not in skip]
            for name in names:
                path = os.path.join(root, name)
                if os.path.isfile(path) and not os.path.islink(path) and os.path.realpath(path) not in skip:
                    yield path


def sweep(paths, secrets, session_paths, skip, newer=None):
    """Return (findings, files read)."""
    blobs = []
    for path in session_paths:
        tokens, blob = session_secrets(path)
        secrets = list(secrets) + tokens
        blobs.append((path, blob))
    needles = build_needles(secrets, blobs)
    if not needles:
        return ['no secret to look for: the sweep was given none'], 0
    findings, count = [], 0
    for path in files_under(paths, list(skip) + list(session_paths), newer):
        count += 1
        try:
            with open(path, 'rb') as handle:
                text = handle.read()
        except OSError as err:
            findings.append('%s: cannot be read (%s)' % (path, err.strerror))
            continue
        for needle, what in needles.items():
            if needle in text:
                findings.append('%s holds the %s' % (path, what))
    return findings, count


def self_test():
    """Plant each form of a canary once and show that the sweep finds it, and that a clean file passes."""
    secret = 'sk-ant-oat01-CANARYSELFTEST-0123456789abcdef+/='
    session = {'claudeAiOauth': {'accessToken': 'sk-ant-oat01-CANARYSELFACCESS-abc',
                                 'refreshToken': 'sk-ant-ort01-CANARYSELFREFRESH-def', 'expiresAt': 1}}
    with tempfile.TemporaryDirectory() as work:
        secrets_file = os.path.join(work, 'secrets')
        with open(secrets_file, 'w') as handle:
            handle.write(secret + '\n')
        session_file = os.path.join(work, 'session.json')
        with open(session_file, 'w') as handle:
            json.dump(session, handle)
        with open(session_file, 'rb') as handle:
            session_bytes = handle.read()
        out = os.path.join(work, 'out')
        os.mkdir(out)
        clean = os.path.join(out, 'clean.log')
        with open(clean, 'w') as handle:
            handle.write('ok: sk-ant-oat01-… [redacted] fingerprint 1a2b3c\n')
        findings, count = sweep([out], [secret], [session_file], [])
        if findings or count != 1:
            return ['a clean file was flagged or not read: %r, %d' % (findings, count)]
        plants = [('raw', secret.encode()), ('prefix12', b'... CANARYSELFTE ...'),
                  ('urlencoded', urllib.parse.quote(secret, safe='').encode()),
                  ('percent-all', 'sk%2Dant%2Doat01%2DCANARYSELFTEST'.encode() + b'%2D0123456789abcdef%2B%2F%3D'),
                  ('canary', b'tag CANARYSELFTEST alone'),
                  ('access token', session['claudeAiOauth']['accessToken'].encode()),
                  ('refresh token', session['claudeAiOauth']['refreshToken'].encode())]
        for shift in range(3):
            plants.append(('base64 at %d' % shift, b'x' + base64.b64encode(b'p' * shift + secret.encode() + b'q')))
            plants.append(('base64url at %d' % shift,
                           base64.urlsafe_b64encode(b'p' * shift + secret.encode() + b'??>')))
            plants.append(('session base64 at %d' % shift, base64.b64encode(b'p' * shift + session_bytes)))
        failures = []
        for name, planted in plants:
            path = os.path.join(out, 'planted.log')
            with open(path, 'wb') as handle:
                handle.write(b'before ' + planted + b' after\n')
            found, dummy = sweep([out], [secret], [session_file], [])
            if not found:
                failures.append('the sweep missed a planted %s' % name)
            found, dummy = sweep([out], [secret], [session_file], [path])
            if found:
                failures.append('--skip did not skip the planted %s: %r' % (name, found))
        found, count = sweep([os.path.join(work, 'nothing-here')], [secret], [], [])
        if count:
            failures.append('a missing path was read')
        found, dummy = sweep([out], [], [], [])
        if not found:
            failures.append('a sweep with no secret passed')
        return failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--secrets', help='a file with one secret a line')
    parser.add_argument('--session', action='append', default=[], help='a session file (its tokens are secrets)')
    parser.add_argument('--skip', action='append', default=[], help='a file or directory that holds secrets on purpose')
    parser.add_argument('--self-test', action='store_true')
    parser.add_argument('--min-files', type=int, default=1, help='fail when fewer files than this were read')
    parser.add_argument('--newer', help='only files changed since this file was (the start of the run)')
    parser.add_argument('paths', nargs='*')
    args = parser.parse_args(argv)
    if args.self_test:
        failures = self_test()
        for failure in failures:
            print('leak_sweep self-test: %s' % failure)
        print('leak_sweep self-test: %s' % ('FAILED' if failures else 'every planted form was found'))
        return 1 if failures else 0
    secrets = []
    if args.secrets and os.path.exists(args.secrets):
        with open(args.secrets) as handle:
            secrets = [line.rstrip('\n') for line in handle if line.strip()]
    newer = os.stat(args.newer).st_mtime if args.newer else None
    findings, count = sweep(args.paths, secrets, [p for p in args.session if os.path.isfile(p)], args.skip, newer)
    if count < args.min_files:
        findings.append('the sweep read %d file(s), fewer than %d: nothing to prove' % (count, args.min_files))
    for finding in findings:
        print('leak sweep: %s' % finding)
    return 1 if findings else 0


if __name__ == '__main__':
    sys.exit(main())
