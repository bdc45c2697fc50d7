# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a Deployment's pod from a stand-in cluster on this machine, the part of a kubelet our docs depend on.

pod_runner.py DIR NAMESPACE DEPLOYMENT WORK BIN

Reads the Deployment and the Secrets its volumes and env name from the stand-in at DIR (as the admin), then, under
WORK: makes each volume (a Secret volume holds its keys, or its items, decoded, with defaultMode; an emptyDir is
empty), runs the init containers in order and then the first container, each with its env (values and
secretKeyRef) and with every mountPath in its command and env replaced by the volume's directory there. PATH is BIN
first (where a fake `claude` lives) and the system's. Images are not pulled: the commands run with this machine's
sh and tools. Prints the first line the container writes and stops it (its loop never ends), then prints
`secret volume unchanged` when the Secret volume's files are as they were (it is read-only in a real pod).
Exit 1 when an init container fails or the container writes nothing within 30 seconds.
"""

from __future__ import annotations

import base64
import hashlib
import os
import selectors
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from kube import Kube  # noqa: E402  pylint: disable=wrong-import-position


def secret(kube, namespace, name):
    status, obj = kube.call('GET', '/api/v1/namespaces/%s/secrets/%s' % (namespace, name))
    if status != 200:
        sys.exit('Secret %s/%s: HTTP %s' % (namespace, name, status))
    return dict((k, base64.b64decode(v)) for k, v in (obj.get('data') or {}).items())


def make_volumes(kube, namespace, spec, work):
    paths = {}
    for volume in spec.get('volumes') or []:
        path = os.path.join(work, 'volumes', volume['name'])
        os.makedirs(path)
        if 'secret' in volume:
            data = secret(kube, namespace, volume['secret']['secretName'])
            items = volume['secret'].get('items') or [{'key': k, 'path': k} for k in data]
            for item in items:
                target = os.path.join(path, item['path'])
                with open(target, 'wb') as handle:
                    handle.write(data[item['key']])
                os.chmod(target, volume['secret'].get('defaultMode', 0o644))
        paths[volume['name']] = path
    return paths


def digest(path):
    out = hashlib.sha256()
    for name in sorted(os.listdir(path)):
        with open(os.path.join(path, name), 'rb') as handle:
            out.update(name.encode() + b'\0' + handle.read())
    return out.hexdigest()


def prepare(kube, namespace, container, volumes, bin_dir):
    mounts = sorted(((m['mountPath'], os.path.join(volumes[m['name']], m.get('subPath', '')).rstrip('/'))
                     for m in container.get('volumeMounts') or []), key=lambda m: -len(m[0]))

    def local(text):
        for mount, path in mounts:
            text = text.replace(mount, path)
        return text

    env = {'PATH': '%s:/usr/local/bin:/usr/bin:/bin' % bin_dir}
    for var in container.get('env') or []:
        if 'value' in var:
            env[var['name']] = local(var['value'])
        else:
            ref = var['valueFrom']['secretKeyRef']
            env[var['name']] = secret(kube, namespace, ref['name'])[ref['key']].decode()
    return [local(part) for part in (container.get('command') or []) + (container.get('args') or [])], env


def main():
    directory, namespace, name, work, bin_dir = sys.argv[1:6]
    kube = Kube(directory)
    status, deployment = kube.call('GET', '/apis/apps/v1/namespaces/%s/deployments/%s' % (namespace, name))
    if status != 200:
        sys.exit('Deployment %s/%s: HTTP %s' % (namespace, name, status))
    spec = deployment['spec']['template']['spec']
    volumes = make_volumes(kube, namespace, spec, work)
    secret_volumes = [volumes[v['name']] for v in spec.get('volumes') or [] if 'secret' in v]
    before = [digest(p) for p in secret_volumes]
    for init in spec.get('initContainers') or []:
        argv, env = prepare(kube, namespace, init, volumes, bin_dir)
        done = subprocess.run(argv, env=env, cwd=work, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode:
            sys.exit('init container %s failed (%d): %s' % (init['name'], done.returncode, done.stderr[-500:]))
    argv, env = prepare(kube, namespace, spec['containers'][0], volumes, bin_dir)
    proc = subprocess.Popen(argv, env=env, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    line = proc.stdout.readline().decode().strip() if selector.select(timeout=30) else ''
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    if not line:
        sys.exit('container %s wrote nothing within 30 seconds' % spec['containers'][0]['name'])
    print(line)
    if [digest(p) for p in secret_volumes] == before:
        print('secret volume unchanged')
    return 0


if __name__ == '__main__':
    sys.exit(main())
