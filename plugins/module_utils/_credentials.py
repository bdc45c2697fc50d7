# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Claude Code credentials themselves: the one parser of ``.credentials.json`` (``claudeAiOauth``), the rules for
its expiry, the shape of a long-lived token, fingerprints, and the redaction of token-shaped text.

Nothing here talks to a host, a cluster or a store, and nothing returns a token or any part of one: problems and
errors describe content, never quote it.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import json
import math
import re

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._time import (
    describe_seconds,
    iso_utc,
    iso_utc_or_far,
    parse_duration,
    parse_iso_utc,
)

CREDENTIALS_FILE = '.credentials.json'
TOKEN_KEY = 'CLAUDE_CODE_OAUTH_TOKEN'
TOKEN_PREFIX = 'sk-ant-oat01-'
# The keys that hold credentials; a Secret with neither holds nothing a consumer can use.
CREDENTIAL_KEYS = (CREDENTIALS_FILE, TOKEN_KEY)
# A session's access token lives about 8 hours; an expiresAt further ahead than this comes from a clock that runs
# ahead or from a file `claude login` did not write. Option session_max_lifetime, variable
# claudeops_session_max_lifetime. A long-lived token (claude setup-token) is not a session and keeps its year.
SESSION_MAX_LIFETIME = '48h'
# No Claude credential lives longer than a year (setup-token); anything past this is a damaged value or a typo.
MAX_LIFETIME = 400 * 86400
# A `claude setup-token` token lives one year from when it was made; its expiry is not inside the token.
TOKEN_LIFETIME = 365 * 86400
# The last second of the year 9999 in milliseconds: later times cannot even be written as ISO 8601.
_LAST_EXPRESSIBLE_MS = 253402300799000
_TOKEN_RE = re.compile(r'^sk-ant-oat01-[A-Za-z0-9_-]{8,}$')

# One problem found in a session: ``code`` (what callers choose a fix by) and ``text`` (the sentence for people).
Problem = collections.namedtuple('Problem', 'code text')
# The codes of the problems a credentials file can have.
CREDENTIAL_PROBLEM_CODES = ('byte_order_mark', 'not_utf8', 'not_json', 'no_oauth', 'blanked', 'no_access_token',
                            'empty_access_token', 'empty_refresh_token', 'bad_expiry', 'expired', 'too_far_ahead')


class NotCredentials(ValueError):
    """What :func:`oauth_of` was given is not a Claude Code credentials file. ``code``: ``byte_order_mark``,
    ``not_utf8``, ``not_json`` or ``no_oauth``; the message says why without quoting the content."""

    def __init__(self, code, msg):
        super(NotCredentials, self).__init__(msg)
        self.code = code


def oauth_of(raw):
    """The ``claudeAiOauth`` object of ``.credentials.json`` content (bytes or text): the one parser of it.
    NotCredentials when it is not such a file."""
    if isinstance(raw, bytes):
        if raw.startswith(b'\xef\xbb\xbf'):
            raise NotCredentials('byte_order_mark', 'starts with a UTF-8 byte-order mark')
        try:
            raw = raw.decode('utf-8')
        except UnicodeDecodeError:
            raise NotCredentials('not_utf8', 'is not UTF-8 text')
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        # JSONDecodeError names what it expected and where, never the content.
        position = (' at line %d, column %d' % (exc.lineno, exc.colno)) if hasattr(exc, 'lineno') else ''
        raise NotCredentials('not_json', 'is not valid JSON (%s%s)' % (getattr(exc, 'msg', 'parse error'),
                                                                       position))
    oauth = doc.get('claudeAiOauth') if isinstance(doc, dict) else None
    if not isinstance(oauth, dict):
        raise NotCredentials('no_oauth', 'has no claudeAiOauth object')
    return oauth


def oauth_of_base64(value):
    """:func:`oauth_of` for base64 of the file (a store's value, a Secret's data); None when it is not one."""
    try:
        return oauth_of(base64.b64decode(value or '', validate=True))
    except (ValueError, TypeError):
        return None


def refreshable(oauth):
    """Whether a ``claudeAiOauth`` object (or None) holds a refresh token."""
    token = (oauth or {}).get('refreshToken')
    return isinstance(token, str) and token.strip() != ''


