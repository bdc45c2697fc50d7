# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""eso_render.py DOC VAULT_URL VAULT_TOKEN VAULT_CACERT KUBE_STATE_DIR: do what External Secrets Operator does with
the ClusterSecretStore and ExternalSecret of DOC (docs/stores.md), for the subset they use, and create the Secret on
a stand-in cluster.

A stand-in for the operator's sync step, not ESO: it reads each spec.data remoteRef (key = the path in the KV v2
mount the ClusterSecretStore names, property = the key in the secret) through hvac, renders spec.target.template.data
(literal text, "{{ .name }}" and "{{ .name | b64dec }}": anything else is refused, so the document cannot drift to
template forms this stand-in does not know), and creates spec.target.name in the ExternalSecret's namespace. The
server and the token come from the arguments (the document names a placeholder server and a token Secret).
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


def documents(path):
    """The YAML documents of the fenced yaml blocks of PATH that hold external-secrets.io objects."""
    text = open(path).read()
    found = {}
    for block in re.findall(r'```yaml\n(.*?)```', text, re.S):
        for doc in yaml.safe_load_all(block):
            if isinstance(doc, dict) and str(doc.get('apiVersion', '')).startswith('external-secrets.io/'):
                found[doc['kind']] = doc
    return found


def main():
    doc, url, token, cacert, state = sys.argv[1:6]
    found = documents(doc)
    store, external = found['ClusterSecretStore'], found['ExternalSecret']
    vault = store['spec']['provider']['vault']
    if vault.get('version') != 'v2':
        sys.exit('eso_render: the ClusterSecretStore must use KV version 2')
    client = hvac.Client(url=url, token=token, verify=cacert)
    values = {}
    for item in external['spec']['data']:
        ref = item['remoteRef']
        secret = client.secrets.kv.v2.read_secret_version(
            path=ref['key'], mount_point=vault['path'], raise_on_deleted_version=True)
        values[item['secretKey']] = secret['data']['data'][ref['property']]
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
    status, answer = kube.Kube(state).call('POST', '/api/v1/namespaces/%s/secrets' % namespace, body)
    if status != 201:
        sys.exit('eso_render: creating the Secret: HTTP %s %s' % (status, (answer or {}).get('message')))


if __name__ == '__main__':
    main()
