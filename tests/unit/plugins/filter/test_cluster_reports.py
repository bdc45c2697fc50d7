# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the monitor's records and the doctor's rows read claude_secret_info's entries."""

from __future__ import annotations

import time

from ansible_collections.claudeops.credentials.plugins.filter.doctor_report import _report
from ansible_collections.claudeops.credentials.plugins.filter.token_records import _records
from ansible_collections.claudeops.credentials.plugins.module_utils._time import iso_utc

SOON = iso_utc(time.time() + 6 * 3600)  # a session lives hours


def info(**kwargs):
    entry = {'name': 'c1', 'namespace': 'claude', 'secret': 'claude-session', 'reachable': True, 'exists': True,
             'namespace_exists': True, 'managed': True, 'keys': ['.claude.json', '.credentials.json'],
             'expires_at': SOON, 'status': 'healthy', 'workloads': [], 'can_write': True,
             'error': None, 'detail': None}
    entry.update(kwargs)
    return entry


EMPTY = dict(keys=['.claude.json'], status='missing', expires_at=None,
             detail='the Secret has no credential key (.credentials.json or CLAUDE_CODE_OAUTH_TOKEN)')


def test_a_secret_without_a_credential_key_is_missing_to_the_monitor():
    report = _records([], {}, [info(**EMPTY)])
    rec = report['records'][0]
    assert rec['status'] == 'missing' and 'no credential key' in rec['detail']
    assert report['failing'] and report['events'][0]['severity'] == 'critical'


def test_a_secret_without_a_credential_key_fails_the_doctor():
    rows = _report([], {}, [info(**EMPTY)])['rows']
    present = [r for r in rows if r['check'] == 'Secret present'][0]
    assert present['result'] == 'FAIL' and 'no credential key' in present['detail'] and present['fix']
    assert not [r for r in rows if r['check'] == 'Secret fresh']


def test_a_whole_secret_is_present_and_healthy():
    assert _records([], {}, [info()])['records'][0]['status'] == 'healthy'
    rows = _report([], {}, [info()])['rows']
    assert all(r['result'] == 'ok' for r in rows)


def test_a_published_session_claiming_300_days_is_critical_with_the_reason():
    # #25 item 2: monitor-tokens.yml called it healthy; nothing newer would have been published over it.
    far = iso_utc(time.time() + 300 * 86400)
    for refreshable in (True, False):
        rec = _records([], {}, [info(expires_at=far, refreshable=refreshable)])['records'][0]
        assert rec['status'] == 'critical' and 'later than a session lives' in rec['detail'], rec
    lifted = _records([], {}, [info(expires_at=far, refreshable=True)], session_max_lifetime='400d')['records'][0]
    assert lifted['status'] == 'healthy'


def test_every_kind_of_record_renders():
    # A Secret without claudeops.io/expires-at crashed the report ('%.1f' % None) before; every shape must render.
    hostvars = {
        'ws-ok': {'claude_session': {'status': 'healthy', 'problems': [],
                                     'credentials': {'expires_at': '2099-01-01T00:00:00Z'}}},
        'ws-bad': {'claude_session': {'status': 'invalid', 'problems': ['blanked'], 'credentials': {}}},
        'ws-gone': {},
    }
    clusters = [info(name='fresh'), info(name='no-expiry', expires_at=None, status='unknown'),
                info(name='expired', expires_at='2000-01-01T00:00:00Z', status='expired'),
                info(name='down', reachable=False, error='cannot reach the API server', status='unreachable'),
                info(name='absent', exists=False, namespace_exists=False, status='missing'),
                info(name='hollow', **EMPTY),
                info(name='stale-pods', workloads=[{'kind': 'deployment', 'name': 'agent', 'current': False}])]
    report = _records(['ws-ok', 'ws-bad', 'ws-gone'], hostvars, clusters)
    by_source = dict((r['source'], r) for r in report['records'])
    assert by_source['no-expiry']['status'] == 'warning' and 'expiry unknown' in by_source['no-expiry']['detail']
    assert by_source['expired']['status'] == 'expired' and by_source['down']['status'] == 'missing'
    assert len(report['events']) == len(report['records'])
    for event in report['events']:
        assert event['description'].startswith('Claude Code credentials on ')
    assert report['markdown'].count('\n| ') == len(report['records']) + 2  # the header, its rule, the records
    rows = [line for line in report['table'].splitlines()[2:] if not line.startswith(' ')]  # the rest continue a row
    assert len(rows) == len(report['records'])
    assert max(len(line) for line in report['table'].splitlines()) < 200


def test_a_workload_whose_controller_holds_its_pods_back_fails_the_doctor_with_its_own_fix():
    held = ('updateStrategy OnDelete: its pods keep the old credentials until they are deleted (kubectl delete pod '
            '-n claude -l app=db)')
    work = [{'kind': 'statefulset', 'name': 'db', 'exists': True, 'fingerprint': 'sha256:x', 'current': False,
             'held': held},
            {'kind': 'deployment', 'name': 'agent', 'exists': True, 'fingerprint': 'sha256:x', 'current': True,
             'held': None}]
    rows = [r for r in _report([], {}, [info(workloads=work)])['rows'] if r['check'] == 'workload on current credentials']
    assert [r['result'] for r in rows] == ['FAIL', 'ok']
    assert rows[0]['detail'] == 'pods not replaced: updateStrategy OnDelete: its pods keep the old credentials until ' \
                                'they are deleted'
    assert rows[0]['fix'] == 'kubectl delete pod -n claude -l app=db'
    stale = _records([], {}, [info(workloads=work)])['records'][0]
    assert 'statefulset/db' in str(stale)


def test_a_healthy_session_row_says_when_it_expires_not_an_empty_colon():
    # #27 item 8: the doctor printed "healthy:" with nothing after the colon.
    hostvars = {'ws1': {'claude_session': {'status': 'healthy', 'problems': [], 'path': '/s',
                                           'credentials': {'expires_at': '2026-12-03T12:00:00Z'}}}}
    row = [r for r in _report(['ws1'], hostvars, [])['rows'] if r['check'] == 'session usable'][0]
    assert row['detail'] == 'healthy, expires 2026-12-03T12:00:00Z', row
