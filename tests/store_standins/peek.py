# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""peek.py WORK COMMAND ...: read what the stores hold and what they were asked, past claude_secret_store.

Stores are named as in a stores file the tests give claude_secret_store (WORK/stores.json, WORK/stores-token.json):
each entry's connection, else the backend's usual environment variables, as the module takes them. Reads go through
each product's official client (hvac, infisicalsdk, boto3, onepasswordconnectsdk), so they work the same on the
stand-ins and on a real store (CLAUDEOPS_TEST_*); values are printed as digests, never themselves.

  held FILE NAME KEY     "VALUE_SHA256 FINGERPRINT EXPIRES_AT SOURCE_HOST" of what store NAME holds under KEY
                         ("none - - -" when nothing)
  versions FILE...       "FILE:NAME=VERSION ..." for every store of each FILE: the version of what it holds (Vault and
                         Infisical version, 1Password item version, Secrets Manager's current VersionId), "none" when
                         nothing; unchanged means not written
  keys FILE NAME KEY     the keys (fields in 1Password) that store NAME holds beside KEY, sorted, "none" when nothing;
                         for Vault also "readable-versions=..." (the versions whose data can still be read)
  add-other FILE NAME    add the key team_note (a field in 1Password) to what store NAME holds, as another team's
                         data beside ours (Vault, Secrets Manager, 1Password)
  plant FILE NAME KEY    another team's secret (1Password item) at store NAME's path, written by hand before
                         claudeops: KEY=team-value and, where a store keeps one object, DB_PASSWORD in two versions
                         (team-one, then team-two; Vault keeps both), without any claudeops_* key
  delete FILE NAME       remove what the tests wrote to store NAME (the Vault secret with all its versions, the
                         Secrets Manager secret without recovery, the Infisical secret, the 1Password item)
  log KIND               "METHOD PATH STATUS" of each request the stand-in KIND (vault, infisical, onepassword) served
  clear                  clear every stand-in's log
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import ssl
import sys
import urllib.request
from urllib.parse import unquote

META = ('claudeops_fingerprint', 'claudeops_expires_at', 'claudeops_source_host')
DEFAULT_PATH = {'session': 'claude/session', 'token': 'claude/oauth-token'}
DEFAULT_ITEM = {'session': 'Claude session', 'token': 'Claude token'}


def stand_in(work, kind, path, method='GET'):
    state = os.path.join(work, 'stores', kind)
    port = open(os.path.join(state, 'port')).read().strip()
    scheme = 'https' if kind == 'vault' else 'http'
    ctx = ssl.create_default_context(cafile=os.path.join(state, 'ca.pem')) if kind == 'vault' else None
    req = urllib.request.Request('%s://127.0.0.1:%s%s' % (scheme, port, path), method=method)
    with urllib.request.urlopen(req, context=ctx, timeout=10) as resp:
        return json.loads(resp.read())


def entry_of(path, name):
    with open(path) as handle:
        entries = json.load(handle)
    entry = dict(next(e for e in entries if e.get('name') == name))
    kind = 'token' if 'token' in os.path.basename(path) else 'session'
    env = os.environ
    backend = entry['backend']
    if backend == 'vault':
        entry.setdefault('url', env.get('VAULT_ADDR'))
        entry.setdefault('token', env.get('VAULT_TOKEN'))
        entry.setdefault('ca_cert', env.get('VAULT_CACERT'))
        entry.setdefault('namespace', env.get('VAULT_NAMESPACE') or None)
        entry.setdefault('mount', 'secret')
        entry.setdefault('path', DEFAULT_PATH[kind])
    elif backend == 'aws_secretsmanager':
        entry.setdefault('path', DEFAULT_PATH[kind])
    elif backend == 'infisical':
        entry.setdefault('url', env.get('INFISICAL_API_URL') or 'https://app.infisical.com')
        entry.setdefault('token', env.get('INFISICAL_TOKEN'))
        entry.setdefault('client_id', env.get('INFISICAL_UNIVERSAL_AUTH_CLIENT_ID'))
        entry.setdefault('client_secret', env.get('INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET'))
        entry.setdefault('environment', 'prod')
        entry.setdefault('path', '/agentic-platform/claude')
    else:
        entry.setdefault('url', env.get('OP_CONNECT_HOST'))
        entry.setdefault('token', env.get('OP_CONNECT_TOKEN'))
        entry.setdefault('item', DEFAULT_ITEM[kind])
    return entry, kind


def _vault(entry):
    import hvac
    return hvac.Client(url=entry['url'], token=entry['token'], namespace=entry.get('namespace'),
                       verify=entry.get('ca_cert') or True, timeout=10)


def _aws(entry):
    import boto3
    return boto3.session.Session(region_name=entry.get('region')).client(
        'secretsmanager', endpoint_url=entry.get('endpoint_url'))


def _infisical(entry):
    from infisical_sdk import InfisicalSDKClient
    # As the module does: the SDK adds /api itself, which older Infisical CLIs wanted in INFISICAL_API_URL.
    no_cache = {'cache_ttl': None} if 'cache_ttl' in inspect.signature(InfisicalSDKClient).parameters else {}
    client = InfisicalSDKClient(host=re.sub(r'/api$', '', entry['url'].rstrip('/')), token=entry.get('token'),
                                **no_cache)
    if not entry.get('token'):
        client.auth.universal_auth.login(entry['client_id'], entry['client_secret'])
    return client


def _onepassword(entry):
    from onepasswordconnectsdk import client as op_client
    from onepasswordconnectsdk.config import ClientConfig
    return op_client.new_client(entry['url'], entry['token'], config=ClientConfig(ca_file=entry.get('ca_cert')))


def _op_item(client, entry):
    found = client.get_items(entry['vault_id'], filter_query='title eq "%s"' % entry['item'])
    return client.get_item_by_id(found[0].id, entry['vault_id']) if found else None


def read(entry, key):
    """(data, version): the key/value pairs beside ``key`` (all of them where the store keeps one object; the value
    and the comment's pairs in Infisical) and a version marker, or (None, None) when nothing is stored."""
    backend = entry['backend']
    if backend == 'vault':
        import hvac
        try:
            answer = _vault(entry).secrets.kv.v2.read_secret_version(
                path=entry['path'], mount_point=entry['mount'], raise_on_deleted_version=False)
        except hvac.exceptions.InvalidPath:
            return None, None
        return answer['data']['data'], answer['data']['metadata']['version']
    if backend == 'aws_secretsmanager':
        client = _aws(entry)
        try:
            answer = client.get_secret_value(SecretId=entry['path'])
        except client.exceptions.ResourceNotFoundException:
            return None, None
        return json.loads(answer['SecretString']), answer['VersionId']
    if backend == 'infisical':
        from infisical_sdk.infisical_requests import APIError
        try:
            secret = _infisical(entry).secrets.get_secret_by_name(
                secret_name=key, project_id=entry['project_id'], environment_slug=entry['environment'],
                secret_path=entry['path'], expand_secret_references=False, include_imports=False)
        except APIError as err:
            if err.status_code == 404:
                return None, None
            raise
        # as the module writes it: name=value pairs, values percent-encoded; the first of each name counts
        data = {}
        for name, value in (p.split('=', 1) for p in (secret.secretComment or '').split() if '=' in p):
            data.setdefault(name, unquote(value))
        data[key] = secret.secretValue
        return data, secret.version
    item = _op_item(_onepassword(entry), entry)
    if item is None:
        return None, None
    return dict((f.label, f.value) for f in item.fields or [] if f.label), item.version


def held(entry, key):
    data, _version = read(entry, key)
    data = data or {}
    value = data.get(key)
    digest = hashlib.sha256(value.encode()).hexdigest() if value else 'none'
    return ' '.join([digest] + [data.get(m) or '-' for m in META])


def keys(entry, key):
    data, version = read(entry, key)
    if data is None:
        return 'none'
    out = ' '.join(sorted(k for k in data if data[k]))
    if entry['backend'] == 'vault':
        client = _vault(entry).secrets.kv.v2
        readable = []
        import hvac
        for number in range(1, int(version) + 1):
            try:
                answer = client.read_secret_version(path=entry['path'], mount_point=entry['mount'], version=number,
                                                    raise_on_deleted_version=False)
            except hvac.exceptions.InvalidPath:  # destroyed
                continue
            if (answer.get('data') or {}).get('data'):
                readable.append(str(number))
        out += ' readable-versions=' + ','.join(readable)
    return out


def add_other(entry, key):
    backend = entry['backend']
    if backend == 'vault':
        data, version = read(entry, key)
        _vault(entry).secrets.kv.v2.create_or_update_secret(
            path=entry['path'], secret=dict(data, team_note='kept'), cas=version, mount_point=entry['mount'])
    elif backend == 'aws_secretsmanager':
        data, _version = read(entry, key)
        _aws(entry).put_secret_value(SecretId=entry['path'], SecretString=json.dumps(dict(data, team_note='kept')))
    elif backend == 'onepassword_connect':
        from onepasswordconnectsdk.models import Field
        client = _onepassword(entry)
        item = _op_item(client, entry)
        item.fields = list(item.fields or []) + [Field(label='team_note', type='STRING', value='kept')]
        client.update_item(item.id, entry['vault_id'], item)
    else:
        sys.exit('peek: Infisical keeps one key per secret; nothing to add beside it')


def plant(entry, key):
    backend = entry['backend']
    if backend == 'vault':
        client = _vault(entry).secrets.kv.v2
        for password in ('team-one', 'team-two'):
            client.create_or_update_secret(path=entry['path'], mount_point=entry['mount'],
                                           secret={key: 'team-value', 'DB_PASSWORD': password})
    elif backend == 'aws_secretsmanager':
        client = _aws(entry)
        client.create_secret(Name=entry['path'], SecretString=json.dumps({key: 'team-value', 'DB_PASSWORD': 'team-one'}))
        client.put_secret_value(SecretId=entry['path'], SecretString=json.dumps({key: 'team-value',
                                                                                 'DB_PASSWORD': 'team-two'}))
    elif backend == 'infisical':
        _infisical(entry).secrets.create_secret_by_name(
            secret_name=key, project_id=entry['project_id'], environment_slug=entry['environment'],
            secret_path=entry['path'], secret_value='team-value', secret_comment='owner=platform-team')
    else:
        from onepasswordconnectsdk.models import Field, Item
        _onepassword(entry).create_item(entry['vault_id'], Item(
            title=entry['item'], category='API_CREDENTIAL', vault={'id': entry['vault_id']},
            fields=[Field(label=key, type='CONCEALED', value='team-value'),
                    Field(label='DB_PASSWORD', type='CONCEALED', value='team-two')]))


def delete(entry, kind):
    backend = entry['backend']
    if backend == 'vault':
        _vault(entry).secrets.kv.v2.delete_metadata_and_all_versions(path=entry['path'], mount_point=entry['mount'])
    elif backend == 'aws_secretsmanager':
        client = _aws(entry)
        try:
            client.delete_secret(SecretId=entry['path'], ForceDeleteWithoutRecovery=True)
        except client.exceptions.ResourceNotFoundException:
            pass
    elif backend == 'infisical':
        from infisical_sdk.infisical_requests import APIError
        key = entry.get('key') or ('CLAUDE_CODE_OAUTH_TOKEN' if kind == 'token' else 'CREDENTIALS_JSON_B64')
        try:
            _infisical(entry).secrets.delete_secret_by_name(
                secret_name=key, project_id=entry['project_id'], environment_slug=entry['environment'],
                secret_path=entry['path'])
        except APIError as err:
            if err.status_code != 404:
                raise
    else:
        client = _onepassword(entry)
        item = _op_item(client, entry)
        if item is not None:
            client.delete_item(item.id, entry['vault_id'])


def main():
    work, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if command == 'log':
        for entry in stand_in(work, args[0], '/_standin/log'):
            print(entry['method'], entry['path'], entry['status'])
    elif command == 'clear':
        for kind in ('vault', 'infisical', 'onepassword'):
            stand_in(work, kind, '/_standin/log', 'DELETE')
    elif command == 'held':
        print(held(entry_of(args[0], args[1])[0], args[2]))
    elif command == 'versions':
        out = []
        for path in args:
            with open(path) as handle:
                names = [e['name'] for e in json.load(handle)]
            for name in names:
                entry, kind = entry_of(path, name)
                key = entry.get('key') or ('CLAUDE_CODE_OAUTH_TOKEN' if kind == 'token' else 'CREDENTIALS_JSON_B64')
                out.append('%s:%s=%s' % (os.path.basename(path), name, read(entry, key)[1] or 'none'))
        print(' '.join(out))
    elif command == 'keys':
        print(keys(entry_of(args[0], args[1])[0], args[2]))
    elif command == 'add-other':
        entry, kind = entry_of(args[0], args[1])
        add_other(entry, 'CLAUDE_CODE_OAUTH_TOKEN' if kind == 'token' else 'CREDENTIALS_JSON_B64')
    elif command == 'plant':
        plant(entry_of(args[0], args[1])[0], args[2])
    elif command == 'delete':
        delete(*entry_of(args[0], args[1]))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
