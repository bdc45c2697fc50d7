# Part of the apiserver_differential integration target: with CLAUDEOPS_RECORD=FILE and this directory on
# PYTHONPATH, every HTTP request a python process makes through urllib3 (the kubernetes client's transport, in every
# release line) appends one JSON line to FILE: method, path, query and content type of the request, and of the answer
# its status and what the collection reads of the body. Wrapped at the process edge (urllib3's PoolManager.urlopen);
# the collection's code is not touched.
#
# Nothing secret is written: no request body, no Authorization header, no data value (only the data keys), and of
# the last-applied-configuration annotation (a copy of the data) only that it is there. A Status's message is kept
# but for the user it names: kube-apiserver quotes names and fields in it, not data (the collection scrubs it anyway).
import json
import os
import re

RECORD = os.environ.get('CLAUDEOPS_RECORD')
LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'
# A 403 names the user, and each server has its own (the real one's share their first characters with its tokens,
# which the leak sweep would rightly flag): the recording keeps that a user was named, not which.
USER = re.compile(r'User "[^"]*"')


def project(body):
    """What the collection reads of an answer's JSON body."""
    if not isinstance(body, dict):
        return body
    if body.get('kind') == 'Status':
        out = {k: body.get(k) for k in ('status', 'code', 'reason', 'message')}
        if isinstance(out['message'], str):
            out['message'] = USER.sub('User "<a user>"', out['message'])
        return out
    meta = body.get('metadata') or {}
    annotations = dict(meta.get('annotations') or {})
    if LAST_APPLIED in annotations:
        annotations[LAST_APPLIED] = '<present>'
    out = {
        'kind': body.get('kind'),
        'apiVersion': body.get('apiVersion'),
        'name': meta.get('name'),
        'namespace': meta.get('namespace'),
        'labels': meta.get('labels'),
        'annotations': annotations or None,
        'resourceVersion': meta.get('resourceVersion'),
        'generation': meta.get('generation'),
        'finalizers': meta.get('finalizers'),
        'deleting': 'deletionTimestamp' in meta,
    }
    if body.get('kind') == 'Secret':  # the only kind whose managedFields the collection reads
        out['managedFields'] = [{k: v for k, v in entry.items() if k != 'time'} for entry in meta.get('managedFields')
                                or []]
    if 'data' in body or body.get('kind') == 'Secret':
        out['dataKeys'] = sorted(body.get('data') or {})
        out['type'] = body.get('type')
        out['immutable'] = body.get('immutable')
    spec = body.get('spec')
    if isinstance(spec, dict) and 'template' in spec:
        out['spec'] = {'paused': spec.get('paused'), 'updateStrategy': spec.get('updateStrategy'),
                       'templateAnnotations': ((spec['template'].get('metadata') or {}).get('annotations'))}
        out['status'] = body.get('status')
    if body.get('kind') == 'Namespace':
        out['phase'] = (body.get('status') or {}).get('phase')
    return out


def install():
    import urllib3
    from urllib.parse import parse_qsl, urlsplit

    original = urllib3.PoolManager.urlopen

    def urlopen(self, method, url, *args, **kwargs):
        response = original(self, method, url, *args, **kwargs)
        parts = urlsplit(url)
        headers = kwargs.get('headers') or {}
        raw = response.data  # read once; urllib3 keeps it for the client's own read
        try:
            body = project(json.loads(raw)) if raw else None
        except ValueError:
            body = '<not JSON>'
        line = {'method': method, 'path': parts.path, 'query': sorted(parse_qsl(parts.query)),
                'contentType': headers.get('Content-Type'), 'status': response.status, 'body': body}
        with open(RECORD, 'a') as handle:
            handle.write(json.dumps(line, sort_keys=True) + '\n')
        return response

    urllib3.PoolManager.urlopen = urlopen


if RECORD:
    try:
        install()
    except ImportError:  # a python without urllib3 (the controller may be one): nothing to record there
        pass
