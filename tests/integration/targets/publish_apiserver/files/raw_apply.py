# Part of the publish_apiserver integration target (runme.sh runs it): send server-side apply bodies to the API
# server of KUBECONFIG [CONTEXT] and print each answer's status and message, one line per case, so that the
# stand-in's answers can be compared with kube-apiserver's: a good body; the JSON string literal that kubernetes
# clients 25.3.0 to 36.0.x made of JSON text; the surrogate escapes json.dumps writes for an emoji; data keys that
# kube-apiserver's validation refuses (a leading '..', a space).
import base64
import json
import ssl
import sys
import urllib.error
import urllib.request

import yaml

config = yaml.safe_load(open(sys.argv[1]))
context = sys.argv[2] if len(sys.argv) > 2 else config['current-context']
ctx = [c['context'] for c in config['contexts'] if c['name'] == context][0]
cluster = [c['cluster'] for c in config['clusters'] if c['name'] == ctx['cluster']][0]
user = [u['user'] for u in config['users'] if u['name'] == ctx['user']][0]
if 'certificate-authority-data' in cluster:
    tls = ssl.create_default_context(cadata=base64.b64decode(cluster['certificate-authority-data']).decode())
else:
    tls = ssl.create_default_context(cafile=cluster['certificate-authority'])
good = {'apiVersion': 'v1', 'kind': 'Secret', 'metadata': {'name': 'raw-apply', 'namespace': 'claude'},
        'data': {'k': 'dg=='}}
cases = [
    ('good', json.dumps(good).encode()),
    ('string-literal', json.dumps(json.dumps(good)).encode()),
    ('surrogate-escape', json.dumps(dict(good, metadata=dict(good['metadata'], annotations={'n': '\U0001F600'}))).encode()),
    ('dot-dot-key', json.dumps(dict(good, data={'..data': 'dg=='})).encode()),
    ('bad-key', json.dumps(dict(good, data={'a b': 'dg=='})).encode()),
]
for name, body in cases:
    req = urllib.request.Request(cluster['server'] + '/api/v1/namespaces/claude/secrets/raw-apply?fieldManager=probe',
                                 data=body, method='PATCH',
                                 headers={'Content-Type': 'application/apply-patch+yaml',
                                          'Authorization': 'Bearer ' + user['token'], 'Accept': 'application/json'})
    try:
        with urllib.request.urlopen(req, context=tls, timeout=30) as resp:
            print('%s %d' % (name, resp.status))
    except urllib.error.HTTPError as err:
        print('%s %d %s' % (name, err.code, json.loads(err.read()).get('message')))
