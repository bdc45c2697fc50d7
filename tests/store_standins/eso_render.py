# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What External Secrets Operator does with the Vault ClusterSecretStore and ExternalSecret of docs/stores.md, for the
subset they use, on a stand-in cluster.

    eso_render.py manifests DOC                          print DOC's Vault pair (the ClusterSecretStore named vault
                                                         and the ExternalSecrets that name it), one YAML stream, for
                                                         the test to apply with kubectl
    eso_render.py sync KUBE_STATE VAULT_URL VAULT_TOKEN VAULT_CACERT
                                                         sync every ExternalSecret the cluster holds

A stand-in for the operator's sync step, not ESO: it reads the ExternalSecrets and the ClusterSecretStore they name
from the cluster's API, each spec.data remoteRef (key = the path in the KV v2 mount the ClusterSecretStore names,
property = the key in the secret) through hvac, decoded as its decodingStrategy says (None or Base64; a value that is
not base64 fails, as in ESO), takes spec.target.template.data (literal text only, with mergePolicy Merge: the data
and the template's keys together; any other template form is refused, so the document cannot drift to forms this
stand-in does not know), and creates spec.target.name in the ExternalSecret's namespace. The server and the token come from the
arguments (the document names a placeholder server and a token Secret).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import sys

import hvac
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'kube_standin'))
import kube  # noqa: E402


def manifests(path):
    """The YAML documents of the fenced yaml blocks of PATH that hold external-secrets.io objects."""
    text = open(path).read()
    found = []
    for block in re.findall(r'```yaml\n(.*?)```', text, re.S):
        for doc in yaml.safe_load_all(block):
            if not isinstance(doc, dict) or not str(doc.get('apiVersion', '')).startswith('external-secrets.io/'):
                continue
            if doc['kind'] == 'ClusterSecretStore' and doc['metadata']['name'] == 'vault' or \
                    doc['kind'] == 'ExternalSecret' and doc['spec']['secretStoreRef']['name'] == 'vault':
                found.append(doc)
    return found


def listed(cluster, path):
    status, answer = cluster.call('GET', path)
    if status != 200:
        sys.exit('eso_render: listing %s: HTTP %s' % (path, status))
    return answer['items']


def sync(state, url, token, cacert):
    cluster = kube.Kube(state)
    stores = dict((s['metadata']['name'], s) for s in listed(cluster, '/apis/external-secrets.io/v1/clustersecretstores'))
    externals = [e for ns in listed(cluster, '/api/v1/namespaces')
                 for e in listed(cluster, '/apis/external-secrets.io/v1/namespaces/%s/externalsecrets'
                                 % ns['metadata']['name'])]
    if not externals:
        sys.exit('eso_render: the cluster holds no ExternalSecret')
    client = hvac.Client(url=url, token=token, verify=cacert)
    for external in externals:
        ref = external['spec']['secretStoreRef']
        if ref.get('kind') != 'ClusterSecretStore' or ref['name'] not in stores:
            sys.exit('eso_render: %s names no ClusterSecretStore the cluster holds' % external['metadata']['name'])
        vault = stores[ref['name']]['spec']['provider']['vault']
        if vault.get('version') != 'v2':
            sys.exit('eso_render: the ClusterSecretStore must use KV version 2')
        data = {}
        for item in external['spec']['data']:
            remote = item['remoteRef']
            secret = client.secrets.kv.v2.read_secret_version(
                path=remote['key'], mount_point=vault['path'], raise_on_deleted_version=True)
            value = secret['data']['data'][remote['property']].encode()
            strategy = remote.get('decodingStrategy', 'None')
            if strategy == 'Base64':
                try:
                    value = base64.b64decode(value, validate=True)
                except (binascii.Error, ValueError):
                    sys.exit('eso_render: %s: the value is not base64 (ESO fails the sync so)' % item['secretKey'])
            elif strategy != 'None':
                sys.exit('eso_render: decodingStrategy %s is not one this stand-in knows' % strategy)
            data[item['secretKey']] = base64.b64encode(value).decode()
        template = external['spec']['target'].get('template') or {}
        if template.get('mergePolicy') != 'Merge':
            sys.exit('eso_render: this stand-in knows the template with mergePolicy: Merge only')
        for key, text in (template.get('data') or {}).items():
            if '{{' in text:
                sys.exit('eso_render: template form not supported by this stand-in: %s' % key)
            data[key] = base64.b64encode(text.encode()).decode()
        namespace = external['metadata']['namespace']
        body = {'apiVersion': 'v1', 'kind': 'Secret', 'type': 'Opaque', 'data': data,
                'metadata': {'name': external['spec']['target']['name'], 'namespace': namespace}}
        status, answer = cluster.call('POST', '/api/v1/namespaces/%s/secrets' % namespace, body)
        if status != 201:
            sys.exit('eso_render: creating the Secret: HTTP %s %s' % (status, (answer or {}).get('message')))


def main():
    if sys.argv[1:2] == ['manifests'] and len(sys.argv) == 3:
        print(yaml.safe_dump_all(manifests(sys.argv[2]), default_flow_style=False))
    elif sys.argv[1:2] == ['sync'] and len(sys.argv) == 6:
        sync(*sys.argv[2:6])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
