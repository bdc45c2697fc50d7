# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The login signal's decisions and expiry_watch's events (the I/O around them runs in the event_driven target)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.claudeops.credentials.plugins.module_utils._signal import (
    Refusal,
    check_settings,
    expiry_events,
    hosts_of_group,
    judge,
)

TOKEN = 'bearer-0123456789abcdef'
HOSTS = ['ws1', 'ws2']
CANARY = 'sk-ant-oat01-CANARYUNITSIGNAL-abcdefghij'


def signal(body=None, method='POST', path='/login', auth='Bearer ' + TOKEN, length=None, raw=None):
    data = raw if raw is not None else json.dumps({'host': 'ws1'} if body is None else body).encode()
    return judge(method, path, auth, len(data) if length is None else length, data, TOKEN, HOSTS, 1024)


def refused(**kwargs):
    with pytest.raises(Refusal) as info:
        signal(**kwargs)
    assert CANARY not in info.value.reason and TOKEN not in info.value.reason
    return info.value.status, info.value.reason


def test_a_good_signal_names_its_host():
    assert signal() == 'ws1'
    assert signal({'host': 'ws2'}, path='/login/') == 'ws2'


@pytest.mark.parametrize('kwargs, status', [
    (dict(auth='Bearer wrong-token-0123456789'), 401),
    (dict(auth=None), 401),
    (dict(auth='Basic ' + TOKEN), 401),
    (dict(auth='Bearer ' + TOKEN + 'x'), 401),
    (dict(method='GET'), 405),
    (dict(path='/'), 404),
    (dict(length=5000), 413),
    (dict(raw=b'x' * 1025, length=0), 413),
    (dict(raw=b'host=ws1'), 400),
    (dict(raw=b'\xff\xfe'), 400),
    (dict(body=['ws1']), 400),
    (dict(body={'host': 'ws9'}), 403),
    (dict(body={'host': 'ws1', 'user': 'alice'}), 400),
    (dict(body={}), 400),
    (dict(body={'host': 7}), 400),
    (dict(body={'host': 'ws1;rm -rf /'}), 400),
])
def test_each_bad_signal_has_its_status(kwargs, status):
    assert refused(**kwargs)[0] == status


@pytest.mark.parametrize('body', [
    {'host': 'ws1', 'token': 'x'},
    {'host': 'ws1', 'refreshToken': 'x'},
    {'host': 'ws1', 'note': CANARY},
    {'host': CANARY},
    {'host': 'ws1', CANARY: 1},
    {'host': 'ws1', 'x': {'deep': [CANARY]}},
    {'host': 'ws1', 'jwt': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'},
])
def test_a_field_that_looks_like_a_credential_is_refused_without_its_value(body):
    status, reason = refused(body=body)
    assert status == 400 and 'looks like a credential' in reason and 'value not logged' in reason


def test_an_unauthorized_body_is_not_even_parsed():
    assert refused(auth='Bearer nope-0123456789abcdef', body={'host': CANARY})[0] == 401


@pytest.mark.parametrize('token, hosts, max_body, what', [
    ('short', HOSTS, 1024, 'token must be'),
    (None, HOSTS, 1024, 'token must be'),
    (TOKEN, [], 1024, 'hosts (or inventory)'),
    (TOKEN, ['ws1', 'bad host'], 1024, '1 entry that is not'),
    (TOKEN, HOSTS, 10, 'max_body'),
    (TOKEN, HOSTS, True, 'max_body'),
])
def test_settings_the_listener_refuses_to_start_with(token, hosts, max_body, what):
    with pytest.raises(ValueError) as info:
        check_settings(token, hosts, max_body)
    assert what in str(info.value)


def test_hosts_of_a_group_include_its_children():
    inventory = {'claude_hosts': {'hosts': ['ws1'], 'children': ['windows']}, 'windows': {'hosts': ['ws2', 'ws1']},
                 'other': {'hosts': ['db']}}
    assert hosts_of_group(inventory, 'claude_hosts') == ['ws1', 'ws2']
    assert hosts_of_group(inventory, 'missing') == []


def record(name, status, **extra):
    out = {'name': name, 'namespace': 'claude', 'secret': 'claude-session', 'status': status, 'kind': 'session',
           'refreshable': True, 'expires_at': None, 'expires_in': None, 'detail': None, 'error': None}
    out.update(extra)
    return out


def test_expiry_events_report_changes_only():
    events, state = expiry_events(None, [record('c1', 'healthy'), record('c2', 'missing')])
    assert [(e['cluster'], e['status'], e['previous']) for e in events] == [('c2', 'missing', None)]
    events, state = expiry_events(state, [record('c1', 'healthy'), record('c2', 'missing')])
    assert events == []
    events, state = expiry_events(state, [record('c1', 'critical'), record('c2', 'healthy')])
    changes = [(e['cluster'], e['status'], e['previous']) for e in events]
    assert changes == [('c1', 'critical', 'healthy'), ('c2', 'healthy', 'missing')]
    assert state == {'c1': 'critical', 'c2': 'healthy'}
    assert set(events[0]) == {'cluster', 'namespace', 'secret', 'status', 'kind', 'refreshable', 'expires_at',
                              'expires_in', 'detail', 'error', 'previous'}
