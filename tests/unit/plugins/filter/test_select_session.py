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
    assert 'unreachable' in lines[4]


def test_select_session_rejects_non_list():
    with pytest.raises(AnsibleFilterError):
        Select().filters()['select_session']('ws1', {})


def test_to_seconds():
    assert Seconds().filters()['to_seconds']('1d12h') == 129600
    with pytest.raises(AnsibleFilterError, match='not a duration'):
        Seconds().filters()['to_seconds']('eventually')
