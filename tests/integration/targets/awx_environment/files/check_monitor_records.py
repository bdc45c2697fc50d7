# Part of the awx_environment integration target (runme.sh runs it): the monitor job's records.
import json
import sys
records = dict((r['source'], r) for r in json.load(open(sys.argv[1]))['records'])
assert sorted(records) == ['prod-eu', 'prod-us', 'ws1'], records
assert all(r['status'] == 'healthy' for r in records.values()), records
