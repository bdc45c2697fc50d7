# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import (
    FAILING,
    alert_id,
    alert_requests,
    alert_url,
    check_labels,
    cluster_record,
    events,
    expiry_status,
    host_record,
    last_captures,
    markdown,
    overall_status,
    plain_text,
    record,
    session_sources,
    staleness,
    thresholds,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._time import iso_utc

NOW = 1_800_000_000
M = 60
H = 3600
D = 86400
TH = thresholds({})


@pytest.mark.parametrize('remaining, status', [
    (10 * D, 'healthy'), (3 * D + 1, 'healthy'), (3 * D, 'warning'), (D + 1, 'warning'), (D, 'critical'),
    (1, 'critical'), (0, 'expired'), (-H, 'expired'),
])
def test_thresholds_are_inclusive_at_the_boundary(remaining, status):
    assert expiry_status(NOW + remaining, NOW, 3 * D, D) == status


def test_missing():
    assert expiry_status(None, NOW, 3 * D, D) == 'missing'
    assert expiry_status(NOW + D * 9, NOW, 3 * D, D, present=False) == 'missing'


def test_default_thresholds_per_kind():
    assert TH == {'warning_within': 30 * D, 'critical_within': 7 * D, 'session_warning_within': H,
                  'session_critical_within': 15 * M, 'session_max_lifetime': 48 * H, 'capture_interval': 6 * H,
                  'capture_grace': 2 * H}


@pytest.mark.parametrize('values, names, message', [
    ({'warning_within': 'soon'}, {}, "warning_within: 'soon' is not a duration"),
    ({'capture_grace': 'x'}, {'capture_grace': 'claudeops_capture_grace'}, "claudeops_capture_grace: 'x'"),
    ({'critical_within': '40d'}, {}, 'critical_within (40d) is longer than warning_within (30d)'),
    ({'session_critical_within': '2h'}, {}, 'session_critical_within (2h) is longer than session_warning_within'),
    ({'capture_interval': '0'}, {}, 'capture_interval must be longer than 0'),
])
def test_bad_thresholds_name_the_option(values, names, message):
    with pytest.raises(InputError) as err:
        thresholds(values, names)
    assert message in str(err.value)
    assert isinstance(InputError('x'), InputError)


def test_record_contract():
    rec = record('ws1', 'host', 'warning', NOW + 36 * H, NOW, credential='token')
    assert set(rec) == {'source', 'kind', 'credential', 'expires_at', 'days_remaining', 'hours_remaining',
                        'is_expired', 'needs_refresh', 'status', 'detail'}
    assert rec['hours_remaining'] == 36.0 and rec['days_remaining'] == 1.5
    assert rec['needs_refresh'] and not rec['is_expired']
    expired = record('c1', 'cluster', 'expired', '2027-01-15T07:00:00Z', NOW)
    assert expired['is_expired'] and expired['hours_remaining'] == -1.0
    missing = record('c2', 'cluster', 'missing', detail='no Secret')
    assert missing['expires_at'] is None and missing['days_remaining'] is None


def facts(status='healthy', expires_in=6 * H, refresh=True, written_ago=2 * H, now=NOW):
    return {'status': status, 'problems': [],
            'credentials': {'expires_at': iso_utc(now + expires_in), 'has_refresh_token': refresh},
            'files': [{'name': '.credentials.json', 'mtime': iso_utc(now - written_ago)}]}


def cluster(kind='session', expires_in=6 * H, refreshable=True, now=NOW, **kwargs):
    entry = {'name': 'c1', 'namespace': 'claude', 'secret': 'claude-session', 'exists': True, 'status': 'healthy',
             'kind': kind, 'refreshable': refreshable if kind == 'session' else None,
             'expires_at': iso_utc(now + expires_in), 'workloads': [], 'error': None, 'detail': None}
    entry.update(kwargs)
    return entry


def test_a_session_captured_a_minute_ago_is_healthy_everywhere():
    # Before: one 3d/1d threshold made every 8-hour session 'expiring'/'critical', so the daily monitor always failed.
    host = host_record('ws1', facts(expires_in=8 * H - M, written_ago=M), NOW, TH)
    published = cluster_record(cluster(expires_in=8 * H - M), NOW, TH, session_sources({'ws1': facts(
        expires_in=8 * H - M, written_ago=M)}))
    assert (host['status'], published['status']) == ('healthy', 'healthy')
    assert host['credential'] == published['credential'] == 'session'


