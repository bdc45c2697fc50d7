# Part of the apiserver_flows integration target (runme.sh runs it): what the real kube-apiserver stored, read with
# the admin kubeconfig and printed without a data value.
#   stored.py KUBECONFIG keys NAMESPACE NAME      the Secret's data keys, sorted, comma-separated
#   stored.py KUBECONFIG owners NAMESPACE NAME    one line per managedFields entry: MANAGER/OPERATION: f:data keys
#   stored.py KUBECONFIG annotations NAMESPACE NAME   the annotation keys, sorted, comma-separated
#   stored.py KUBECONFIG templates NAMESPACE      KIND/NAME=fingerprint annotation of every workload's pod template
#   stored.py KUBECONFIG phase NAME               a namespace's status.phase (or "gone")
import json
import ssl
import sys
import urllib.error
import urllib.request

import yaml


def get(config, path):
    cluster = config['clusters'][0]['cluster']
    token = config['users'][0]['user']['token']
    tls = ssl.create_default_context(cafile=cluster['certificate-authority'])
    req = urllib.request.Request(cluster['server'] + path, headers={'Authorization': 'Bearer ' + token})
    try:
        with urllib.request.urlopen(req, context=tls, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return None
        raise


config = yaml.safe_load(open(sys.argv[1]))
what = sys.argv[2]
if what == 'phase':
    ns = get(config, '/api/v1/namespaces/%s' % sys.argv[3])
    print(ns['status']['phase'] if ns else 'gone')
elif what == 'templates':
    for plural in ('deployments', 'statefulsets', 'daemonsets'):
        for item in get(config, '/apis/apps/v1/namespaces/%s/%s' % (sys.argv[3], plural))['items']:
            notes = item['spec']['template']['metadata'].get('annotations') or {}
            print('%s/%s=%s' % (plural[:-1], item['metadata']['name'],
                                notes.get('claudeops.io/credentials-fingerprint', '')))
else:
    secret = get(config, '/api/v1/namespaces/%s/secrets/%s' % (sys.argv[3], sys.argv[4]))
    if secret is None:
        print('absent')
    elif what == 'keys':
        print(','.join(sorted(secret.get('data') or {})))
    elif what == 'annotations':
        print(','.join(sorted(secret['metadata'].get('annotations') or {})))
    elif what == 'owners':
        for entry in secret['metadata'].get('managedFields') or []:
            data = sorted(k[2:] for k in (entry.get('fieldsV1') or {}).get('f:data') or {} if k.startswith('f:'))
            print('%s/%s: %s' % (entry['manager'], entry['operation'], ','.join(data)))
