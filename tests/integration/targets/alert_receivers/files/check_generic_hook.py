# Part of the alert_receivers integration target (runme.sh runs it): what the generic webhook received.
import json
import sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines and all(l['authorized'] for l in lines), 'the bearer token was not sent'
by = dict((l['event']['labels']['credential_source'], l['event']) for l in lines)
keep = dict((e['labels']['credential_source'], e) for e in json.load(open(sys.argv[2]))['latest'].values()
            if e['source'] == ['claudeops.credentials'])
for source, event in by.items():
    assert event['fingerprint'] == keep[source]['fingerprint'], 'one fingerprint per source, whatever the receiver'
assert by['c-crit']['status'] == 'firing' and by['c-ok']['status'] == 'resolved'