def test_a_published_session_whose_access_token_expired_is_healthy_when_it_holds_a_refresh_token():
    rec = cluster_record(cluster(expires_in=-3 * H), NOW, TH, [])
    assert rec['status'] == 'healthy' and 'the refresh token renews it' in rec['detail']
    assert rec['hours_remaining'] == -3.0 and not rec['is_expired']


def test_a_session_without_a_refresh_token_is_judged_by_its_access_token():
    assert cluster_record(cluster(expires_in=2 * H, refreshable=False), NOW, TH)['status'] == 'healthy'
    assert cluster_record(cluster(expires_in=30 * M, refreshable=False), NOW, TH)['status'] == 'warning'
    rec = cluster_record(cluster(expires_in=10 * M, refreshable=False), NOW, TH)
    assert rec['status'] == 'critical' and 'without a refresh token' in rec['detail']
    assert cluster_record(cluster(expires_in=-M, refreshable=False), NOW, TH)['status'] == 'expired'


@pytest.mark.parametrize('left, status', [(60 * D, 'healthy'), (20 * D, 'warning'), (3 * D, 'critical'),
                                          (-D, 'expired')])
def test_a_long_lived_token_is_judged_by_its_year(left, status):
    assert cluster_record(cluster(kind='token', expires_in=left), NOW, TH)['status'] == status


def test_a_token_is_never_compared_with_the_sessions_on_the_hosts():
    sources = session_sources({'ws1': facts(expires_in=7 * H, written_ago=20 * H)})
    assert cluster_record(cluster(kind='token', expires_in=60 * D), NOW, TH, sources)['status'] == 'healthy'


@pytest.mark.parametrize('waited, status', [(0, 'healthy'), (6 * H, 'healthy'), (6 * H + 1, 'warning'),
                                            (8 * H, 'warning'), (8 * H + 1, 'stale')])
def test_a_newer_session_on_a_host_makes_the_cluster_stale_after_interval_plus_grace(waited, status):
    sources = session_sources({'ws1': facts(expires_in=7 * H, written_ago=waited)})
    rec = cluster_record(cluster(expires_in=-2 * H), NOW, TH, sources)
    assert rec['status'] == status
    assert 'a newer session on ws1' in rec['detail']
    assert (status in FAILING) == (status == 'stale')


def test_the_same_or_an_older_session_on_the_host_is_not_newer():
    for expires_in in (-2 * H, -5 * H):
        sources = session_sources({'ws1': facts(status='expired', expires_in=expires_in, written_ago=30 * H)})
        assert staleness(NOW - 2 * H, sources, NOW, TH) == ('healthy', '')
    sources = session_sources({'ws1': facts(expires_in=-2 * H + 0, written_ago=30 * H)})
    assert staleness(NOW - 2 * H, sources, NOW, TH)[0] == 'healthy'


def test_every_well_formed_session_counts_also_an_expired_one():
    # An expired session newer than the published one means Claude Code on the host refreshed after the capture:
    # the refresh token the cluster holds is spent.
    unusable = dict((s, facts(status=s, written_ago=D)) for s in ('invalid', 'missing'))
    assert session_sources(unusable) == []
    found = session_sources({'a': facts(status='expiring'), 'b': None, 'c': facts(status='expired', expires_in=-H)})
    assert [h for h, _e, _s in found] == ['a', 'c']


def test_a_source_without_a_file_time_is_dated_by_its_expiry():
    no_time = facts(expires_in=7 * H)
    no_time['files'] = []
    assert session_sources({'ws1': no_time}) == [('ws1', NOW + 7 * H, NOW + 7 * H - 8 * H)]


def test_the_longest_waiting_newer_session_decides():
    sources = session_sources({'a': facts(expires_in=7 * H, written_ago=H),
                               'b': facts(expires_in=5 * H, written_ago=9 * H)})
    status, detail = staleness(NOW, sources, NOW, TH)
    assert status == 'stale' and 'on b' in detail


