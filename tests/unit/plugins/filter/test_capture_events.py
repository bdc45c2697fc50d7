# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.claudeops.credentials.plugins.filter.capture_events import FilterModule

capture_events = FilterModule().filters()['capture_events']


def test_one_event_per_signalled_host_with_the_operators_labels():
    got = capture_events(['ws1', 'ws2'], failure='it failed', labels={'team': 'platform'})
    assert [(e['labels']['credential_source'], e['status']) for e in got] == [('ws1', 'firing'), ('ws2', 'firing')]
    assert all(e['labels']['team'] == 'platform' for e in got)
    assert capture_events('ws1')[0]['status'] == 'resolved'


@pytest.mark.parametrize('hosts', [[''], [None], [{'host': 'ws1'}]])
def test_anything_but_host_names_is_one_clear_error(hosts):
    with pytest.raises(AnsibleFilterError, match="capture_events: give capture hosts' inventory names"):
        capture_events(hosts)


def test_bad_labels_name_their_variable():
    with pytest.raises(AnsibleFilterError, match='claudeops_alert_labels'):
        capture_events('ws1', labels={'state': 'x'})
