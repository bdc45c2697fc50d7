# Part of the monitor_tokens integration target (runme.sh runs it): the events the receiver got.
import json
import sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert all(l['authorized'] for l in lines), 'the bearer token was not sent'
events = [l['event'] for l in lines]
by = {e['labels']['credential_source']: e for e in events if e['status'] == 'firing'}
assert sorted(by) == ['c2', 'c3', 'c4', 'c6', 'ws-blank', 'ws-down', 'ws-idle', 'ws-none', 'ws-old'], sorted(by)
assert by['c2']['severity'] == 'warning' and by['c3']['severity'] == 'critical'
assert 'claude setup-token' in by['c3']['description'], by['c3']
resolved = sorted(e['labels']['credential_source'] for e in events if e['status'] == 'resolved')
assert resolved == ['c1', 'c5', 'ws-ok'], resolved
for e in events:
    assert e['name'] == 'ClaudeOAuthTokenExpiry' and e['source'] == 'claudeops.credentials'
    assert set(e) >= {'name', 'status', 'severity', 'description', 'source'}
