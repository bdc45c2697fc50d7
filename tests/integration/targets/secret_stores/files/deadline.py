# Part of the secret_stores integration target (runme.sh runs it): claude_secret_store's code, with each backend's
# real client, against a server that never answers (blackhole.py on PORT): every store fails alone, saying so, and
# the whole run ends within request_timeout (TIMEOUT) plus a margin, the clients' own retries included. Before, with
# request_timeout 2, Infisical's SDK took 29.6 s, AWS 12.8 s, Vault 8.0 s and 1Password 7.5 s.
#   PYTHONPATH=<the ansible_collections parent> python deadline.py PORT TIMEOUT VALUE_FILE
import base64
import sys
import time

from ansible_collections.claudeops.credentials.plugins.module_utils import _store_entries, _store_publish

port, timeout, session_file = sys.argv[1], float(sys.argv[2]), sys.argv[3]
hole = '127.0.0.1:%s' % port
stores = [
    {'name': 'infisical', 'backend': 'infisical', 'url': 'http://' + hole, 'token': 'CANARYHOLEINFISICAL0123456789',
     'project_id': '6f1c0e7b-0000-4000-8000-000000000000'},
    {'name': 'vault', 'backend': 'vault', 'url': 'https://' + hole, 'token': 'CANARYHOLEVAULT0123456789'},
    {'name': 'aws', 'backend': 'aws_secretsmanager', 'endpoint_url': 'http://' + hole, 'region': 'us-east-1',
     'access_key': 'CANARYHOLEAWSKEY', 'secret_key': 'CANARYHOLEAWSSECRET0123456789'},
    {'name': 'onepassword', 'backend': 'onepassword_connect', 'url': 'http://' + hole,
     'token': 'CANARYHOLEOP0123456789', 'vault_id': '4zxqbxl3ru6fz7rcwz4ynxnyxq'},
]
spec = dict((k, None) for k in _store_entries.STORE_SPEC)
params = {'stores': [dict(spec, **s) for s in stores], 'request_timeout': timeout, 'state': 'present',
          'files': {'.credentials.json': base64.b64encode(open(session_file, 'rb').read()).decode()},
          'oauth_token': None, 'expires_at': None, 'source_host': 'ws1', 'prevent_downgrade': True,
          'credential': None, 'adopt': False, 'session_max_lifetime': '48h'}
start = time.monotonic()
result = _store_publish.run(params, check_mode=False, diff_mode=False)
took = time.monotonic() - start
for entry in result['stores']:
    assert entry['action'] == 'failed', entry
    assert 'no answer within request_timeout (%g s, for the whole call' % timeout in entry['msg'], entry
    print('%s: failed, %s' % (entry['name'], entry['msg'][:60]))
assert took < timeout + 2, 'the run took %.1f s with request_timeout %g' % (took, timeout)
print('four stores that never answer: each failed alone within request_timeout (%g s); the run took %.1f s'
      % (timeout, took))
