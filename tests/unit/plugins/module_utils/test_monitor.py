# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import (
    classify,
    events,
    markdown,
    record,
    worst,
)

NOW = 1_800_000_000
H = 3600
D = 86400


@pytest.mark.parametrize('remaining, status', [
    (10 * D, 'healthy'), (3 * D + 1, 'healthy'), (3 * D, 'warning'), (D + 1, 'warning'), (D, 'critical'),
    (1, 'critical'), (0, 'expired'), (-H, 'expired'),
])
def test_thresholds_are_inclusive_at_the_boundary(remaining, status):
    assert classify(NOW + remaining, NOW, 3 * D, D) == status


def test_missing():
    assert classify(None, NOW, 3 * D, D) == 'missing'
    assert classify(NOW + D * 9, NOW, 3 * D, D, present=False) == 'missing'


def test_record_contract():
    rec = record('ws1', 'host', NOW + 36 * H, NOW, 3 * D, D)
    assert set(rec) == {'source', 'kind', 'expires_at', 'days_remaining', 'hours_remaining', 'is_expired',
                        'needs_refresh', 'status', 'detail'}
    assert rec['status'] == 'warning' and rec['hours_remaining'] == 36.0 and rec['days_remaining'] == 1.5
    assert rec['needs_refresh'] and not rec['is_expired']
    expired = record('c1', 'cluster', '2027-01-15T07:00:00Z', NOW, 3 * D, D)
    assert expired['is_expired'] and expired['hours_remaining'] == -1.0
    missing = record('c2', 'cluster', None, NOW, 3 * D, D, present=False, detail='no Secret')
    assert missing['expires_at'] is None and missing['days_remaining'] is None and missing['status'] == 'missing'


def test_worst_order():
    recs = [record('a', 'host', NOW + 10 * D, NOW, 3 * D, D), record('b', 'host', NOW + H, NOW, 3 * D, D)]
    assert worst(recs) == 'critical'
    assert worst([]) == 'healthy'


def test_events_one_per_problem_and_resolved_for_every_healthy_source():
    recs = [record('ok', 'host', NOW + 10 * D, NOW, 3 * D, D), record('soon', 'cluster', NOW + 2 * D, NOW, 3 * D, D),
            record('gone', 'cluster', None, NOW, 3 * D, D, present=False, detail='no Secret claude/x')]
    out = events(recs)
    assert [(e['status'], e['severity'], e['labels']['credential_source']) for e in out] == [
        ('resolved', 'info', 'ok'), ('firing', 'warning', 'soon'), ('firing', 'critical', 'gone')]
    for e in out:
        assert e['name'] == 'ClaudeOAuthTokenExpiry' and e['source'] == 'claudeops.credentials'
    assert 'missing: no Secret claude/x' in out[2]['description']
    assert events([recs[0]], resolved=False) == []


def test_markdown_escapes_pipes():
    text = markdown([record('a|b', 'host', None, NOW, 3 * D, D, present=False, detail='x|y')], 'T')
    assert '| a\\|b | host | missing | - | - | x\\|y |' in text
