# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.claudeops.credentials.plugins.filter.select_session import FilterModule as Select
from ansible_collections.claudeops.credentials.plugins.filter.to_seconds import FilterModule as Seconds


def test_select_session_reads_hostvars_and_builds_table():
    hostvars = {
        'ws1': {'claude_session': {'status': 'healthy', 'credentials': {'expires_at': '2027-01-01T00:00:00Z'}}},
        'ws2': {'claude_session': {'status': 'healthy', 'credentials': {'expires_at': '2027-02-01T00:00:00Z'}}},
        'ws3': {},
    }
    choice = Select().filters()['select_session'](['ws1', 'ws2', 'ws3'], hostvars)
    assert choice['winner'] == 'ws2'
    lines = choice['table'].splitlines()
    assert lines[0].split() == ['HOST', 'STATUS', 'EXPIRES', 'AT', 'DECISION']
    assert lines[2].startswith('ws1') and 'expires earlier' in lines[2]
    # A long decision wraps onto continuation lines (HOST blank there).
    ws3 = [n for n, line in enumerate(lines) if line.startswith('ws3')][0]
    assert 'unreachable' in ' '.join(lines[ws3:])


def test_select_session_rejects_non_list():
    with pytest.raises(AnsibleFilterError):
        Select().filters()['select_session']('ws1', {})


def test_to_seconds():
    assert Seconds().filters()['to_seconds']('1d12h') == 129600
    with pytest.raises(AnsibleFilterError, match='not a duration'):
        Seconds().filters()['to_seconds']('eventually')


def test_a_host_that_failed_a_capture_check_is_never_chosen():
    # ws-late expires last but failed claudeops_min_valid_for in the capture role; its status still says healthy.
    hostvars = {
        'ws-late': {'claude_session': {'status': 'healthy', 'credentials': {'expires_at': '2030-01-02T00:00:00Z'}},
                    'claudeops_capture_verdict': {'passed': 'False', 'problem': 'expires sooner than claudeops_min_valid_for'}},
        'ws-early': {'claude_session': {'status': 'healthy', 'credentials': {'expires_at': '2030-01-01T00:00:00Z'}},
                     'claudeops_capture_verdict': {'passed': True, 'problem': ''}},
    }
    choice = Select().filters()["select_session"](["ws-late", "ws-early"], hostvars)
    assert choice['winner'] == 'ws-early'
    assert 'claudeops_min_valid_for' in choice['reasons']['ws-late']
    assert [r['usable'] for r in choice['rows']] == [True, False]
    hostvars['ws-early']['claudeops_capture_verdict'] = {'passed': False, 'problem': 'the capture role did not finish'}
    assert Select().filters()["select_session"](["ws-late", "ws-early"], hostvars)["winner"] is None
