# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Pure logic behind ``claude_session_facts``: parsing, status rules, durations, selection.

Nothing here talks to a host. The action plugin gathers raw observations (stat results
and file bytes) and hands them to :func:`evaluate_session`, which returns the facts
contract. No function here ever returns a token or any part of one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import re

MAX_FILE_SIZE = 1024 * 1024
CREDENTIALS_FILE = '.credentials.json'
# A session's access token lives about 8 hours; an expiresAt further ahead than this comes from a clock that runs
# ahead or from a file `claude login` did not write. Option session_max_lifetime, variable
# claudeops_session_max_lifetime. A long-lived token (claude setup-token) is not a session and keeps its year.
SESSION_MAX_LIFETIME = '48h'

# Worst first. The session status is the worst status any check produced.
# busy: the file was being written while it was read (Claude Code refreshing it); the next capture reads it.
STATUS_ORDER = ('missing', 'invalid', 'expired', 'busy', 'expiring', 'healthy')
USABLE_STATUSES = ('healthy', 'expiring')

_DURATION_UNITS = {'w': 604800, 'd': 86400, 'h': 3600, 'm': 60, 's': 1}
_DURATION_RE = re.compile(r'^\s*(?:(\d+)\s*([wdhms]))+\s*$')
_DURATION_PART_RE = re.compile(r'(\d+)\s*([wdhms])')


class DurationError(ValueError):
    pass


def parse_duration(value, option='duration'):
    """Return seconds for ``3d``, ``12h``, ``90m``, ``45s``, ``1w``, ``1d12h`` or a plain number of seconds."""
    if isinstance(value, bool):
        raise DurationError('%s must be a duration such as 3d, 12h or 90m, not a boolean' % option)
    if isinstance(value, (int, float)):
        if value < 0:
            raise DurationError('%s must not be negative, got %s' % (option, value))
        return int(value)
    text = str(value).strip().lower()
    if text.isdigit():
        return int(text)
    if not _DURATION_RE.match(text):
        raise DurationError(
            "%s: '%s' is not a duration. Use a number followed by w, d, h, m or s, for example 3d, 12h, 90m or 1d12h."
            % (option, value))
    return sum(int(n) * _DURATION_UNITS[u] for n, u in _DURATION_PART_RE.findall(text))


