# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""A capture host's session: the ``claude_session`` facts from what the action plugin observed, the choice of the
freshest session among hosts, and the operator's next step for one that is not usable.

Nothing here talks to a host. The action plugin gathers raw observations (stat results and file bytes) and hands
them to :func:`evaluate_session`, which returns the facts contract. Each problem carries a code
(``problem_codes``, in the order of ``problems``); :func:`suggest_fix` chooses by code, never by the sentence.
No function here ever returns a token or any part of one.
"""

from __future__ import annotations

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import (
    CREDENTIALS_FILE,
    Problem,
    empty_credentials,
    inspect_credentials,
    sha256_hex,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._keychain import fix as keychain_fix
from ansible_collections.claudeops.credentials.plugins.module_utils._time import (
    describe_seconds,
    iso_utc,
    parse_iso_utc,
)

MAX_FILE_SIZE = 1024 * 1024

# Worst first. The session status is the worst status any check produced.
# busy: the file was being written while it was read (Claude Code refreshing it); the next capture reads it.
STATUS_ORDER = ('missing', 'invalid', 'expired', 'busy', 'expiring', 'healthy')
USABLE_STATUSES = ('healthy', 'expiring')

# The codes of the problems a session can have, beside those of the credentials file itself
# (_credentials.CREDENTIAL_PROBLEM_CODES).
PROBLEM_CODES = (
    'directory_missing',  # the session directory does not exist
    'no_account',         # Windows knows no account of the session user's name
    'never_logged_on',    # the session user's account has never logged on to the host: no profile
    'no_profile',         # the session user's profile directory is not on the host
    'access_denied',      # the profile or the file is there, but the connecting account may not read it
    'unexamined',         # the directory or the file could not be examined
    'file_missing',       # a session file does not exist
    'is_directory',       # a session file is a directory
    'not_regular',        # a FIFO, a device, a socket, a reparse point: never read
    'outside_directory',  # a link out of the session directory or to a network share: never read
    'too_large',          # over MAX_FILE_SIZE: never read
    'busy',               # written while it was read, twice
    'unreadable',         # could not be read
    'empty',              # 0 bytes
    'expiring',           # usable, but within the warning window
    # A Mac's login Keychain (_keychain): no item there and no file either, locked, access refused, another error.
    'keychain_item_missing',
    'keychain_locked',
    'keychain_denied',
    'keychain_error',
)
# What a plain sentence in an observation's slot means, when the action plugin gave no code.
_SLOT_CODES = {'absent_reason': 'directory_missing', 'read_error': 'unreadable', 'not_regular': 'not_regular',
               'busy': 'busy'}


def as_problem(value, slot):
    """An observation's sentence as a :class:`Problem`: a Problem stays as it is; a plain sentence gets the code
    of its ``slot`` (absent_reason, read_error, not_regular or busy)."""
    return value if isinstance(value, Problem) else Problem(_SLOT_CODES[slot], value)


def _file_entry(obs):
    data = obs.get('data')
    return {
        'name': obs['name'],
        'path': obs['path'],
        'exists': bool(obs.get('exists')),
        'size': int(obs.get('size') or 0),
        'readable': data is not None,
        'mtime': iso_utc(obs['mtime']) if obs.get('mtime') is not None else None,
        'sha256': sha256_hex(data) if data is not None else None,
    }


def _file_problem(obs, entry, directory_exists):
    """``(problem or None, status)`` for one observed file that cannot be read as a session file, or None when its
    content is to be inspected."""
    where = obs['path']
    if not entry['exists']:
        if obs.get('absent'):  # a reason of its own: a Mac's Keychain has no session either
            return obs['absent'], 'missing'
        return (Problem('file_missing', '%s does not exist.' % where) if directory_exists else None), 'missing'
    if obs.get('isdir'):
        return Problem('is_directory', '%s is a directory, not a file.' % where), 'invalid'
    if obs.get('not_regular'):  # a FIFO, a device, a socket, a link out of the directory: never read
        return as_problem(obs['not_regular'], 'not_regular'), 'invalid'
    if entry['size'] > MAX_FILE_SIZE:
        return Problem('too_large', '%s is %d bytes, over the 1 MiB limit for a session file; it was not read.'
                       % (where, entry['size'])), 'invalid'
    if obs.get('busy'):
        return as_problem(obs['busy'], 'busy'), 'busy'
    if not entry['readable']:
        return as_problem(obs.get('read_error') or '%s is not readable.' % where, 'read_error'), 'invalid'
    if len(obs['data']) == 0:
        return Problem('empty', '%s is empty (0 bytes).' % where), 'invalid'
    return None


def evaluate_session(path, observations, now, expiry_warning, directory_exists=True, absent_reason=None,
                     max_lifetime=None):
    """Turn per-file observations into the ``claude_session`` facts.

    ``observations`` is a list of dicts, one per requested file, with keys ``name``, ``path``,
    ``exists``, ``isdir``, ``size``, ``mtime`` (epoch or None), ``data`` (bytes or None when not read),
    ``read_error`` (a sentence or None), ``not_regular`` (a sentence when the path is a FIFO, a device, a
    socket or a link out of the session directory, which is never read) and ``busy`` (a sentence when the file was
    being written while it was read, twice). Each sentence, and ``absent_reason``, may be a :class:`Problem` that
    names its code.
    """
    files, problems, statuses = [], [], []
    credentials = empty_credentials()
    if not directory_exists:
        problems.append(as_problem(absent_reason or 'The session directory %s does not exist.' % path,
                                   'absent_reason'))
        statuses.append('missing')
    for obs in observations:
        entry = _file_entry(obs)
        files.append(entry)
        found = _file_problem(obs, entry, directory_exists)
        if found is not None:
            problems.extend([found[0]] if found[0] else [])
            statuses.append(found[1])
        elif obs['name'] == CREDENTIALS_FILE:
            credentials, cred_problems, cred_status = inspect_credentials(obs['data'], now, obs['path'], max_lifetime)
            problems.extend(cred_problems)
            statuses.append(cred_status)
    if credentials['valid'] and credentials['expires_in'] is not None and 0 < credentials['expires_in'] < expiry_warning:
        statuses.append('expiring')
        problems.append(Problem('expiring', 'The credentials expire in %s (at %s), within the %s warning window.'
                                % (describe_seconds(credentials['expires_in']), credentials['expires_at'],
                                   describe_seconds(expiry_warning))))
    return {
        'path': path,
        'files': files,
        'credentials': credentials,
        'status': worst_status(statuses),
        'problems': [p.text for p in problems],
        'problem_codes': [p.code for p in problems],
    }


def worst_status(statuses):
    """The worst of a session's statuses (STATUS_ORDER); ``healthy`` when there is none."""
    present = [s for s in statuses if s]
    if not present:
        return 'healthy'
    return min(present, key=STATUS_ORDER.index)


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


