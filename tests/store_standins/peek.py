# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""peek.py WORK COMMAND ...: read what the stores hold and what they were asked, past claude_secret_store.

  log KIND            "METHOD PATH STATUS" of each request the stand-in KIND (vault, infisical, onepassword) served
  clear               clear every stand-in's log
  held KIND KEY       "VALUE_SHA256 FINGERPRINT EXPIRES_AT SOURCE_HOST" of what store KIND holds under KEY
                      (KIND aws reads moto with boto3; the value is printed as a digest, never itself)
  aws-versions        how many versions the Secrets Manager secret claude/session has
"""

from __future__ import annotations

import hashlib
import json
import os
import ssl
import sys
import urllib.request

PATHS = {'vault': 'claude/session', 'vault-token': 'claude/oauth-token', 'aws': 'claude/session'}


def call(work, kind, path, method='GET'):
    state = os.path.join(work, 'stores', kind)
    port = open(os.path.join(state, 'port')).read().strip()
    scheme = 'https' if kind == 'vault' else 'http'
    ctx = ssl.create_default_context(cafile=os.path.join(state, 'ca.pem')) if kind == 'vault' else None
    req = urllib.request.Request('%s://127.0.0.1:%s%s' % (scheme, port, path), method=method)
    with urllib.request.urlopen(req, context=ctx, timeout=10) as resp:
        return json.loads(resp.read())


def held(work, kind, key):
    if kind in ('vault', 'vault-token'):
        versions = call(work, 'vault', '/_standin/dump').get(PATHS[kind]) or []
        data = versions[-1]['data'] if versions else {}
        meta = data
    elif kind == 'infisical':
        secrets = call(work, kind, '/_standin/dump').get('prod:/agentic-platform/claude', {})
        secret = secrets.get(key) or {}
        data = {key: secret.get('secretValue')}
        meta = dict(p.split('=', 1) for p in (secret.get('secretComment') or '').split() if '=' in p)
    elif kind == 'onepassword':
        items = [i for i in call(work, kind, '/_standin/dump').values() if i['title'] == 'Claude session']
        fields = dict((f['label'], f['value']) for f in items[0]['fields']) if items else {}
        data = meta = fields
    else:
        import boto3
        client = boto3.client('secretsmanager')
        data = meta = json.loads(client.get_secret_value(SecretId=PATHS['aws'])['SecretString'])
    value = data.get(key)
    digest = hashlib.sha256(value.encode()).hexdigest() if value else 'none'
    return '%s %s %s %s' % (digest, meta.get('claudeops_fingerprint'), meta.get('claudeops_expires_at'),
                            meta.get('claudeops_source_host'))


def main():
    work, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if command == 'log':
        for entry in call(work, args[0], '/_standin/log'):
            print(entry['method'], entry['path'], entry['status'])
    elif command == 'clear':
        for kind in ('vault', 'infisical', 'onepassword'):
            call(work, kind, '/_standin/log', 'DELETE')
    elif command == 'held':
        print(held(work, args[0], args[1]))
    elif command == 'aws-versions':
        import boto3
        print(len(boto3.client('secretsmanager').list_secret_version_ids(SecretId=PATHS['aws'])['Versions']))


if __name__ == '__main__':
    main()