def expires_at_defect(expires):
    """Why ``claudeAiOauth.expiresAt`` (milliseconds since 1970) is not a usable time, or None when it is one:
    ``missing``, ``not a number``, ``negative``, ``not finite``, ``zero``, ``in seconds`` or ``past the year 9999``.
    The one place that decides it, for capture and for publishing."""
    if expires is None:
        return 'missing'
    if isinstance(expires, bool) or not isinstance(expires, (int, float)):
        return 'not a number'
    if expires < 0:
        return 'negative'
    if not math.isfinite(expires):
        return 'not finite'
    if expires == 0:
        return 'zero'
    if expires < 1e11:
        return 'in seconds'
    if expires > _LAST_EXPRESSIBLE_MS:
        return 'past the year 9999'
    return None


def expiry_seconds(oauth):
    """``claudeAiOauth.expiresAt`` in epoch seconds, or None when it is not a usable time."""
    expires = (oauth or {}).get('expiresAt')
    return None if expires_at_defect(expires) else int(expires // 1000)


def empty_credentials():
    return {
        'kind': 'none',
        'valid': False,
        'expires_at': None,
        'expires_in': None,
        'has_refresh_token': False,
        'scopes': [],
        'subscription_type': None,
        'rate_limit_tier': None,
    }


def too_far_ahead(where, expires_at, now, max_lifetime, consequence='It is never selected or published.'):
    """The sentence for a session whose expiry lies further ahead than ``max_lifetime`` seconds, or None."""
    if expires_at - now <= max_lifetime:
        return None
    return ('%s: its expiry %s is %s from now, later than a session lives (an access token lives about 8 hours; the '
            'limit is session_max_lifetime, claudeops_session_max_lifetime in the roles and playbooks, %s): the '
            'clock of the host that wrote it runs ahead, or `claude login` did not write it. %s Set that host\'s '
            'clock right (Windows: w32tm /resync; Linux: timedatectl), run `claude login` there and capture again; '
            'raise the limit only if your sessions really live longer.'
            % (where, iso_utc(expires_at), describe_seconds(expires_at - now), describe_seconds(max_lifetime),
               consequence))


_NOT_CREDENTIALS = {
    'byte_order_mark': '%s starts with a UTF-8 byte-order mark, which Claude Code never writes: something else wrote '
                       'it, such as Windows PowerShell 5.1 (Out-File, Set-Content -Encoding UTF8). Write it without '
                       'the mark (PowerShell 7, or [IO.File]::WriteAllText), or log in again.',
    'not_utf8': '%s is not UTF-8 text; it is not a Claude Code credentials file.',
    'no_oauth': '%s has no claudeAiOauth object; it was not written by `claude login`.',
}


def _expiry_problem(where, expires):
    """The problem with ``claudeAiOauth.expiresAt``, or None."""
    defect = expires_at_defect(expires)
    if defect is None:
        return None
    if defect == 'missing':
        text = '%s has no claudeAiOauth.expiresAt.' % where
    elif defect == 'not a number':
        text = '%s: claudeAiOauth.expiresAt is a %s, not a number of milliseconds.' % (where, type(expires).__name__)
    elif defect in ('negative', 'zero'):
        text = '%s: claudeAiOauth.expiresAt is %s, not a time.' % (where, expires)
    elif defect == 'in seconds':
        text = ('%s: claudeAiOauth.expiresAt is %d, which reads as seconds; Claude Code writes milliseconds since '
                '1970.' % (where, expires))
    else:
        text = '%s: claudeAiOauth.expiresAt is not a time (%s).' % (where, defect)
    return Problem('bad_expiry', text)


def _token_problems(oauth, where):
    """Problems with the tokens and the expiry of a ``claudeAiOauth`` object: blanked, missing or empty."""
    access, expires = oauth.get('accessToken'), oauth.get('expiresAt')
    blank_access = 'accessToken' in oauth and not (isinstance(access, str) and access.strip())
    blank_refresh = 'refreshToken' in oauth and not refreshable(oauth)
    if (blank_access or blank_refresh) and expires in (0, None, '0'):
        return [Problem('blanked', '%s is blanked (empty tokens, expiresAt 0): another consumer of the same session '
                                   'won the refresh-token race and this copy was logged out.' % where)]
    problems = []
    if 'accessToken' not in oauth:
        problems.append(Problem('no_access_token', '%s has no claudeAiOauth.accessToken.' % where))
    elif blank_access:
        problems.append(Problem('empty_access_token', '%s has an empty claudeAiOauth.accessToken.' % where))
    if blank_refresh:
        problems.append(Problem('empty_refresh_token', '%s has an empty claudeAiOauth.refreshToken.' % where))
    expiry = _expiry_problem(where, expires)
    return problems + ([expiry] if expiry else [])


def _describe(oauth):
    """The credentials facts of a ``claudeAiOauth`` object, before its expiry is judged."""
    creds = empty_credentials()
    creds['kind'] = 'oauth'
    scopes = oauth.get('scopes')
    creds['scopes'] = [s for s in scopes if isinstance(s, str)] if isinstance(scopes, list) else []
    for key, fact in (('subscriptionType', 'subscription_type'), ('rateLimitTier', 'rate_limit_tier')):
        value = oauth.get(key)
        creds[fact] = value if isinstance(value, str) else None
    creds['has_refresh_token'] = refreshable(oauth)
    return creds


def inspect_credentials(data, now, where, max_lifetime=None):
    """Read ``.credentials.json`` bytes. Returns ``(credentials, problems, status)``, problems being
    :class:`Problem` values.

    ``status`` is ``invalid`` (an expiry further ahead than ``max_lifetime`` seconds included, default
    SESSION_MAX_LIFETIME), ``expired``, or None when the credentials themselves are usable (expiring/healthy is
    decided by the caller from ``expires_in``). Problems never quote content.
    """
    if max_lifetime is None:
        max_lifetime = parse_duration(SESSION_MAX_LIFETIME)
    try:
        oauth = oauth_of(data)
    except NotCredentials as exc:
        text = _NOT_CREDENTIALS[exc.code] % where if exc.code in _NOT_CREDENTIALS else '%s %s.' % (where, exc)
        return empty_credentials(), [Problem(exc.code, text)], 'invalid'
    creds = _describe(oauth)
    problems = _token_problems(oauth, where)
    if problems:
        return creds, problems, 'invalid'
    expires_at = int(oauth['expiresAt'] // 1000)
    creds.update(valid=True, expires_at=iso_utc(expires_at), expires_in=expires_at - int(now))
    if creds['expires_in'] <= 0:
        return creds, [Problem('expired', '%s expired at %s.' % (where, creds['expires_at']))], 'expired'
    far = too_far_ahead(where, expires_at, int(now), max_lifetime)
    if far:
        creds['valid'] = False
        return creds, [Problem('too_far_ahead', far)], 'invalid'
    return creds, [], None


def token_shape_error(token):
    """None when ``token`` looks like a ``claude setup-token`` token, else a sentence that does not quote it."""
    if not isinstance(token, str) or not token:
        return 'oauth_token is empty. Run `claude setup-token` and pass the token it prints.'
    if token != token.strip():
        return 'oauth_token has leading or trailing white space; strip it (a copied newline is a common cause).'
    if not token.startswith(TOKEN_PREFIX):
        return ("oauth_token does not start with '%s': it is not a long-lived token from `claude setup-token` "
                '(session access tokens and refresh tokens are not accepted here).' % TOKEN_PREFIX)
    if not _TOKEN_RE.match(token):
        return ('oauth_token has characters a Claude token never has, or is too short; copy it again from '
                '`claude setup-token`.')
    return None


def credential_kind(data):
    """``session`` (a captured .credentials.json), ``token`` (a long-lived setup-token token) or ``none``."""
    if CREDENTIALS_FILE in data:
        return 'session'
    if TOKEN_KEY in data:
        return 'token'
    return 'none'


def refresh_token_present(data):
    """Whether the ``.credentials.json`` of ``data`` ({key: bytes}) holds a refresh token."""
    raw = data.get(CREDENTIALS_FILE)
    try:
        return raw is not None and refreshable(oauth_of(raw))
    except NotCredentials:
        return False


def credentials_expiry(data, now):
    """Expiry of the session in ``.credentials.json`` (``data``: {key: bytes}) as epoch seconds, or None when there
    is no session file; InputError when it cannot be published."""
    raw = data.get(CREDENTIALS_FILE)
    if raw is None:
        return None
    try:
        expires = oauth_of(raw).get('expiresAt')
    except NotCredentials:
        raise InputError("files['.credentials.json'] is not a Claude Code credentials file (not JSON with a "
                         'claudeAiOauth object). Capture it again with claude_session_facts.', 'files')
    where = "files['.credentials.json']: claudeAiOauth.expiresAt"
    relogin = 'Run `claude logout` then `claude login` on the source host and capture again.'
    defect = expires_at_defect(expires)
    if defect in ('missing', 'not a number', 'zero'):
        raise InputError("%s is missing or not a number (blanked or damaged session). %s" % (where, relogin), 'files')
    if defect in ('negative', 'not finite'):
        raise InputError('%s is not a time (%s). %s' % (where, defect, relogin), 'files')
    if defect == 'in seconds':
        raise InputError('%s is %d, which reads as seconds; Claude Code writes milliseconds since 1970. The file was '
                         'not written by `claude login`. %s' % (where, expires, relogin), 'files')
    # What is left (past the year 9999 included) is a time: check_expiry refuses it when it is implausibly far.
    return check_expiry(int(expires // 1000), now, where)


def check_expiry(expires_at, now, where):
    """``expires_at`` (epoch seconds), or InputError when it has passed or lies implausibly far ahead."""
    option = 'expires_at' if where == 'expires_at' else 'files'
    if expires_at <= now:
        raise InputError('%s: the credentials already expired (%s); publishing them would hand consumers dead '
                         'credentials. Log in again on the source host (`claude login`) and capture again.'
                         % (where, iso_utc(expires_at)), option)
    if expires_at - now > MAX_LIFETIME:
        raise InputError('%s: %s is more than %d days ahead, longer than any Claude credential lives (a session '
                         'hours, a `claude setup-token` token one year). Give the real expiry.'
                         % (where, iso_utc_or_far(expires_at), MAX_LIFETIME // 86400), option)
    return expires_at


def parse_expires_at(text, now):
    """The ``expires_at`` option as epoch seconds, checked like an expiry read from a session."""
    try:
        expires = parse_iso_utc(text)
    except (OverflowError, OSError, ValueError):
        expires = None
    if expires is None:
        raise InputError("expires_at: '%s' is not an ISO 8601 time such as 2027-01-24T06:18:47Z." % text,
                         'expires_at')
    return check_expiry(expires, now, 'expires_at')


def session_lifetime_limit(params):
    """The ``session_max_lifetime`` option in seconds (InputError when it is not a duration)."""
    return parse_duration(params.get('session_max_lifetime') or SESSION_MAX_LIFETIME, 'session_max_lifetime')


def session_expiry_bounds(kind, expires_at, now, params):
    """``(expires_at, ceiling)`` for what a publish writes. A session (``kind``) whose expiry lies further ahead than
    session_max_lifetime is refused, before any write: InputError with the reason and the fix. ``ceiling`` (now plus
    session_max_lifetime, None for a long-lived token, which keeps its year): an existing session that claims to
    expire later is no newer session, and is replaced."""
    limit = session_lifetime_limit(params)
    if kind != 'session':
        return expires_at, None
    if expires_at is not None:
        where = 'expires_at' if params.get('expires_at') else "files['.credentials.json'] (claudeAiOauth.expiresAt)"
        far = too_far_ahead(where, expires_at, now, limit, 'Nothing was written.')
        if far:
            raise InputError(far, 'session_max_lifetime')
    return expires_at, now + limit


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def value_digest(value):
    """``sha256:`` of one value (bytes): what a diff shows in place of it."""
    return 'sha256:' + sha256_hex(value)


def fingerprint(data):
    """``sha256:`` over the sorted keys and the SHA-256 of each value (``data``: {key: bytes}): the identity of the
    credentials a Secret or a store holds. Reveals nothing about the values."""
    digest = hashlib.sha256()
    for key in sorted(data):
        digest.update(key.encode('utf-8') + b'\0' + sha256_hex(data[key]).encode('ascii') + b'\n')
    return 'sha256:' + digest.hexdigest()


# What an API server's message may quote of the object it refused (an admission webhook that prints the request):
# a Claude token, or a long base64 or JWT run (a Secret's data, a service account token). Names and paths in a
# message are lower case or have no digit run mixed in, so they stay readable.
_TOKEN_TEXT = re.compile(r'sk-ant-[A-Za-z0-9_-]*')
_BLOB_TEXT = re.compile(r'[A-Za-z0-9+/_.=-]{24,}')


def redact_server_text(text):
    """``text`` from a server with tokens and what looks like encoded data (24 or more characters of the base64,
    URL-safe base64 or JWT alphabet that mix upper case, lower case and digits) replaced by <hidden>."""
    text = _TOKEN_TEXT.sub('<hidden>', str(text))

    def blob(match):
        run = match.group(0)
        mixed = re.search(r'[A-Z]', run) and re.search(r'[a-z]', run) and re.search(r'[0-9]', run)
        return '<hidden>' if mixed else run
    return _BLOB_TEXT.sub(blob, text)
