# Part of the alert_receivers integration target (runme.sh runs it): what Keep holds after the first monitor run.
import json
import sys
doc = json.load(open(sys.argv[1]))
ours = [e for e in doc['latest'].values() if e['source'] == ['claudeops.credentials']]
latest = dict((e['labels']['credential_source'], e) for e in ours)
assert sorted(latest) == ['c-crit', 'c-gone', 'c-ok', 'c-path', 'c-warn', 'ws1'], sorted(latest)
want = {'c-warn': ('firing', 'warning'), 'c-crit': ('firing', 'critical'), 'c-gone': ('firing', 'critical'),
        'c-path': ('firing', 'critical'), 'c-ok': ('resolved', 'info'), 'ws1': ('resolved', 'info')}
for source, (status, severity) in want.items():
    got = latest[source]
    assert (got['status'], got['severity']) == (status, severity), (source, got)
    assert got['name'] == 'ClaudeOAuthTokenExpiry' and got['source'] == ['claudeops.credentials'], got
    assert got['labels']['team'] == 'platform' and got['labels']['credential_source'] == source, got
    assert got['id'] == got['fingerprint'] and len(got['fingerprint']) == 32, got
assert latest['c-crit']['labels']['state'] == 'critical' and latest['c-crit']['labels']['kind'] == 'cluster'
assert 'claude setup-token' in latest['c-crit']['description'], latest['c-crit']
assert 'no Secret claude/claude-session' in latest['c-gone']['description'], latest['c-gone']
assert '[path]' in latest['c-path']['description'] or 'kubeconfig' in latest['c-path']['description'], latest['c-path']
assert len(set(e['fingerprint'] for e in doc['events'] if e['source'] == ['claudeops.credentials'])) == 6
