# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The login signal's decisions and expiry_watch's events (the I/O around them runs in the event_driven target)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError, Refusal
from ansible_collections.claudeops.credentials.plugins.module_utils._signal import (
    Head,
    RefusalLog,
    check_settings,
    expiry_events,
    hook_problem,
    hosts_of_group,
    judge_body,
    judge_head,
    listener_settings,
    token_problem,
    too_deep,
)

TOKEN = 'bearer-0123456789abcdef'
HOSTS = ['ws1', 'ws2']
CANARY = 'sk-ant-oat01-CANARYUNITSIGNAL-abcdefghij'
SHORT = 'Zq7tW3xN9pL2vB8k'  # a secret shorter than the credential shapes


def head_of(raw, max_bytes=8192):
    """The Head of raw (request line and headers, CRLF ends), fed line by line as the listener reads it."""
    head = Head(max_bytes)
    lines = raw.split(b'\n')
    for i, line in enumerate(lines[:-1]):
        if head.feed(line + b'\n'):
            assert i == len(lines) - 2, 'the head ended early'
            return head
    raise AssertionError('the head did not end')


def request(method='POST', path='/login', auth='Bearer ' + TOKEN, length=15, extra=()):
    lines = ['%s %s HTTP/1.1' % (method, path), 'Host: listener:5443']
    if auth is not None:
        lines.append('Authorization: ' + auth)
    if length is not None:
        lines.append('Content-Length: %s' % length)
    return ('\r\n'.join(lines + list(extra)) + '\r\n\r\n').encode('latin-1')


def signal(body=None, raw=None, **head):
    length = judge_head(head_of(request(**head)), TOKEN, 1024)
    data = raw if raw is not None else json.dumps({'host': 'ws1'} if body is None else body).encode()
    return length, judge_body(data, HOSTS)


def refused(**kwargs):
    with pytest.raises(Refusal) as info:
        signal(**kwargs)
    for value in (CANARY, TOKEN, SHORT, 'alice', 'ws9'):
        assert value not in info.value.reason
    return info.value.status, info.value.reason


def test_a_good_signal_names_its_host():
    assert signal() == (15, 'ws1')
    assert signal({'host': 'ws2'}, path='/login/') == (15, 'ws2')


@pytest.mark.parametrize('kwargs, status', [
    (dict(auth='Bearer wrong-token-0123456789'), 401),
    (dict(auth=None), 401),
    (dict(auth='Basic ' + TOKEN), 401),
    (dict(auth='Bearer ' + TOKEN + 'x'), 401),
    (dict(method='GET'), 405),
    (dict(method='BREW'), 405),
    (dict(path='/'), 404),
    (dict(length=5000), 413),
    (dict(length=None), 411),
    (dict(length='+15'), 400),
    (dict(length='1_5'), 400),
    (dict(length='15, 15'), 400),
    (dict(length='12345678901'), 400),
    (dict(extra=['Transfer-Encoding: chunked']), 400),
    (dict(length=None, extra=['Transfer-Encoding: chunked']), 411),
    (dict(raw=b'host=ws1'), 400),
    (dict(raw=b'\xff\xfe'), 400),
    (dict(raw=b'[' * 990 + b']' * 990), 400),
    (dict(raw=b'{"host": "ws1\\n"}'), 400),
    (dict(raw=b'{"host": "ws1\n"}'), 400),
    (dict(body=['ws1']), 400),
    (dict(body={'host': 'ws9'}), 403),
    (dict(body={'host': SHORT}), 403),
    (dict(body={'host': TOKEN}), 403),
    (dict(body={'host': 'ws1', 'user': 'alice'}), 400),
    (dict(body={'host': 'ws1', SHORT: 1}), 400),
    (dict(body={}), 400),
    (dict(body={'host': 7}), 400),
    (dict(body={'host': 'ws1;rm -rf /'}), 400),
])
def test_each_bad_signal_has_its_status_and_a_reason_without_its_values(kwargs, status):
    assert refused(**kwargs)[0] == status