def iso_utc(epoch_seconds):
    """ISO 8601 UTC with a ``Z`` suffix and second precision, e.g. ``2026-01-24T06:18:47Z``."""
    moment = datetime.datetime.fromtimestamp(int(epoch_seconds), tz=datetime.timezone.utc)
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def parse_iso_utc(text):
    """Parse the ISO 8601 form :func:`iso_utc` writes (and offsets) back to epoch seconds; None when unparseable."""
    if not text or not isinstance(text, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return int(moment.timestamp())


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


# The last second of the year 9999 in milliseconds: later times cannot even be written as ISO 8601.
_LAST_EXPRESSIBLE_MS = 253402300799000


def expires_at_defect(expires):
    """Why ``claudeAiOauth.expiresAt`` (milliseconds since 1970) is not a usable time, or None when it is one:
    ``missing``, ``not a number``, ``negative``, ``not finite``, ``zero``, ``in seconds`` or ``past the year 9999``.
    The one place that decides it, for capture (``inspect_credentials``) and publishing (``_secret``)."""
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


def _nonempty_str(value):
    return isinstance(value, str) and value.strip() != ''


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


def inspect_credentials(data, now, where, max_lifetime=None):
    """Read ``.credentials.json`` bytes. Returns ``(credentials, problems, status)``.

    ``status`` is ``invalid`` (an expiry further ahead than ``max_lifetime`` seconds included, default
    SESSION_MAX_LIFETIME), ``expired``, or None when the credentials themselves are usable (expiring/healthy is
    decided by the caller from ``expires_in``). Problems never quote content.
    """
    if max_lifetime is None:
        max_lifetime = parse_duration(SESSION_MAX_LIFETIME)
    creds = empty_credentials()
    if data.startswith(b'\xef\xbb\xbf'):
        return creds, ['%s starts with a UTF-8 byte-order mark, which Claude Code never writes: something else wrote '
                       'it, such as Windows PowerShell 5.1 (Out-File, Set-Content -Encoding UTF8). Write it without '
                       'the mark (PowerShell 7, or [IO.File]::WriteAllText), or log in again.' % where], 'invalid'
    try:
        doc = json.loads(data.decode('utf-8'))
    except UnicodeDecodeError:
        return creds, ['%s is not UTF-8 text; it is not a Claude Code credentials file.' % where], 'invalid'
    except ValueError as exc:
        # JSONDecodeError names what it expected and where, never the content.
        position = (' at line %d, column %d' % (exc.lineno, exc.colno)) if hasattr(exc, 'lineno') else ''
        return creds, ['%s is not valid JSON (%s%s).' % (where, getattr(exc, 'msg', 'parse error'), position)], \
            'invalid'

    oauth = doc.get('claudeAiOauth') if isinstance(doc, dict) else None
    if not isinstance(oauth, dict):
        return creds, ['%s has no claudeAiOauth object; it was not written by `claude login`.' % where], 'invalid'

    creds['kind'] = 'oauth'
    scopes = oauth.get('scopes')
    creds['scopes'] = [s for s in scopes if isinstance(s, str)] if isinstance(scopes, list) else []
    for key, fact in (('subscriptionType', 'subscription_type'), ('rateLimitTier', 'rate_limit_tier')):
        value = oauth.get(key)
        creds[fact] = value if isinstance(value, str) else None
    creds['has_refresh_token'] = _nonempty_str(oauth.get('refreshToken'))

    problems = []
    access = oauth.get('accessToken')
    expires = oauth.get('expiresAt')
    blank_access = 'accessToken' in oauth and not _nonempty_str(access)
    blank_refresh = 'refreshToken' in oauth and not _nonempty_str(oauth.get('refreshToken'))
    if (blank_access or blank_refresh) and expires in (0, None, '0'):
        problems.append(
            '%s is blanked (empty tokens, expiresAt 0): another consumer of the same session won the '
            'refresh-token race and this copy was logged out.' % where)
    else:
        if 'accessToken' not in oauth:
            problems.append('%s has no claudeAiOauth.accessToken.' % where)
        elif blank_access:
            problems.append('%s has an empty claudeAiOauth.accessToken.' % where)
        if blank_refresh:
            problems.append('%s has an empty claudeAiOauth.refreshToken.' % where)
        defect = expires_at_defect(expires)
        if defect == 'missing':
            problems.append('%s has no claudeAiOauth.expiresAt.' % where)
        elif defect == 'not a number':
            problems.append('%s: claudeAiOauth.expiresAt is a %s, not a number of milliseconds.'
                            % (where, type(expires).__name__))
        elif defect in ('negative', 'zero'):
            problems.append('%s: claudeAiOauth.expiresAt is %s, not a time.' % (where, expires))
        elif defect == 'in seconds':
            problems.append('%s: claudeAiOauth.expiresAt is %d, which reads as seconds; Claude Code writes '
                            'milliseconds since 1970.' % (where, expires))
        elif defect:
            problems.append('%s: claudeAiOauth.expiresAt is not a time (%s).' % (where, defect))
    if problems:
        return creds, problems, 'invalid'

    expires_at = int(expires // 1000)
    creds['valid'] = True
    creds['expires_at'] = iso_utc(expires_at)
    creds['expires_in'] = expires_at - int(now)
    if creds['expires_in'] <= 0:
        return creds, ['%s expired at %s.' % (where, creds['expires_at'])], 'expired'
    far = too_far_ahead(where, expires_at, int(now), max_lifetime)
    if far:
        creds['valid'] = False
        return creds, [far], 'invalid'
    return creds, [], None


def worst(statuses):
    present = [s for s in statuses if s]
    if not present:
        return 'healthy'
    return min(present, key=STATUS_ORDER.index)


def describe_seconds(seconds):
    """Short human form: ``2d 3h``, ``5h 10m``, ``42s``."""
    seconds = int(abs(seconds))
    parts = []
    for unit, size in (('d', 86400), ('h', 3600), ('m', 60)):
        if seconds >= size:
            parts.append('%d%s' % (seconds // size, unit))
            seconds %= size
    if not parts:
        parts.append('%ds' % seconds)
    return ' '.join(parts[:2])


def evaluate_session(path, observations, now, expiry_warning, directory_exists=True, absent_reason=None,
                     max_lifetime=None):
    """Turn per-file observations into the ``claude_session`` facts.

    ``observations`` is a list of dicts, one per requested file, with keys ``name``, ``path``,
    ``exists``, ``isdir``, ``size``, ``mtime`` (epoch or None), ``data`` (bytes or None when not read),
    ``read_error`` (a sentence or None), ``not_regular`` (a sentence when the path is a FIFO, a device, a
    socket or a link out of the session directory, which is never read) and ``busy`` (a sentence when the file was
    being written while it was read, twice).
    """
    files = []
    problems = []
    statuses = []
    credentials = empty_credentials()

    if not directory_exists:
        problems.append(absent_reason or 'The session directory %s does not exist.' % path)
        statuses.append('missing')

    for obs in observations:
        data = obs.get('data')
        readable = data is not None
        entry = {
            'name': obs['name'],
            'path': obs['path'],
            'exists': bool(obs.get('exists')),
            'size': int(obs.get('size') or 0),
            'readable': readable,
            'mtime': iso_utc(obs['mtime']) if obs.get('mtime') is not None else None,
            'sha256': sha256_hex(data) if readable else None,
        }
        files.append(entry)
        where = obs['path']
        if not entry['exists']:
            if directory_exists:
                problems.append('%s does not exist.' % where)
            statuses.append('missing')
            continue
        if obs.get('isdir'):
            problems.append('%s is a directory, not a file.' % where)
            statuses.append('invalid')
            continue
        if obs.get('not_regular'):  # a FIFO, a device, a socket, a link out of the directory: never read
            problems.append(obs['not_regular'])
            statuses.append('invalid')
            continue
        if entry['size'] > MAX_FILE_SIZE:
            problems.append('%s is %d bytes, over the 1 MiB limit for a session file; it was not read.'
                            % (where, entry['size']))
            statuses.append('invalid')
            continue
        if obs.get('busy'):
            problems.append(obs['busy'])
            statuses.append('busy')
            continue
        if not readable:
            problems.append(obs.get('read_error') or '%s is not readable.' % where)
            statuses.append('invalid')
            continue
        if len(data) == 0:
            problems.append('%s is empty (0 bytes).' % where)
            statuses.append('invalid')
            continue
        if obs['name'] == CREDENTIALS_FILE:
            credentials, cred_problems, cred_status = inspect_credentials(data, now, where, max_lifetime)
            problems.extend(cred_problems)
            statuses.append(cred_status)

    if credentials['valid'] and credentials['expires_in'] is not None and credentials['expires_in'] > 0:
        if credentials['expires_in'] < expiry_warning:
            statuses.append('expiring')
            problems.append('The credentials expire in %s (at %s), within the %s warning window.'
                            % (describe_seconds(credentials['expires_in']), credentials['expires_at'],
                               describe_seconds(expiry_warning)))

    return {
        'path': path,
        'files': files,
        'credentials': credentials,
        'status': worst(statuses),
        'problems': problems,
    }


def select_session(candidates):
    """Pick the freshest usable session.

    ``candidates``: list of ``{host, status, expires_at, problems, passed}`` (``status`` None for a host that
    returned no facts; ``passed`` False for a host that failed a capture check, such as the capture role's
    ``claudeops_min_valid_for``, whatever its status says). Among healthy/expiring hosts that did not fail a check
    the latest ``expires_at`` wins; ties go to the host name that sorts first. Returns
    ``{winner, expires_at, reasons: {host: why}, rows: [...], idle, idle_expires_at}``, ``winner`` being None when
    no host is usable; each row has ``usable`` and ``idle``. Idle hosts hold a session whose access token expired
    but which has a refresh token (``refreshable`` in the candidate): Claude Code there renews it when next used;
    ``idle`` names the one whose session expires last, ``idle_expires_at`` its expiry.
    """
    rows = []
    usable = []
    for cand in sorted(candidates, key=lambda c: str(c.get('host'))):
        host = str(cand.get('host'))
        status = cand.get('status') or 'unreachable'
        expires = cand.get('expires_at')
        epoch = parse_iso_utc(expires)
        row = {'host': host, 'status': status, 'expires_at': expires, 'problems': list(cand.get('problems') or []),
               'usable': status in USABLE_STATUSES and epoch is not None and cand.get('passed') is not False,
               'idle': status == 'expired' and epoch is not None and bool(cand.get('refreshable'))}
        if cand.get('passed') is False:
            row['failed_check'] = cand.get('failed_check') or 'a capture check failed'
        rows.append(row)
        if row['usable']:
            usable.append((-epoch, host, row))

    idle = sorted((-parse_iso_utc(r['expires_at']), r['host'], r['expires_at']) for r in rows if r['idle'])
    idle_fields = {'idle': idle[0][1] if idle else None, 'idle_expires_at': idle[0][2] if idle else None}
    reasons = {}
    if not usable:
        for row in rows:
            reasons[row['host']] = _unusable_reason(row)
        return dict({'winner': None, 'expires_at': None, 'reasons': reasons, 'rows': rows}, **idle_fields)

    usable.sort()
    win_epoch, winner, win_row = usable[0][0], usable[0][1], usable[0][2]
    for row in rows:
        host = row['host']
        if host == winner:
            reasons[host] = 'selected: its credentials expire last (%s)' % row['expires_at']
        elif not row['usable']:
            reasons[host] = _unusable_reason(row)
        elif -parse_iso_utc(row['expires_at']) == win_epoch:
            reasons[host] = 'same expiry as %s; the tie goes to the host name that sorts first' % winner
        else:
            reasons[host] = 'expires earlier (%s) than %s (%s)' % (row['expires_at'], winner, win_row['expires_at'])
    return dict({'winner': winner, 'expires_at': win_row['expires_at'], 'reasons': reasons, 'rows': rows},
                **idle_fields)


def _unusable_reason(row):
    if row['status'] in USABLE_STATUSES and row.get('failed_check'):
        return 'not usable: %s' % row['failed_check']
    if row.get('idle'):
        return 'idle: its access token expired at %s; Claude Code there renews it when next used' % row['expires_at']
    if row['status'] == 'unreachable':
        return 'not usable: no session facts (host unreachable or the capture failed)'
    detail = '; '.join(row['problems'][:2])
    return 'not usable: status %s%s' % (row['status'], (' (%s)' % detail) if detail else '')


# Widest a table column grows; longer cells wrap onto more lines of the same row, so nothing is cut off.
TABLE_COLUMN_WIDTH = 60


def format_table(rows, columns, max_width=TABLE_COLUMN_WIDTH):
    """Plain-text table with a header, for summaries printed by playbooks. A cell longer than ``max_width`` wraps
    at spaces onto continuation lines (the other columns blank there), so a long reason or fix stays whole and the
    table stays readable in AWX's job output."""
    cells = [[_wrap(str(r.get(key) if r.get(key) is not None else '-'), max_width) for key, _t in columns]
             for r in rows]
    widths = [max([len(title)] + [len(line) for row in cells for line in row[i]]) for i, (_k, title) in
              enumerate(columns)]
    lines = ['  '.join(title.ljust(w) for (_k, title), w in zip(columns, widths)).rstrip()]
    lines.append('  '.join('-' * w for w in widths))
    for row in cells:
        for n in range(max(len(cell) for cell in row)):
            lines.append('  '.join((cell[n] if n < len(cell) else '').ljust(w) for cell, w in zip(row, widths)).rstrip())
    return '\n'.join(lines)


def _wrap(text, width):
    """``text`` as lines of at most ``width`` characters, broken at spaces where it can be."""
    out = []
    for paragraph in text.splitlines() or ['']:
        line = ''
        for word in paragraph.split(' '):
            while len(word) > width:  # a word longer than a line (a path, a URL): cut it
                if line:
                    out.append(line)
                    line = ''
                out.append(word[:width])
                word = word[width:]
            if line and len(line) + 1 + len(word) > width:
                out.append(line)
                line = word
            else:
                line = (line + ' ' + word) if line else word
        out.append(line)
    return out


def suggest_fix(facts, host, user=None):
    """The operator's next step for a session that is not usable, as one sentence."""
    who = ('as %s ' % user) if user else ''
    status = facts.get('status')
    problems = ' '.join(facts.get('problems') or [])
    relogin = 'run `claude logout` then `claude login` %son %s, then `claude -p "test"` to confirm' % (who, host)
    if 'access is denied' in problems:
        return ('read as the person who ran `claude login`: on Windows become_method runas with become_user their '
                'account (docs/capture.md), or give the connecting account read access to their profile '
                '(administrators have it)')
    if status == 'missing':
        if 'has no profile directory' in problems:
            return ('set claudeops_session_user (the user option) to the account that ran `claude login` on %s, '
                    'or set claudeops_session_path to its session directory' % host)
        return ('run `claude login` %son %s, or point claudeops_session_path / claudeops_session_user at the '
                'session directory (macOS keeps credentials in the Keychain, not in a file)' % (who, host))
    if status == 'invalid' and 'blanked' in problems:
        return ('%s; give every consumer its own session, or use the long-lived token from `claude setup-token` '
                '(playbooks/publish-oauth-token.yml)' % relogin)
    if status == 'busy':
        return ('nothing to do now: the next capture reads %s, which was being written on %s (Claude Code refreshing '
                'the session); if this repeats, run the capture again in a minute' % (CREDENTIALS_FILE, host))
    if status == 'invalid' and ('directory, not a file' in problems or 'not readable' in problems
                                or 'could not be examined' in problems or 'not a regular file' in problems
                                or 'outside the session directory' in problems):
        return ('make %s a regular file readable by the connecting account (or connect as its owner), or %s'
                % (CREDENTIALS_FILE, relogin))
    if status == 'invalid' and 'later than a session lives' in problems:
        return ('set the clock of %s right (Windows: w32tm /resync; Linux: timedatectl), then %s; raise '
                'claudeops_session_max_lifetime only if its sessions really live longer' % (host, relogin))
    if status == 'expired' and (facts.get('credentials') or {}).get('has_refresh_token'):
        return ('run `claude -p "test"` %son %s: Claude Code renews the session with its refresh token (if it asks '
                'to log in, a consumer already used that refresh token: %s)' % (who, host, relogin))
    if status in ('invalid', 'expired'):
        return relogin
    if status == 'expiring':
        return 'use Claude Code %son %s to refresh the session soon, or %s' % (who, host, relogin)
    return 'nothing to do'


def hostvar(hostvars, host, name):
    """The variable ``name`` of ``host`` from ``hostvars``, or None when the host or the variable is not there."""
    try:
        return hostvars[host].get(name)
    except (KeyError, AttributeError, TypeError):
        return None


def facts_of(hostvars, host):
    """The ``claude_session`` facts of ``host`` from ``hostvars``, or None when it has none (unreachable, failed)."""
    return hostvar(hostvars, host, 'claude_session') or None
