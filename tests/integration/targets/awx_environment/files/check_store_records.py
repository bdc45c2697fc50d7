# Part of the awx_environment integration target (runme.sh runs it): the monitor job's store records.
import json
import sys
records = [r for r in json.load(open(sys.argv[1]))['records'] if r['kind'] == 'store']
assert sorted(r['source'] for r in records) == ['aws', 'infisical', 'onepassword', 'vault'], records
assert all(r['status'] == 'healthy' for r in records), records
