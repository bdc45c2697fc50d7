# Part of the awx_environment integration target (runme.sh runs it): the kubeconfig a user pastes into the credential, one context per cluster.
import json
import sys
work = sys.argv[1]
merged = {'apiVersion': 'v1', 'kind': 'Config', 'clusters': [], 'users': [], 'contexts': [], 'current-context': 'prod-eu'}
for name in ('prod-eu', 'prod-us'):
    kc = json.load(open('%s/k8s/%s/kubeconfig' % (work, name)))
    merged['clusters'] += kc['clusters']
    merged['users'] += [u for u in kc['users'] if u['name'] == name + '-admin']
    merged['contexts'].append({'name': name, 'context': {'cluster': name, 'user': name + '-admin'}})
json.dump(merged, open(work + '/credential-kubeconfig', 'w'))