# The problems after which the file itself must become readable.
_UNREADABLE = frozenset(('is_directory', 'unreadable', 'unexamined', 'not_regular', 'outside_directory'))


def suggest_fix(facts, host, user=None):
    """The operator's next step for a session that is not usable, as one sentence, chosen by its status and its
    ``problem_codes``."""
    who = ('as %s ' % user) if user else ''
    status = facts.get('status')
    codes = set(facts.get('problem_codes') or [])
    keychain = facts.get('keychain') or {}
    for code in facts.get('problem_codes') or []:
        found = keychain_fix(code, keychain.get('service'), keychain.get('account') or user, host)
        if found:
            return found
    relogin = 'run `claude logout` then `claude login` %son %s, then `claude -p "test"` to confirm' % (who, host)
    if 'access_denied' in codes:
        return ('read as the person who ran `claude login`: on Windows become_method runas with become_user their '
                'account (docs/capture.md), or give the connecting account read access to their profile '
                '(administrators have it)')
    if status == 'missing':
        if 'no_profile' in codes:
            return ('set claudeops_session_user (the user option) to the account that ran `claude login` on %s, '
                    'or set claudeops_session_path to its session directory' % host)
        return ('run `claude login` %son %s, or point claudeops_session_path / claudeops_session_user at the '
                'session directory' % (who, host))
    if status == 'busy':
        return ('nothing to do now: the next capture reads %s, which was being written on %s (Claude Code refreshing '
                'the session); if this repeats, run the capture again in a minute' % (CREDENTIALS_FILE, host))
    if status == 'invalid':
        return _invalid_fix(codes, host, relogin)
    if status == 'expired' and (facts.get('credentials') or {}).get('has_refresh_token'):
        return ('run `claude -p "test"` %son %s: Claude Code renews the session with its refresh token (if it asks '
                'to log in, a consumer already used that refresh token: %s)' % (who, host, relogin))
    if status == 'expired':
        return relogin
    if status == 'expiring':
        return 'use Claude Code %son %s to refresh the session soon, or %s' % (who, host, relogin)
    return 'nothing to do'


def _invalid_fix(codes, host, relogin):
    if 'blanked' in codes:
        return ('%s; give every consumer its own session, or use the long-lived token from `claude setup-token` '
                '(playbooks/publish-oauth-token.yml)' % relogin)
    if codes & _UNREADABLE:
        return ('make %s a regular file readable by the connecting account (or connect as its owner), or %s'
                % (CREDENTIALS_FILE, relogin))
    if 'too_far_ahead' in codes:
        return ('set the clock of %s right (Windows: w32tm /resync; Linux: timedatectl), then %s; raise '
                'claudeops_session_max_lifetime only if its sessions really live longer' % (host, relogin))
    return relogin


def hostvar(hostvars, host, name):
    """The variable ``name`` of ``host`` from ``hostvars``, or None when the host or the variable is not there."""
    try:
        return hostvars[host].get(name)
    except (KeyError, AttributeError, TypeError):
        return None


def facts_of(hostvars, host):
    """The ``claude_session`` facts of ``host`` from ``hostvars``, or None when it has none (unreachable, failed)."""
    return hostvar(hostvars, host, 'claude_session') or None