@pytest.mark.parametrize('host_facts, status, words', [
    (None, 'missing', 'unreachable'),
    (dict(facts(), status='invalid', problems=['blanked']), 'missing', 'invalid: blanked'),
    (dict(facts(), status='busy', problems=['x was being written while it was read, twice']), 'warning',
     'busy: x was being written'),
    (facts(status='expired', expires_in=-H), 'warning', 'renews it when next used'),
    (facts(status='expired', expires_in=-H, refresh=False), 'expired', ''),
    (facts(expires_in=10 * M), 'healthy', ''),
    (facts(expires_in=10 * M, refresh=False), 'critical', 'without a refresh token'),
])
def test_host_records(host_facts, status, words):
    rec = host_record('ws1', host_facts, NOW, TH)
    assert rec['status'] == status and words in rec['detail']


def test_worst_order():
    recs = [record('a', 'host', 'healthy'), record('b', 'cluster', 'stale'), record('c', 'host', 'critical')]
    assert overall_status(recs) == 'stale'
    assert overall_status([]) == 'healthy'


def test_events_one_per_problem_and_resolved_for_every_healthy_source():
    recs = [record('ok', 'host', 'healthy', NOW + 10 * D, NOW),
            record('soon', 'cluster', 'warning', NOW + 20 * D, NOW, credential='token'),
            record('gone', 'cluster', 'missing', detail='no Secret claude/x'),
            record('old', 'cluster', 'stale', NOW - H, NOW, detail='a newer session on ws1 ...', credential='session')]
    out = events(recs)
    assert [(e['status'], e['severity'], e['labels']['credential_source']) for e in out] == [
        ('resolved', 'info', 'ok'), ('firing', 'warning', 'soon'), ('firing', 'critical', 'gone'),
        ('firing', 'critical', 'old')]
    for e in out:
        assert e['name'] == 'ClaudeOAuthTokenExpiry' and e['source'] == 'claudeops.credentials'
    assert 'missing: no Secret claude/x' in out[2]['description']
    assert 'claude setup-token' in out[1]['description'] and 'stale: a newer session' in out[3]['description']
    assert events([recs[0]], resolved=False) == []


def test_fingerprint_is_stable_per_source_and_labels_whatever_the_status():
    warn = events([record('c1', 'cluster', 'warning', NOW + 20 * D, NOW, credential='token')])[0]
    crit = events([record('c1', 'cluster', 'critical', NOW + 2 * D, NOW, credential='token')])[0]
    ok = events([record('c1', 'cluster', 'healthy', NOW + 200 * D, NOW, credential='token')])[0]
    assert warn['fingerprint'] == crit['fingerprint'] == ok['fingerprint'] == alert_id('cluster', 'c1')
    assert alert_id('host', 'c1') != alert_id('cluster', 'c1') != alert_id('cluster', 'c2')
    assert alert_id('cluster', 'c1', {'team': 'a'}) != alert_id('cluster', 'c1', {'team': 'b'})
    labelled = events([record('c1', 'cluster', 'warning', NOW + 20 * D, NOW)], labels={'team': 'a'})[0]
    assert labelled['labels'] == {'team': 'a', 'credential_source': 'c1', 'kind': 'cluster', 'state': 'warning'}


@pytest.mark.parametrize('labels, fragment', [
    ({'bad-name': 'x'}, "'bad-name' is not a label name"),
    ({'1team': 'x'}, 'is not a label name'),
    ({'kind': 'x'}, 'kind is set by the monitor itself'),
    ({'team': {'a': 1}}, 'the value of team must be a string'),
    (['team'], 'must be a mapping'),
])
def test_bad_labels_are_one_clear_error(labels, fragment):
    with pytest.raises(InputError, match=fragment) as err:
        check_labels(labels)
    assert str(err.value).startswith('claudeops_alert_labels')


def test_check_labels_stringifies_values():
    assert check_labels({'team': 'platform', 'tier': 1}) == {'team': 'platform', 'tier': '1'}
    assert check_labels(None) == {} and check_labels('') == {}


