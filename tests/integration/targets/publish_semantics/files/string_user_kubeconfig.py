# Part of the publish_semantics integration target (runme.sh runs it): a kubeconfig whose user is a string.
import json
import sys
work = sys.argv[1]
kc = json.load(open(work + '/k8s/c1/kubeconfig'))
kc['users'][0]['user'] = 'sk-ant-oat01-CANARYKUBECONFIG'
json.dump(kc, open(work + '/bad-kubeconfig', 'w'))
json.dump([{'name': 'broken', 'kubeconfig': work + '/bad-kubeconfig', 'context': 'c1-admin'},
           {'name': 'c2', 'kubeconfig': work + '/k8s/c2/kubeconfig', 'context': 'c2-admin'}], open(work + '/clusters.json', 'w'))