@pytest.mark.parametrize('raw, status, what', [
    (b'POST /login\r\n', 400, 'request line'),
    (b'POST /login HTTP/2.0\r\n', 400, 'version'),
    (b'POST login HTTP/1.1\r\n', 400, 'request line'),
    (b'POST  /login HTTP/1.1\r\n', 400, 'request line'),
    (b'POST /login HTTP/1.1\n', 400, 'CRLF'),
    (b'POST /login HTTP/1.1\r\nHost: a\n', 400, 'CRLF'),
    (b'POST /login HTTP/1.1\r\nHost: a\rb\r\n', 400, 'CRLF'),
    (b'POST /login HTTP/1.1\r\nHost : a\r\n', 400, 'colon'),
    (b'POST /login HTTP/1.1\r\nHost a\r\n', 400, 'colon'),
    (b'POST /login HTTP/1.1\r\nHost: a\r\n folded\r\n', 400, 'folded'),
    (b'POST /login HTTP/1.1\r\nX-A: a\x00b\r\n', 400, 'control character'),
    (b'POST /login HTTP/1.1\r\nHost: a\r\nhost: a\r\n', 400, 'Host header twice'),
    (b'POST /login HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n', 400, 'Content-Length header twice'),
    (b'POST /login HTTP/1.1\r\n\r\n', 400, 'no Host'),
    (b'POST /login HTTP/1.1\r\nX-Pad: ' + b'a' * 9000 + b'\r\n', 431, '8192 bytes'),
])
def test_a_head_that_breaks_http_framing_is_refused_at_its_line(raw, status, what):
    head = Head(8192)
    with pytest.raises(Refusal) as info:
        for line in raw.split(b'\n')[:-1]:
            head.feed(line + b'\n')
        head.feed(b'\r\n')
    assert (info.value.status, what in info.value.reason) == (status, True), info.value.reason


def test_a_head_keeps_only_the_fields_the_listener_reads_and_counts_every_byte():
    head = Head(8192)
    assert not head.feed(b'POST /login HTTP/1.0\r\n')
    for i in range(50):
        assert not head.feed(b'X-Pad-%d: %s\r\n' % (i, b'a' * 100))
    assert head.feed(b'\r\n')  # HTTP/1.0 needs no Host
    assert head.fields == {} and head.size > 5000
    with pytest.raises(Refusal) as info:
        head_of(b'POST /login HTTP/1.1\r\n' + b'X-Pad: aaaaaaaaaa\r\n' * 500 + b'\r\n')
    assert info.value.status == 431


def test_the_token_is_judged_from_the_head_before_any_body():
    # judge_head needs no body: a wrong token is refused whatever the body would be.
    head = head_of(request(auth='Bearer nope-0123456789abcdef', length=1000))
    with pytest.raises(Refusal) as info:
        judge_head(head, TOKEN, 1024)
    assert info.value.status == 401
    assert head_of(request(extra=['Expect: 100-continue'])).expects_continue()


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


def test_too_deep_skips_strings():
    assert not too_deep('{"host": "[[[[[[[[[[[[[[[[[[[["}')
    assert not too_deep('{"a": "\\"[[[[[[[[[[[[[["}')
    assert too_deep('[' * 9)
    assert not too_deep('[' * 8)


def test_settings_take_numbers_as_rulebooks_render_them_and_name_a_bad_one():
    assert listener_settings({}) == {'port': 5443, 'max_body': 1024, 'max_connections': 64, 'max_header_bytes': 8192,
                                     'refusal_log_interval': 10}
    assert listener_settings({'port': '0', 'max_connections': '300', 'max_body': ''})['max_connections'] == 300
    for args, what in (({'max_body': 10}, 'max_body'), ({'max_body': True}, 'max_body'),
                       ({'max_connections': 0}, 'max_connections'), ({'port': 'https'}, 'port'),
                       ({'max_header_bytes': 10 ** 6}, 'max_header_bytes')):
        with pytest.raises(ValueError) as info:
            listener_settings(args)
        assert 'login_signal: %s must be a whole number' % what in str(info.value)


