# Part of the doctor integration target (runme.sh runs it): the clusters the doctor is given (NAME:CONTEXT[:NAMESPACE] ...).
import json
import sys
work, specs = sys.argv[1], sys.argv[2:]
out = []
for spec in specs:
    name, role, *ns = spec.split(':')
    if role == 'down':
        out.append({'name': name, 'host': 'https://127.0.0.1:1', 'api_key': 'standin', 'validate_certs': False})
        continue
    entry = {'name': name, 'kubeconfig': '%s/k8s/%s/kubeconfig' % (work, name), 'context': '%s-%s' % (name, role)}
    if ns:
        entry['namespace'] = ns[0]
    out.append(entry)
json.dump({'claudeops_clusters': out, 'claudeops_restart': ['Deployment/agent']}, open(work + '/vars.json', 'w'))