@pytest.mark.parametrize('text, leaked', [
    ('cannot read /home/alice/sk-ant-oat01-abc/kubeconfig: no such file', ['alice', 'sk-ant-oat01']),
    ('token sk-ant-oat01-AbC_d-e9 refused', ['AbC_d']),
    ('https://bob:hunter2@kube.example.com:6443/api down', ['bob', 'hunter2']),
    (r'C:\Users\carol\.kube\config missing', ['carol']),
])
def test_scrub_keeps_secrets_and_paths_out_of_alert_text(text, leaked):
    out = plain_text(text)
    for word in leaked:
        assert word not in out, out


def test_scrub_keeps_what_people_need():
    # Which cluster stays (its host and port); the link does not (#25 item 7: no links in an alert).
    text = 'no Secret claude/claude-session at https://kube.example.com:6443/api; expires 2026-01-01T00:00:00Z'
    assert plain_text(text) == 'no Secret claude/claude-session at kube.example.com:6443; expires 2026-01-01T00:00:00Z'


def test_alert_url_adds_the_api_path_only_to_a_bare_server():
    assert alert_url('https://keep.example.com', 'keep') == 'https://keep.example.com/alerts/event'
    assert alert_url('https://keep.example.com/', 'keep') == 'https://keep.example.com/alerts/event'
    assert alert_url('http://am:9093', 'alertmanager') == 'http://am:9093/api/v2/alerts'
    assert alert_url('http://am:9093/proxy/api/v2/alerts', 'alertmanager') == 'http://am:9093/proxy/api/v2/alerts'
    assert alert_url('https://hooks.example.com', 'generic') == 'https://hooks.example.com'
    with pytest.raises(InputError, match="claudeops_alert_format: 'pagerduty' is not one of"):
        alert_url('https://x', 'pagerduty')
    with pytest.raises(InputError, match='is not an http'):
        alert_url('keep.example.com', 'keep')
    with pytest.raises(InputError) as err:
        alert_url('ftp://u:secret@x', 'keep')
    assert 'secret' not in str(err.value)


def _sample_events():
    return events([record('ok', 'host', 'healthy', NOW + 10 * H, NOW, credential='session'),
                   record('c3', 'cluster', 'critical', NOW + 3 * D, NOW, credential='token')], labels={'team': 'p'})


def test_keep_requests_carry_what_keep_requires():
    reqs = alert_requests(_sample_events(), 'keep', 'https://keep.example.com', NOW + 0.25, 25 * H)
    assert [r['url'] for r in reqs] == ['https://keep.example.com/alerts/event'] * 2
    body = reqs[1]['body']
    assert {'id', 'name', 'status', 'lastReceived', 'source'} <= set(body)
    assert body['source'] == ['claudeops.credentials'] and body['status'] == 'firing'
    assert body['severity'] == 'critical' and body['id'] == body['fingerprint'] == alert_id('cluster', 'c3', {'team': 'p'})
    assert body['lastReceived'] == iso_utc(NOW)[:-1] + '.250Z'
    assert reqs[0]['body']['status'] == 'resolved' and reqs[0]['label'] == 'resolved info ok'


def test_alert_times_never_go_back_at_the_end_of_a_second():
    body = alert_requests(_sample_events(), 'keep', 'https://k.example.com', NOW + 0.9999, H)[0]['body']
    assert body['lastReceived'] == iso_utc(NOW)[:-1] + '.999Z'


def test_alertmanager_request_is_one_batch_with_stable_labels():
    reqs = alert_requests(_sample_events(), 'alertmanager', 'http://am:9093', NOW, 25 * H)
    assert len(reqs) == 1 and reqs[0]['url'] == 'http://am:9093/api/v2/alerts' and reqs[0]['label'] == '2 alerts'
    resolved, firing = reqs[0]['body']
    assert firing['labels'] == {'alertname': 'ClaudeOAuthTokenExpiry', 'credential_source': 'c3', 'kind': 'cluster',
                                'team': 'p'}
    assert firing['annotations']['severity'] == 'critical' and firing['annotations']['state'] == 'critical'
    assert firing['startsAt'] == iso_utc(NOW)[:-1] + '.000Z'
    assert firing['endsAt'] == iso_utc(NOW + 25 * H)[:-1] + '.000Z'
    assert resolved['endsAt'] == iso_utc(NOW)[:-1] + '.000Z' and 'startsAt' not in resolved
    assert alert_requests([], 'alertmanager', 'http://am:9093', NOW, H) == []


