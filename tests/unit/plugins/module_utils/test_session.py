# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

import pytest

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import inspect_credentials
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._session import (
    evaluate_session,
    select_session,
    suggest_fix,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._table import format_table
from ansible_collections.claudeops.credentials.plugins.module_utils._time import iso_utc, parse_duration, parse_iso_utc

NOW = 1_800_000_000  # 2027-01-15T08:00:00Z
DAY = 86400
WARN = 3 * DAY
CANARY_ACCESS = 'sk-ant-oat01-CANARYUNIT-access-0123456789'
CANARY_REFRESH = 'sk-ant-ort01-CANARYUNIT-refresh-0123456789'


def creds(expires_at_ms=(NOW + 10 * DAY) * 1000, **overrides):
    oauth = {'accessToken': CANARY_ACCESS, 'refreshToken': CANARY_REFRESH, 'expiresAt': expires_at_ms,
             'scopes': ['user:inference'], 'subscriptionType': 'max', 'rateLimitTier': 'tier'}
    oauth.update(overrides)
    return json.dumps({'claudeAiOauth': oauth}).encode()


def obs(data=None, exists=True, isdir=False, size=None, name='.credentials.json', read_error=None):
    return {'name': name, 'path': '/home/a/.claude/' + name, 'exists': exists, 'isdir': isdir,
            'size': len(data) if size is None and data is not None else (size or 0), 'mtime': NOW - 60,
            'data': data, 'read_error': read_error}


def facts(*observations, **kwargs):
    # creds() writes a session 10 days ahead, well inside the lifetime these tests allow; the default bound (48h) has
    # its own tests below.
    kwargs.setdefault('max_lifetime', 30 * DAY)
    return evaluate_session('/home/a/.claude', list(observations), NOW, WARN, **kwargs)


@pytest.mark.parametrize('text, seconds', [
    ('3d', 3 * DAY), ('12h', 43200), ('90m', 5400), ('45s', 45), ('1w', 7 * DAY), ('1d12h', DAY + 43200),
    ('0', 0), (600, 600), ('  2H ', 7200),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize('text', ['', 'soon', '3 days', '-1h', 'd3', True, -5])
def test_parse_duration_rejects(text):
    with pytest.raises(InputError) as err:
        parse_duration(text, 'expiry_warning')
    assert 'expiry_warning' in str(err.value)


def test_iso_round_trip():
    assert iso_utc(1769235527) == '2026-01-24T06:18:47Z'
    assert parse_iso_utc('2026-01-24T06:18:47Z') == 1769235527
    assert parse_iso_utc('2026-01-24T07:18:47+01:00') == 1769235527
    assert parse_iso_utc('garbage') is None


def test_healthy_contract_keys_and_no_token():
    result = facts(obs(creds()))
    assert set(result) == {'path', 'files', 'credentials', 'status', 'problems', 'problem_codes'}
    assert set(result['files'][0]) == {'name', 'path', 'exists', 'size', 'readable', 'mtime', 'sha256'}
    assert set(result['credentials']) == {'kind', 'valid', 'expires_at', 'expires_in', 'has_refresh_token',
                                          'scopes', 'subscription_type', 'rate_limit_tier'}
    assert result['status'] == 'healthy'
    assert result['problems'] == []
    assert result['credentials']['expires_in'] == 10 * DAY
    assert result['credentials']['has_refresh_token'] is True
    assert result['files'][0]['mtime'].endswith('Z')
    text = json.dumps(result)
    assert 'CANARYUNIT' not in text and 'sk-ant' not in text


def test_expiring_within_warning():
    result = facts(obs(creds((NOW + 2 * 3600) * 1000)))
    assert result['status'] == 'expiring'
    assert 'within the 3d warning window' in result['problems'][0]


def test_expired():
    result = facts(obs(creds((NOW - 60) * 1000)))
    assert result['status'] == 'expired'
    assert result['credentials']['expires_in'] == -60
    assert 'expired at' in result['problems'][0]


@pytest.mark.parametrize('data, needle', [
    (b'', 'is empty'),
    (b'{not json', 'not valid JSON (Expecting property name enclosed in double quotes at line 1, column 2)'),
    (b'{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYUNIT-x",\n', 'at line 2, column 1'),
    (b'\xff\xfe', 'not UTF-8'),
    (b'[1, 2]', 'no claudeAiOauth'),
    (json.dumps({'other': {}}).encode(), 'no claudeAiOauth'),
    (creds(accessToken='', refreshToken='', expiresAt=0), 'blanked'),
    (creds(accessToken=''), 'empty claudeAiOauth.accessToken'),
    (creds(expiresAt=None), 'no claudeAiOauth.expiresAt'),
    (creds(expiresAt='tomorrow'), 'not a number'),
    (creds(expiresAt=0), 'not a time'),
    (json.dumps({'claudeAiOauth': {'expiresAt': NOW * 1000}}).encode(), 'no claudeAiOauth.accessToken'),
])
def test_invalid_content(data, needle):
    result = facts(obs(data))
    assert result['status'] == 'invalid'
    assert any(needle in p for p in result['problems']), result['problems']
    assert 'CANARYUNIT' not in json.dumps(result)


def test_missing_expires_at_is_invalid_not_expired():
    oauth = json.loads(creds())
    del oauth['claudeAiOauth']['expiresAt']
    result = facts(obs(json.dumps(oauth).encode()))
    assert result['status'] == 'invalid'
    assert result['credentials']['expires_at'] is None


def test_directory_instead_of_file_is_invalid():
    result = facts(obs(None, isdir=True, size=4096))
    assert result['status'] == 'invalid'
    assert result['files'][0]['readable'] is False
    assert 'is a directory' in result['problems'][0]


def test_over_one_mib_is_invalid_and_not_read():
    result = facts(obs(None, size=5 * 1024 * 1024))
    assert result['status'] == 'invalid'
    assert 'over the 1 MiB limit' in result['problems'][0]
    assert result['files'][0]['sha256'] is None


def test_unreadable():
    result = facts(obs(None, size=300, read_error='/x is not readable: denied'))
    assert result['status'] == 'invalid'
    assert result['problems'] == ['/x is not readable: denied']


def test_missing_file_and_directory():
    assert facts(obs(None, exists=False))['status'] == 'missing'
    result = facts(obs(None, exists=False), directory_exists=False)
    assert result['status'] == 'missing'
    assert result['problems'] == ['The session directory /home/a/.claude does not exist.']


def test_missing_beats_invalid_and_other_files_checked():
    result = facts(obs(b'', name='.credentials.json'), obs(None, exists=False, name='settings.json'))
    assert result['status'] == 'missing'
    assert len(result['problems']) == 2


def test_selection_latest_expiry_wins_ties_by_name():
    cands = [
        {'host': 'ws-b', 'status': 'healthy', 'expires_at': '2027-01-20T00:00:00Z'},
        {'host': 'ws-a', 'status': 'expiring', 'expires_at': '2027-01-20T00:00:00Z'},
        {'host': 'ws-c', 'status': 'healthy', 'expires_at': '2027-01-18T00:00:00Z'},
        {'host': 'ws-d', 'status': 'expired', 'expires_at': '2027-02-01T00:00:00Z', 'problems': ['expired']},
        {'host': 'ws-e', 'status': None, 'expires_at': None},
    ]
    choice = select_session(cands)
    assert choice['winner'] == 'ws-a'
    assert choice['reasons']['ws-b'].startswith('same expiry as ws-a')
    assert choice['reasons']['ws-c'].startswith('expires earlier')
    assert choice['reasons']['ws-d'].startswith('not usable: status expired')
    assert 'unreachable' in choice['reasons']['ws-e']
    assert [r['host'] for r in choice['rows']] == ['ws-a', 'ws-b', 'ws-c', 'ws-d', 'ws-e']


def test_selection_without_usable_host():
    choice = select_session([{'host': 'h1', 'status': 'invalid', 'expires_at': None, 'problems': ['x is empty']}])
    assert choice['winner'] is None
    assert choice['reasons']['h1'] == 'not usable: status invalid (x is empty)'


def test_idle_hosts_are_named_but_never_win():
    cands = [
        {'host': 'ws-a', 'status': 'expired', 'expires_at': '2027-01-20T00:00:00Z', 'refreshable': True},
        {'host': 'ws-b', 'status': 'expired', 'expires_at': '2027-01-21T00:00:00Z', 'refreshable': True},
        {'host': 'ws-c', 'status': 'expired', 'expires_at': '2027-01-22T00:00:00Z', 'refreshable': False},
    ]
    choice = select_session(cands)
    assert choice['winner'] is None and (choice['idle'], choice['idle_expires_at']) == ('ws-b', '2027-01-21T00:00:00Z')
    assert choice['reasons']['ws-a'].startswith('idle: its access token expired at 2027-01-20T00:00:00Z')
    assert choice['reasons']['ws-c'].startswith('not usable: status expired')
    with_winner = select_session(cands + [{'host': 'ws-d', 'status': 'healthy', 'expires_at': '2027-01-23T00:00:00Z'}])
    assert with_winner['winner'] == 'ws-d' and with_winner['idle'] == 'ws-b'


def test_an_expired_session_with_a_refresh_token_is_fixed_by_using_claude_there():
    expired = {'status': 'expired', 'problems': [], 'credentials': {'has_refresh_token': True}}
    assert suggest_fix(expired, 'ws1', 'alice').startswith('run `claude -p "test"` as alice on ws1')
    assert suggest_fix(dict(expired, credentials={}), 'ws1').startswith('run `claude logout`')


def test_fix_messages_name_user_and_host():
    blanked = facts(obs(creds(accessToken='', refreshToken='', expiresAt=0)))
    fix = suggest_fix(blanked, 'ws1', 'alice')
    assert 'claude logout' in fix and 'as alice on ws1' in fix and 'setup-token' in fix
    missing_user = {'status': 'missing', 'problems': ["User 'zed' has no profile directory (C:\\Users\\zed)"],
                    'problem_codes': ['no_profile']}
    assert suggest_fix(missing_user, 'ws1').startswith('set claudeops_session_user')
    assert suggest_fix({'status': 'healthy', 'problems': []}, 'ws1') == 'nothing to do'


def test_inspect_credentials_reports_subscription():
    found, problems, status = inspect_credentials(creds(), NOW, 'f', 30 * DAY)
    assert status is None and problems == []
    assert found['subscription_type'] == 'max'
    assert found['scopes'] == ['user:inference']


@pytest.mark.parametrize('value, needle', [
    ('NaN', 'claudeAiOauth.expiresAt is not a time (not finite)'),
    ('Infinity', 'claudeAiOauth.expiresAt is not a time (not finite)'),
    ('-Infinity', 'claudeAiOauth.expiresAt is -inf, not a time'),
    ('1e20', 'claudeAiOauth.expiresAt is not a time (past the year 9999)'),
    ('1900000000', 'claudeAiOauth.expiresAt is 1900000000, which reads as seconds'),
])
def test_hostile_expiries_are_invalid_sessions_not_crashes(value, needle):
    # A capture host's file with any of these crashed claude_session_facts (int(nan), a year past 9999).
    raw = ('{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYX", "refreshToken": "r", "expiresAt": %s}}'
           % value).encode()
    creds, problems, status = inspect_credentials(raw, 1_800_000_000, 'f')
    assert status == 'invalid' and needle in problems[0].text and not creds['valid']
    assert problems[0].code == 'bad_expiry'
    assert 'CANARY' not in ' '.join(p.text for p in problems)


def test_table_columns_are_capped_and_long_cells_wrap_whole():
    fix = 'run `claude logout` then `claude login` as alice on ws1, then `claude -p "test"` to confirm it works again'
    rows = [{'host': 'ws1', 'fix': fix}, {'host': 'ws2', 'fix': None}, {'host': 'x' * 70, 'fix': 'short'}]
    lines = format_table(rows, [('host', 'HOST'), ('fix', 'FIX')], max_width=40).splitlines()
    assert max(len(line) for line in lines) <= 40 + 2 + 40
    host, rest = [line[:40].rstrip() for line in lines[2:]], [line[42:] for line in lines[2:]]
    # ws1's fix wraps onto lines whose HOST is blank, and every word is kept, in order.
    assert host[:3] == ['ws1', '', ''] and ' '.join(rest[:3]).split() == fix.split()
    assert (host[3], rest[3]) == ('ws2', '-')
    # A word longer than a line is cut, not dropped.
    assert host[4:] == ['x' * 40, 'x' * 30] and rest[4] == 'short'


def test_a_session_claiming_more_than_the_lifetime_is_invalid_never_usable():
    # #25 item 2: a session that says it expires in 300 days (a clock ahead, or a crafted file) won every selection.
    found, problems, status = inspect_credentials(creds((NOW + 300 * DAY) * 1000), NOW, 'f')
    assert status == 'invalid' and not found['valid']
    assert problems[0].code == 'too_far_ahead'
    assert 'later than a session lives' in problems[0].text and '300d' in problems[0].text and '2d' in problems[0].text
    assert 'CANARY' not in problems[0].text
    # 47 hours is inside the default 48h; 49 hours is not.
    assert inspect_credentials(creds((NOW + 47 * 3600) * 1000), NOW, 'f')[2] is None
    assert inspect_credentials(creds((NOW + 49 * 3600) * 1000), NOW, 'f')[2] == 'invalid'
    result = facts(obs(creds((NOW + 300 * DAY) * 1000)), max_lifetime=None)
    assert result['status'] == 'invalid'
    fix = suggest_fix(result, 'ws1')
    assert 'set the clock of ws1 right' in fix and 'claudeops_session_max_lifetime' in fix
