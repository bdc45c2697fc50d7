# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What External Secrets Operator does with the ClusterSecretStore and ExternalSecret of docs/stores.md, for the subset
they use, on a stand-in cluster.

    eso_render.py manifests DOC                          print DOC's external-secrets.io manifests, one YAML stream,
                                                         for the test to apply with kubectl
    eso_render.py sync KUBE_STATE VAULT_URL VAULT_TOKEN VAULT_CACERT
                                                         sync every ExternalSecret the cluster holds

A stand-in for the operator's sync step, not ESO: it reads the ExternalSecrets and the ClusterSecretStore they name
from the cluster's API, each spec.data remoteRef (key = the path in the KV v2 mount the ClusterSecretStore names,
property = the key in the secret) through hvac, renders spec.target.template.data (literal text, "{{ .name }}" and
"{{ .name | b64dec }}": anything else is refused, so the document cannot drift to template forms this stand-in does
not know), and creates spec.target.name in the ExternalSecret's namespace. The server and the token come from the
arguments (the document names a placeholder server and a token Secret).
"""

from __future__ import annotations

import base64
import os
import re
import sys

import hvac
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'kube_standin'))
import kube  # noqa: E402

TEMPLATE = re.compile(r'^\{\{ \.([A-Za-z_][A-Za-z0-9_]*)( \| b64dec)? \}\}$')


def manifests(path):
    """The YAML documents of the fenced yaml blocks of PATH that hold external-secrets.io objects."""
    text = open(path).read()
    found = []
    for block in re.findall(r'```yaml\n(.*?)```', text, re.S):
        for doc in yaml.safe_load_all(block):
            if isinstance(doc, dict) and str(doc.get('apiVersion', '')).startswith('external-secrets.io/'):
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
        values = {}
        for item in external['spec']['data']:
            remote = item['remoteRef']
            secret = client.secrets.kv.v2.read_secret_version(
                path=remote['key'], mount_point=vault['path'], raise_on_deleted_version=True)
            values[item['secretKey']] = secret['data']['data'][remote['property']]
        data = {}
        for key, template in external['spec']['target']['template']['data'].items():
            match = TEMPLATE.match(template) if '{{' in template else None
            if '{{' in template and not match:
                sys.exit('eso_render: template form not supported by this stand-in: %s' % key)
            if match:
                value = values[match.group(1)]
                raw = base64.b64decode(value) if match.group(2) else value.encode()
            else:
                raw = template.encode()
            data[key] = base64.b64encode(raw).decode()
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
