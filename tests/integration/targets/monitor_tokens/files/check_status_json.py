# Part of the monitor_tokens integration target (runme.sh runs it): token-status.json as the monitor wrote it.
import json
import sys
doc = json.load(open(sys.argv[1]))
assert set(doc) == {'generated_at', 'records'}, doc.keys()
want = {'source', 'expires_at', 'days_remaining', 'hours_remaining', 'is_expired', 'needs_refresh', 'status'}
for rec in doc['records']:
    assert want <= set(rec), rec
by = dict((r['source'], r) for r in doc['records'])
assert 19 < by['c2']['days_remaining'] <= 20 and by['c2']['needs_refresh'] and not by['c2']['is_expired']
assert by['c2']['credential'] == 'token' and by['c1']['credential'] == 'session'
assert by['ws-old']['is_expired'] and by['ws-old']['hours_remaining'] < 0
assert by['c5']['hours_remaining'] < 0 and not by['c5']['is_expired'] and not by['c5']['needs_refresh']
