# Part of the alert_receivers integration target (runme.sh runs it): what Alertmanager holds after the first monitor run.
import json
import sys
held = json.load(open(sys.argv[1]))
alerts = dict((a['labels']['credential_source'], a) for a in held if a['labels'].get('team') == 'platform')
assert sorted(alerts) == ['c-crit', 'c-gone', 'c-path', 'c-warn'], sorted(alerts)  # healthy ones are resolved
for source, severity in (('c-warn', 'warning'), ('c-crit', 'critical'), ('c-gone', 'critical')):
    a = alerts[source]
    assert a['labels'] == {'alertname': 'ClaudeOAuthTokenExpiry', 'credential_source': source, 'kind': 'cluster',
                           'team': 'platform'}, a['labels']
    assert a['annotations']['severity'] == severity and a['status']['state'] == 'active', a
    assert a['annotations']['description'].startswith('Claude Code credentials on cluster %s' % source), a
assert 'claude setup-token' in alerts['c-crit']['annotations']['description']
assert alerts['c-crit']['annotations']['credential'] == 'token' and alerts['c-crit']['annotations']['expires_at']