def test_generic_requests_are_the_events_as_they_are():
    evs = _sample_events()
    assert [r['body'] for r in alert_requests(evs, 'generic', 'https://h.example.com/x', NOW, H)] == evs


def test_markdown_escapes_pipes():
    text = markdown([record('a|b', 'host', 'missing', detail='x|y')], 'T')
    assert '| a\\|b | host | - | missing | - | - | x\\|y |' in text


def _timeline(capture_runs, monitor_runs, refreshes, fact_cache=True):
    """Simulate the schedules. The host's session is refreshed at ``refreshes`` (each gives an access token of 8 h).
    A capture run publishes the host's session when its access token is valid; when it has expired (the host is
    idle) and the cluster already holds it, the run ends with nothing to do; both leave ``claudeops_last_capture``
    (seen by the monitor only with a fact cache). Returns ``{monitor_time: status}``."""
    published = last = None
    out = {}
    timeline = sorted([(t, 'capture') for t in capture_runs] + [(t, 'monitor') for t in monitor_runs])
    for t, what in timeline:
        current = max((r for r in refreshes if r <= t), default=None)
        if what == 'capture' and current is not None:
            if current + 8 * H > t:
                published, last = current + 8 * H, t
            elif published == current + 8 * H:
                last = t
            continue
        if what == 'monitor' and published is not None:
            host = facts(expires_in=current + 8 * H - t, written_ago=t - current, now=t)
            host['status'] = 'healthy' if current + 8 * H > t else 'expired'
            info = cluster(expires_in=published - t, now=t)
            out[t] = cluster_record(info, t, TH, session_sources({'ws1': host}), last if fact_cache else None)['status']
    return out


DAY0 = 1_798_761_600  # a midnight UTC


def _random_use(days, seed=8):
    """Refresh times of a person who uses Claude Code at random hours, sometimes not for days."""
    import random
    rng = random.Random(seed)
    refreshes, t = [DAY0 - H], DAY0
    while t < DAY0 + days * D:
        t += rng.choice([8 * H, 9 * H, 13 * H, 2 * D, 3 * D]) + rng.randrange(H)
        refreshes.append(t)
    return refreshes


@pytest.mark.parametrize('fact_cache', [True, False])
def test_with_the_shipped_schedules_and_successful_captures_the_monitor_never_fails(fact_cache):
    # playbooks/awx/objects.yml: capture every 6 h from midnight, monitor daily at 09:00. 60 days.
    captures = [DAY0 + i * 6 * H for i in range(4 * 60)]
    monitors = [DAY0 + d * D + 9 * H for d in range(60)]
    statuses = _timeline(captures, monitors, _random_use(60), fact_cache)
    assert len(statuses) == 60
    assert not [s for s in statuses.values() if s in FAILING], statuses


@pytest.mark.parametrize('use', ['random', 'every 8 hours', 'never again'])
def test_when_captures_stop_the_first_monitor_after_interval_plus_grace_fails(use):
    captures = [DAY0 + i * 6 * H for i in range(4 * 3)]  # three days, then nothing
    stopped = captures[-1]
    monitors = [DAY0 + d * D + 9 * H for d in range(10)]
    refreshes = {'random': _random_use(10), 'every 8 hours': [DAY0 - H + i * 8 * H for i in range(40)],
                 'never again': [DAY0 - H, DAY0 + 50 * H]}[use]
    statuses = _timeline(captures, monitors, refreshes)
    first = min(t for t in monitors if t > stopped + 8 * H)
    assert all(statuses[t] not in FAILING for t in monitors if t < first)
    assert all(statuses[t] == 'stale' for t in monitors if t >= first), statuses


def test_without_a_fact_cache_a_newer_session_that_waited_shows_that_captures_stopped():
    # No record of the captures: only a newer session on the host that waited longer than 8 h shows it.
    captures = [DAY0 + i * 6 * H for i in range(4 * 3)]
    monitors = [DAY0 + d * D + 9 * H for d in range(10)]
    refreshes = [DAY0 - H, DAY0 + 50 * H, DAY0 + 80 * H]  # the last one after the captures stopped (66 h)
    statuses = _timeline(captures, monitors, refreshes, fact_cache=False)
    # The refresh at 80 h has waited 1 h at the 81 h monitor run; at the next one, 25 h.
    assert [statuses[t] for t in monitors] == ['healthy'] * 4 + ['stale'] * 6