@pytest.mark.parametrize('token, hosts, what', [
    ('short', HOSTS, 'token must be'),
    (None, HOSTS, 'token must be'),
    (TOKEN, [], 'hosts (or inventory)'),
    (TOKEN, ['ws1', 'bad host'], '1 entry that is not'),
    (TOKEN, ['ws1', 'ws2\n'], '1 entry that is not'),
])
def test_settings_the_listener_refuses_to_start_with(token, hosts, what):
    with pytest.raises(ValueError) as info:
        check_settings(token, hosts)
    assert what in str(info.value)


class Clock(object):
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_refusals_are_one_line_at_once_then_one_line_with_counts_per_interval():
    lines, clock = [], Clock()
    log = RefusalLog(lines.append, 10, clock)
    log.add('10.0.0.1', 'HTTP 401 (no Authorization header)')
    assert lines == ['login_signal: refused a connection from 10.0.0.1: HTTP 401 (no Authorization header)']
    for i in range(300):
        clock.now += 0.01
        log.add('10.0.0.%d' % (i % 5), 'HTTP 401 (no Authorization header)' if i % 3 else 'dropped (x)')
        log.flush()
    assert len(lines) == 1  # nothing more within the interval
    clock.now = 110.0
    log.flush()
    assert lines[1] == ('login_signal: refused 300 more connections in the last 10 s, from 5 addresses (10.0.0.0, '
                        '10.0.0.1, 10.0.0.2, ...): 200 HTTP 401 (no Authorization header), 100 dropped (x)')
    log.flush(force=True)
    assert len(lines) == 2  # nothing left to write
    clock.now = 125.0
    log.add('10.0.0.9', 'dropped (x)')  # a quiet interval later: at once again
    assert lines[2] == 'login_signal: refused a connection from 10.0.0.9: dropped (x)'
    log.add('10.0.0.9', 'dropped (x)')
    log.flush(force=True)  # when the listener stops
    assert lines[3].startswith('login_signal: refused 1 more connection in the last 0 s, from 1 address (10.0.0.9)')


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


def test_say_writes_one_line_in_the_form_of_the_rulebook_log():
    # #27 item 2: where the listener listens and each accepted signal show at ansible-rulebook's default verbosity.
    import io
    from ansible_collections.claudeops.credentials.plugins.module_utils._signal import say
    out = io.StringIO()
    say('login_signal', 'login_signal: listening on 127.0.0.1:5443 (https)', stream=out, clock=lambda: 0)
    line = out.getvalue()
    assert line.endswith(' - claudeops.credentials.login_signal - login_signal: listening on 127.0.0.1:5443 (https)\n')
    assert line.count('\n') == 1


@pytest.mark.parametrize('args, needle', [
    (('http://eda.example.com:5443/login', 'x' * 32, 'ws1'), 'claudeops_login_hook_url: give'),
    (('https://eda.example.com:5443/login', 'short', 'ws1'), 'claudeops_login_hook_token'),
    (('https://eda.example.com:5443/login', 'sk-ant-oat01-' + 'x' * 20, 'ws1'), 'is a Claude token'),
    (('https://eda.example.com:5443/login', 'x' * 32, 'ws 1'), "claudeops_login_hook_host: 'ws 1'"),
    (('https://eda.example.com:5443/login', 'x' * 32, 'ws1', '', True), 'claudeops_login_hook_user'),
])
def test_the_login_hook_settings_meet_the_listeners_own_rules(args, needle):
    # #29 item 5: the role asks the listener's rules (token_problem, HOST_NAME) instead of repeating them in Jinja.
    problem = hook_problem(*args)
    assert needle in problem
    assert 'sk-ant-oat01-xxxx' not in problem
    assert hook_problem('http://127.0.0.1:5443/login', 'x' * 32, 'ws1') is None
    assert hook_problem('https://eda.example.com/login', 'x' * 32, 'ws1', 'alice', True) is None


def test_the_listener_refuses_the_token_the_hook_refuses():
    for token in ('short', 'sk-ant-oat01-' + 'x' * 20):
        assert token_problem(token)
        with pytest.raises(InputError) as caught:
            check_settings(token, ['ws1'])
        assert caught.value.option == 'token'
    check_settings('x' * 16, ['ws1'])
