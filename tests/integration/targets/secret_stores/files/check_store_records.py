# Part of the secret_stores integration target (runme.sh runs it): the monitor's records of the stores.
import json
import sys
records = dict((r['source'], r) for r in json.load(open(sys.argv[1]))['records'] if r['kind'] == 'store')
assert sorted(records) == ['aws', 'empty', 'infisical', 'onepassword', 'vault'], sorted(records)
for name in ('aws', 'infisical', 'onepassword', 'vault'):
    r = records[name]
    assert (r['status'], r['credential'], r['expires_at']) == ('healthy', 'session', sys.argv[2]), r
assert records['empty']['status'] == 'missing' and 'nothing under CREDENTIALS_JSON_B64' in records['empty']['detail'], records['empty']
