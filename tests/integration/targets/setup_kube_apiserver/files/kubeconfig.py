# Part of setup_kube_apiserver (setup.sh runs it): write DIR/kubeconfig (0600) for the admin of the API server NAME
# on PORT; the token comes from the environment (TOKEN), never argv.
import json
import os
import sys

d, name, port = sys.argv[1:4]
doc = {'apiVersion': 'v1', 'kind': 'Config', 'current-context': name,
       'clusters': [{'name': name, 'cluster': {'server': 'https://127.0.0.1:%s' % port,
                                               'certificate-authority': os.path.join(d, 'ca.pem')}}],
       'users': [{'name': name + '-admin', 'user': {'token': os.environ['TOKEN']}}],
       'contexts': [{'name': name, 'context': {'cluster': name, 'user': name + '-admin', 'namespace': 'claude'}}]}
fd = os.open(os.path.join(d, 'kubeconfig'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, 'w') as handle:
    json.dump(doc, handle)
