# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Talk to a stand-in cluster (or a real one) directly, to set up and check what the playbooks did.

kube.py DIR log                          print the request log, one line per request
kube.py DIR clear                        clear the request log
kube.py DIR requests METHOD...           the log holds exactly these methods, in this order (e.g. GET PATCH)
kube.py DIR fault JSON                   set faults, e.g. '{"status": 503, "count": 2}'
kube.py DIR secret NS NAME               print the Secret's annotations, data keys and resourceVersion as JSON
kube.py DIR secret-data NS NAME KEY      print one data value, decoded
kube.py DIR absent NS NAME               the Secret does not exist
kube.py DIR deployment NS NAME           create a Deployment
kube.py DIR template-annotation NS NAME  print the pod template's claudeops.io/credentials-fingerprint
kube.py DIR put-data NS NAME KEY VALUE   add a data key as another field manager ("someone-else")
kube.py DIR get NS NAME                  print the whole Secret as JSON, managedFields included
kube.py DIR create NS JSON [MANAGER]     create a Secret from JSON (metadata.name inside) as MANAGER ("someone-else")
kube.py DIR owners NS NAME               print "manager/operation: field,field" per managedFields entry
kube.py DIR get-path PATH                GET any path as the admin; print "STATUS JSON"
kube.py DIR objects                      print every stored object, Secret data values left out (stand-in only)
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import sys
import urllib.error
import urllib.request

ADMIN_TOKEN = 'standin-admin-token'


class Kube(object):
    def __init__(self, directory):
        with open(os.path.join(directory, 'port')) as handle:
            self.base = 'https://127.0.0.1:%s' % handle.read().strip()
        self.ctx = ssl.create_default_context(cafile=os.path.join(directory, 'ca.pem'))

    def call(self, method, path, body=None, ctype='application/json', auth=True):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header('Content-Type', ctype)
        if auth:
            req.add_header('Authorization', 'Bearer ' + ADMIN_TOKEN)
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=10) as resp:
                return resp.status, json.loads(resp.read() or b'null')
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b'null')

    def log(self):
        return self.call('GET', '/_standin/log', auth=False)[1]


def main():
    directory, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    kube = Kube(directory)
    if command == 'log':
        for entry in kube.log():
            print(entry['method'], entry['path'], json.dumps(entry['query'], sort_keys=True), entry['status'])
    elif command == 'clear':
        kube.call('DELETE', '/_standin/log', auth=False)
    elif command == 'requests':
        got = [e['method'] for e in kube.log()]
        if got != args:
            sys.exit('%s: expected requests %s, got %s' % (directory, args, got))
    elif command == 'fault':
        kube.call('POST', '/_standin/faults', json.loads(args[0]), auth=False)
    elif command in ('secret', 'secret-data', 'absent'):
        status, obj = kube.call('GET', '/api/v1/namespaces/%s/secrets/%s' % (args[0], args[1]))
        if command == 'absent':
            if status != 404:
                sys.exit('%s: Secret %s/%s exists' % (directory, args[0], args[1]))
            return
        if status != 200:
            sys.exit('%s: Secret %s/%s: HTTP %s' % (directory, args[0], args[1], status))
        if command == 'secret-data':
            sys.stdout.write(base64.b64decode(obj['data'][args[2]]).decode())
            return
        meta = obj['metadata']
        print(json.dumps({'annotations': meta.get('annotations', {}), 'labels': meta.get('labels', {}),
                          'keys': sorted(obj.get('data', {})), 'rv': meta['resourceVersion']}, sort_keys=True))
    elif command == 'deployment':
        body = {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': args[1]},
                'spec': {'replicas': 1, 'selector': {'matchLabels': {'app': args[1]}},
                         'template': {'metadata': {'labels': {'app': args[1]}},
                                      'spec': {'containers': [{'name': 'agent', 'image': 'agent:1'}]}}}}
        status, obj = kube.call('POST', '/apis/apps/v1/namespaces/%s/deployments' % args[0], body)
        if status != 201:
            sys.exit('cannot create deployment: %s %s' % (status, obj))
    elif command == 'template-annotation':
        status, obj = kube.call('GET', '/apis/apps/v1/namespaces/%s/deployments/%s' % (args[0], args[1]))
        annotations = obj['spec']['template']['metadata'].get('annotations') or {}
        print(annotations.get('claudeops.io/credentials-fingerprint', ''))
    elif command == 'put-data':
        patch = {'data': {args[2]: base64.b64encode(args[3].encode()).decode()}}
        status, obj = kube.call('PATCH', '/api/v1/namespaces/%s/secrets/%s?fieldManager=someone-else'
                                % (args[0], args[1]), patch, 'application/merge-patch+json')
        if status != 200:
            sys.exit('cannot patch: %s %s' % (status, obj))
    elif command == 'get':
        status, obj = kube.call('GET', '/api/v1/namespaces/%s/secrets/%s' % (args[0], args[1]))
        print(json.dumps(obj, sort_keys=True))
        if status != 200:
            sys.exit(1)
    elif command == 'create':
        manager = args[2] if len(args) > 2 else 'someone-else'
        status, obj = kube.call('POST', '/api/v1/namespaces/%s/secrets?fieldManager=%s' % (args[0], manager),
                                json.loads(args[1]))
        if status != 201:
            sys.exit('cannot create: %s %s' % (status, obj))
    elif command == 'owners':
        status, obj = kube.call('GET', '/api/v1/namespaces/%s/secrets/%s' % (args[0], args[1]))
        for entry in obj['metadata'].get('managedFields') or []:
            fields = entry.get('fieldsV1') or {}
            names = ['data.' + k[2:] for k in fields.get('f:data') or {}]
            for part in ('labels', 'annotations'):
                names += ['%s.%s' % (part, k[2:]) for k in (fields.get('f:metadata') or {}).get('f:' + part) or {}]
            print('%s/%s: %s' % (entry['manager'], entry['operation'], ','.join(sorted(names))))
    elif command == 'objects':
        status, objects = kube.call('GET', '/_standin/objects', auth=False)
        if status != 200:
            sys.exit('%s: cannot list the stored objects: HTTP %s' % (directory, status))
        print(json.dumps(objects, indent=1, sort_keys=True))
    elif command == 'get-path':
        status, obj = kube.call('GET', args[0])
        print(status, json.dumps(obj, sort_keys=True))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
