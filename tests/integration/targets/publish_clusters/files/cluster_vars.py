# Part of the publish_clusters integration target (runme.sh runs it): the clusters publish.yml is given (NAME:CONTEXT ...).
import json
import sys
work, specs = sys.argv[1], sys.argv[2:]
out = []
for spec in specs:
    name, role = spec.split(':')

    def port(c):
        return open('%s/k8s/%s/port' % (work, c)).read().strip()
    if role == 'down':
        out.append({'name': name, 'host': 'https://127.0.0.1:1', 'api_key': 'x', 'ca_cert': work + '/k8s/c1/ca.pem'})
    elif role == 'badca':  # the server's certificate checked against another cluster's CA
        out.append({'name': name, 'host': 'https://127.0.0.1:' + port(name), 'api_key': 'standin-admin-token',
                    'ca_cert': work + '/k8s/c3/ca.pem'})
    elif role == 'badtoken':
        out.append({'name': name, 'host': 'https://127.0.0.1:' + port(name), 'api_key': 'wrong-token',
                    'ca_cert': '%s/k8s/%s/ca.pem' % (work, name)})
    else:
        out.append({'name': name, 'kubeconfig': '%s/k8s/%s/kubeconfig' % (work, name), 'context': '%s-%s' % (name, role)})
json.dump(out, open(work + '/clusters.json', 'w'))
