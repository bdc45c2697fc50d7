# Part of the alert_receivers integration target (runme.sh runs it): three monitor runs, one alert per credential,
# resolved or still firing, other tools' alerts untouched.
import json
import sys
work = sys.argv[1]
k1, k2, k3 = (json.load(open('%s/keep-%d.json' % (work, n))) for n in (1, 2, 3))
for doc in (k1, k2, k3):  # the other tools' alerts are untouched
    assert doc['latest']['other-team-c-crit']['status'] == 'firing' and doc['latest']['disk-1']['status'] == 'firing'
    for fp in ('other-team-c-crit', 'disk-1'):
        del doc['latest'][fp]
for before, after in ((k1, k2), (k2, k3)):
    assert set(before['latest']) == set(after['latest']), 'a fingerprint changed between runs'
    for fp, event in after['latest'].items():
        source = event['labels']['credential_source']
        want = 'firing' if source == 'c-path' else 'resolved'
        assert event['status'] == want, (source, event['status'])
        assert event['lastReceived'] > before['latest'][fp]['lastReceived'], 'no later lastReceived'
assert len(k3['events']) == 3 * 6 + 2
a1, a2, a3 = (json.load(open('%s/am-%d.json' % (work, n))) for n in (1, 2, 3))
for held in (a1, a2, a3):  # the other tools' alerts are untouched
    assert sorted(a['labels'].get('team', a['labels']['alertname']) for a in held
                  if a['labels'].get('team') != 'platform') == ['DiskFull', 'other'], held
a1, a2, a3 = ([a for a in held if a['labels'].get('team') == 'platform'] for held in (a1, a2, a3))
assert [a['labels']['credential_source'] for a in a2] == ['c-path'], a2
assert [a['labels']['credential_source'] for a in a3] == ['c-path'], a3
path1 = [a for a in a1 if a['labels']['credential_source'] == 'c-path'][0]
assert path1['fingerprint'] == a2[0]['fingerprint'] == a3[0]['fingerprint'], 'Alertmanager fingerprint changed'
assert a3[0]['startsAt'] == path1['startsAt'], 'the still-firing alert restarted'