def test_the_last_capture_that_reached_a_cluster_decides_with_a_fact_cache():
    beats = [{'at': iso_utc(NOW - 9 * H), 'clusters': ['c1', 'c2']}, {'at': iso_utc(NOW - H), 'clusters': ['c2']},
             'not a dict', {'at': 'garbage', 'clusters': ['c3']}]
    last = last_captures(beats)
    assert last == {'c1': NOW - 9 * H, 'c2': NOW - H}
    assert cluster_record(cluster(name='c2'), NOW, TH, [], last.get('c2'))['status'] == 'healthy'
    rec = cluster_record(cluster(name='c1'), NOW, TH, [], last.get('c1'))
    assert rec['status'] == 'stale' and 'the last capture reached this cluster at' in rec['detail']
    late = cluster_record(cluster(), NOW, TH, [], NOW - 7 * H)
    assert late['status'] == 'warning' and 'longer than one capture interval' in late['detail']
    # A long-lived token is not captured: no capture record applies to it.
    assert cluster_record(cluster(kind='token', expires_in=90 * D), NOW, TH, [], NOW - 30 * D)['status'] == 'healthy'


def test_foreign_text_reaches_reports_and_alerts_as_one_plain_line():
    # #25 item 7: an API error with Markdown images and links and a Vault token reached the alert description and
    # out/token-status.md; Bearer JWTs, percent-encoded tokens, UNC paths and paths with spaces got through the scrubbing.
    from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import markdown, plain_text
    foreign = ('denied ![x](https://evil.example/p.png) see [the runbook](https://evil.example/run) token '
               'hvs.CAESIAbcdefghijklmnopqrstuvwx Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig '
               'sk%2Dant%2Doat01%2DCANARYPCT and sk-ant-oat01-CANARYRAW at \\\\fileserver\\share\\Jane Doe\\kube '
               'and C:\\Users\\Jane Doe\\.kube\\config and /home/jane/.kube/config\nsecond | line')
    text = plain_text(foreign)
    for gone in ('evil.example', '.png', 'hvs.', 'eyJ', 'CANARY', '%2D', 'fileserver', 'Jane', 'jane', '\n'):
        assert gone not in text, (gone, text)
    assert 'the runbook' in text and text.startswith('denied')
    assert len(plain_text('x' * 5000)) <= 600
    rec = record('c1|x\nnext', 'cluster', 'missing', detail=foreign)
    assert rec['detail'] == text
    table = markdown([rec], '2026-12-02T00:00:00Z')
    row = [line for line in table.splitlines() if line.startswith('| c1')][0]
    assert 'c1\\|x next' in row and len(table.splitlines()) == 7
    # Our own sentences stay readable.
    own = 'pods not on the current credentials: deployment/agent (kubectl rollout resume deployment/agent -n claude)'
    assert plain_text(own) == own


def test_a_failed_login_capture_fires_and_the_next_good_one_resolves_the_same_alert():
    # #27 item 2: a capture a login signal started and that failed reaches the alert receiver.
    from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import capture_record
    failed = events([capture_record('ws1', 'no capture host has a usable Claude Code session '
                                           '(ws1: missing: sk-ant-oat01-CANARYCAPTUREFAIL-0123456789 /home/jane/.claude)')])
    good = events([capture_record('ws1')])
    assert [e['status'] for e in failed + good] == ['firing', 'resolved']
    assert failed[0]['severity'] == 'critical' and failed[0]['labels']['kind'] == 'capture'
    assert failed[0]['fingerprint'] == good[0]['fingerprint']
    assert 'The capture that a login on ws1 started failed: no capture host' in failed[0]['description']
    assert 'CANARYCAPTUREFAIL' not in failed[0]['description'] and '/home/jane' not in failed[0]['description']
    assert good[0]['description'] == 'The capture that a login on ws1 started reached the clusters.'
    # not the alert of the host's own session, nor of a cluster of the same name
    assert failed[0]['fingerprint'] not in (alert_id('host', 'ws1'), alert_id('cluster', 'ws1'))
