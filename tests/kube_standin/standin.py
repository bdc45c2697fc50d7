# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A loopback stand-in for the Kubernetes API server, for this collection's tests.

It answers, over HTTPS with its own CA, the part of the API that claudeops.credentials, kubectl and
kubernetes.core.k8s touch: discovery, namespaces, secrets, and apps/v1 deployments, statefulsets and
daemonsets. Behaviour that our code depends on follows kube-apiserver:

- bearer-token authn with an admin, a read-only user (403 on any write, dry runs included) and a user with
  namespace-scoped RBAC (``--scoped-namespace``): outside its namespaces, and in a granted namespace that does not
  exist (its RoleBinding cannot exist either), every request is 403, never 404;
- resourceVersion with 409 on stale writes (body ``metadata.resourceVersion`` or delete preconditions, uid too) and
  on duplicate creates; 404 for a missing namespace;
- validation with 422: Secret data keys, base64 and the 1 MiB limit; label and annotation keys (qualified names),
  label values, annotations over 256 KiB; a Secret's ``type`` is immutable; a Secret with ``immutable: true``
  refuses data changes and cannot be made mutable again;
- ``dryRun=All`` on every write (for a DELETE with a body, ``dryRun: [All]`` in the body, and then the query's
  options are ignored, as kube-apiserver ignores them);
- External Secrets Operator's ``ExternalSecret`` (namespaced) and ``ClusterSecretStore`` (cluster-scoped) objects of
  ``external-secrets.io/v1``, stored as given, with the same writes and field management, so that the manifests of
  docs/stores.md can be applied; no operator acts on them (tests/store_standins/eso_render.py stands in for its sync);
- field management keyed by manager and operation, as kube-apiserver keeps ``managedFields``: a create, update or
  non-apply patch makes its field manager an ``Update`` owner of the fields it set or changed (co-owning them with
  others), server-side apply makes it the ``Apply`` owner of exactly the fields it sent; fields an applier stops
  sending are removed unless another entry owns them; fields owned by another entry conflict unless
  ``force=true``; a non-apply write that sets ``metadata.managedFields`` replaces them (``[{}]`` clears them),
  as kubectl's csaupgrade relies on. Tracked fields: data keys, labels, annotations, ``type``, ``immutable`` and
  ``spec`` as a whole.

Test hooks, without authentication, under ``/_standin/``: ``POST /_standin/faults`` with
``{"status": 503, "count": 2}`` fails the next N writes (``"methods"`` to choose which), ``{"latency": 0.2}``
delays every request, ``{"drop": 1}`` closes the next N connections without an answer, ``{"lose_answer": 1}``
carries out the next N writes and then closes the connection without answering (a write that landed although its
client saw a failure), ``{"barrier": 2}`` holds each read of a Secret until that many have arrived (at most 60 s),
so that two clients certainly read the same resourceVersion before either writes, ``{"garbage": 1}`` answers the
next N reads with 200 and a JSON list, which no API server sends (for code paths that must survive the unforeseen),
``{"mark_on_write": PATH}`` creates the file PATH after each write that landed (no dry run),
``{"quote_body": true}`` with a status makes the injected answer quote the request's ``data``, as an admission
webhook that prints what it refused of the object does, and ``{"hold_until": [PATH, ...], "hold_max": 20}`` holds
the next read of a Secret until every PATH exists, answering 503 when hold_max seconds pass first (how a test
proves, without comparing clocks, that other clusters were written while this one was still waiting);
``GET /_standin/log`` returns the request log and ``DELETE /_standin/log`` clears it. ``GET /_standin/objects``
returns every stored object with Secret data values left out (what the leak sweep reads: annotations, labels and
managedFields must never hold a token).

    python standin.py --state-dir DIR [--port 0] [--name NAME]

writes DIR/kubeconfig (contexts NAME-admin, NAME-readonly and NAME-scoped), DIR/ca.pem, DIR/port and DIR/pid, then serves.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import copy
import datetime
import json
import os
import re
import socket
import ssl
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ADMIN_TOKEN = 'standin-admin-token'
READONLY_TOKEN = 'standin-readonly-token'
SCOPED_TOKEN = 'standin-scoped-token'
KEY_RE = re.compile(r'^[-._a-zA-Z0-9]+$')
MAX_SECRET = 1024 * 1024
MAX_ANNOTATIONS = 256 * 1024
NAME_PART_RE = re.compile(r'^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$')
PREFIX_RE = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')
LABEL_VALUE_RE = re.compile(r'^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$')
ESO_GROUP = 'external-secrets.io'
KINDS = {
    ('', 'secrets'): ('Secret', 'v1'),
    ('apps', 'deployments'): ('Deployment', 'apps/v1'),
    ('apps', 'statefulsets'): ('StatefulSet', 'apps/v1'),
    ('apps', 'daemonsets'): ('DaemonSet', 'apps/v1'),
    # External Secrets Operator's objects, kept as given (no operator runs here), for the manifests of docs/stores.md.
    (ESO_GROUP, 'externalsecrets'): ('ExternalSecret', ESO_GROUP + '/v1'),
    (ESO_GROUP, 'clustersecretstores'): ('ClusterSecretStore', ESO_GROUP + '/v1'),
}
CLUSTER_SCOPED = ('clustersecretstores',)
WORKLOAD_KINDS = ('Deployment', 'StatefulSet', 'DaemonSet')


# A \uD800-\uDFFF escape: JSON writes characters outside the BMP so (json.dumps' default), and YAML refuses it.
_SURROGATE_ESCAPE = re.compile(rb'\\u[dD][89a-fA-F][0-9a-fA-F]{2}')


def _apply_patch_body(raw):
    """A server-side apply body as kube-apiserver decodes it: YAML (sigs.k8s.io/yaml), into a map. A JSON string
    literal (what kubernetes clients 25.3.0 to 36.0.x made of apply text) is not a map; a surrogate escape (what
    json.dumps writes for an emoji) is not YAML to go-yaml. Both are refused with 400, as the real server does, in
    the words of v1.37 ("error decoding patch: ..."; v1.36 said "error decoding YAML: ...")."""
    import yaml  # kubectl and apply patches send YAML
    if _SURROGATE_ESCAPE.search(raw):
        raise ApiError(400, 'BadRequest', 'error decoding patch: error converting YAML to JSON: yaml: found invalid '
                       'Unicode character escape code')
    try:
        doc = yaml.safe_load(raw)
    except Exception:
        raise ApiError(400, 'BadRequest', 'error decoding patch: the body is not YAML')
    if not isinstance(doc, dict):
        raise ApiError(400, 'BadRequest', 'error decoding patch: error unmarshaling JSON: while decoding JSON: json: '
                       'cannot unmarshal %s into Go value of type map[string]interface {}'
                       % {str: 'string', list: 'array', int: 'number', float: 'number', bool: 'bool'}.get(type(doc), 'value'))
    return doc


class ApiError(Exception):
    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details


def status_body(code, reason, message, details=None):
    body = {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {}, 'status': 'Failure', 'message': message,
            'reason': reason, 'code': code}
    if details:
        body['details'] = details
    return body


def now_iso():
    return datetime.datetime.now(tz=datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def owned_fields(obj):
    """The fields server-side apply tracks here: data keys, labels and annotations (and spec as a whole)."""
    meta = obj.get('metadata') or {}
    fields = set(('data', k) for k in (obj.get('data') or {}))
    fields |= set(('labels', k) for k in (meta.get('labels') or {}))
    fields |= set(('annotations', k) for k in (meta.get('annotations') or {}))
    if 'spec' in obj:
        fields.add(('spec', ''))
    for top in ('type', 'immutable'):
        if top in obj:
            fields.add((top, ''))
    return fields


MAPS = ('data', 'labels', 'annotations')
EMPTY = '{}'  # the key of an empty entry for a map in an owner's fieldsV1 (it owns nothing in it any more)


def markers(obj):
    """The maps an object holds, as the "." entries of an Update manager's fieldsV1 (the map itself): kube-apiserver
    records them for the writer that made the map, and never for an apply."""
    return set((part, '.') for part in MAPS if get_field(obj, (part, '.')))


def get_field(obj, field):
    part, key = field
    if key == EMPTY:
        return None
    if key == '.':
        held = obj.get('data') if part == 'data' else (obj.get('metadata') or {}).get(part)
        return True if held else None
    if part == 'data':
        return (obj.get('data') or {}).get(key)
    if part in ('labels', 'annotations'):
        return ((obj.get('metadata') or {}).get(part) or {}).get(key)
    return obj.get(part)


def set_field(obj, field, value):
    part, key = field
    if key in ('.', EMPTY):
        return
    if part == 'data':
        obj.setdefault('data', {})[key] = value
    elif part in ('labels', 'annotations'):
        obj.setdefault('metadata', {}).setdefault(part, {})[key] = value
    else:
        obj[part] = value


def del_field(obj, field):
    part, key = field
    if key in ('.', EMPTY):
        return
    if part == 'data':
        (obj.get('data') or {}).pop(key, None)
    elif part in ('labels', 'annotations'):
        ((obj.get('metadata') or {}).get(part) or {}).pop(key, None)
    else:
        obj.pop(part, None)


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def without_data(obj):
    """The object as stored, with a Secret's data and stringData values left out (their keys kept)."""
    out = dict(obj)
    for field in ('data', 'stringData'):
        if isinstance(out.get(field), dict):
            out[field] = dict.fromkeys(out[field], '[value left out]')
    return out


class Store(object):
    def __init__(self):
        self.lock = threading.RLock()
        self.rv = 1000
        self.namespaces = {'default': self._ns('default'), 'kube-system': self._ns('kube-system')}
        self.objects = {}
        self.managers = {}
        self.log = []
        self.faults = {'status': None, 'count': 0, 'methods': ['POST', 'PUT', 'PATCH', 'DELETE'], 'latency': 0.0,
                       'drop': 0, 'lose_answer': 0, 'garbage': 0, 'barrier': 0}
        self.scoped = set()
        self.arrived = threading.Condition(self.lock)
        self.waiting = 0

    def next_rv(self):
        self.rv += 1
        return str(self.rv)

    def _ns(self, name):
        self.rv = getattr(self, 'rv', 1000) + 1
        return {'apiVersion': 'v1', 'kind': 'Namespace',
                'metadata': {'name': name, 'uid': str(uuid.uuid4()), 'resourceVersion': str(self.rv),
                             'creationTimestamp': now_iso(),
                             # set by kube-apiserver's namespace strategy on every namespace (since 1.21)
                             'labels': {'kubernetes.io/metadata.name': name}},
                'spec': {'finalizers': ['kubernetes']}, 'status': {'phase': 'Active'}}

    # -- validation -------------------------------------------------------------------------------

    @staticmethod
    def validate(kind, obj, current=None):
        """422 for what kube-apiserver's validation refuses, with its field paths and messages."""
        causes = []
        meta = obj.get('metadata') or {}
        for part in ('labels', 'annotations'):
            for key in (meta.get(part) or {}):
                problem = qualified_name_problem(key)
                if problem:
                    causes.append({'reason': 'FieldValueInvalid', 'field': 'metadata.%s' % part,
                                   'message': 'Invalid value: "%s": %s' % (key, problem)})
        for key, value in (meta.get('labels') or {}).items():
            if not isinstance(value, str) or len(value) > 63 or not LABEL_VALUE_RE.match(value):
                causes.append({'reason': 'FieldValueInvalid', 'field': 'metadata.labels',
                               'message': 'Invalid value: "%s": a valid label must be an empty string or consist of '
                                          "alphanumeric characters, '-', '_' or '.', and must start and end with an "
                                          'alphanumeric character, at most 63 characters' % value})
        size = sum(len(k) + len(str(v)) for k, v in (meta.get('annotations') or {}).items())
        if size > MAX_ANNOTATIONS:
            causes.append({'reason': 'FieldValueTooLong', 'field': 'metadata.annotations',
                           'message': 'Too long: must have at most 262144 bytes'})
        if kind == 'Secret':
            causes.extend(Store._secret_causes(obj, current))
        if causes:
            name = meta.get('name')
            raise ApiError(422, 'Invalid', '%s "%s" is invalid: %s' % (kind, name, '; '.join(
                '%s: %s' % (c['field'], c['message']) for c in causes)),
                {'name': name, 'kind': kind.lower() + 's', 'causes': causes})

    @staticmethod
    def _secret_causes(obj, current):
        causes = []
        total = 0
        for key, value in (obj.get('data') or {}).items():
            # apimachinery's IsConfigMapKey: one cause per complaint, in its order
            problems = []
            if len(key) > 253:
                problems.append('must be no more than 253 characters')
            if not KEY_RE.match(key):
                problems.append("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                                "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
                                "'[-._a-zA-Z0-9]+')")
            if key in ('.', '..'):
                problems.append("must not be '%s'" % key)
            elif key.startswith('..'):
                problems.append("must not start with '..'")
            for problem in problems:
                causes.append({'reason': 'FieldValueInvalid', 'field': 'data[%s]' % key,
                               'message': 'Invalid value: "%s": %s' % (key, problem)})
            try:
                total += len(base64.b64decode(value or '', validate=True))
            except (binascii.Error, ValueError, TypeError):
                causes.append({'reason': 'FieldValueInvalid', 'field': 'data[%s]' % key,
                               'message': 'illegal base64 data'})
        if total > MAX_SECRET:
            causes.append({'reason': 'FieldValueTooLong', 'field': 'data',
                           'message': 'Too long: must have at most 1048576 bytes'})
        if current is not None:
            if (current.get('type') or 'Opaque') != (obj.get('type') or 'Opaque'):
                causes.append({'reason': 'FieldValueInvalid', 'field': 'type',
                               'message': 'Invalid value: "%s": field is immutable' % obj.get('type')})
            if current.get('immutable'):
                if (current.get('data') or {}) != (obj.get('data') or {}):
                    causes.append({'reason': 'FieldValueForbidden', 'field': 'data',
                                   'message': 'Forbidden: field is immutable when `immutable` is set'})
                if not obj.get('immutable'):
                    causes.append({'reason': 'FieldValueForbidden', 'field': 'immutable',
                                   'message': 'Forbidden: field is immutable when `immutable` is set'})
        return causes


def qualified_name_problem(key):
    """None for a valid qualified name (``[prefix/]name``), else kube-apiserver's complaint."""
    prefix, slash, name = str(key).rpartition('/')
    if slash and (not prefix or len(prefix) > 253 or not PREFIX_RE.match(prefix)):
        return 'prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, ' \
               "'-' or '.', and must start and end with an alphanumeric character"
    if not name or len(name) > 63 or not NAME_PART_RE.match(name):
        return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " \
               'alphanumeric character, at most 63 characters'
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'claudeops-kube-standin/1.0'

    def log_message(self, fmt, *args):  # quiet
        return

    # -- plumbing -----------------------------------------------------------------------------------

    def _send(self, code, body, content_type='application/json'):
        raw = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(raw)))
        self.send_header('Audit-Id', str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self):
        raw = self._raw
        if not raw:
            return None
        ctype = (self.headers.get('Content-Type') or '').split(';')[0].strip()
        if ctype == 'application/apply-patch+yaml':
            return _apply_patch_body(raw)
        try:
            return json.loads(raw)
        except ValueError:
            try:
                import yaml  # kubectl and apply patches may send YAML
                return yaml.safe_load(raw)
            except Exception:
                raise ApiError(400, 'BadRequest', 'the body of the request was in an unknown format')

    DELETE_OPTIONS = ('dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy')

    def _delete_options(self, query):
        query = {k: v for k, v in query.items() if k not in self.DELETE_OPTIONS}
        try:
            body = json.loads(self._raw)
        except ValueError:
            return query
        if isinstance(body, dict) and 'All' in (body.get('dryRun') or []):
            query['dryRun'] = 'All'
        return query

    def _handle(self, method):
        # Read the whole body before anything can fail, or the next request on this connection is garbage.
        length = int(self.headers.get('Content-Length') or 0)
        self._raw = self.rfile.read(length) if length else b''
        store = self.server.store
        url = urlsplit(self.path)
        query = dict((k, v[-1]) for k, v in parse_qs(url.query).items())
        if method == 'DELETE' and self._raw:
            # As kube-apiserver (apiserver/pkg/endpoints/handlers/delete.go): a DELETE with a body takes its options
            # from the body alone, and the query's are ignored, dryRun included.
            query = self._delete_options(query)
        path = url.path.rstrip('/') or '/'
        if path.startswith('/_standin'):
            return self._control(method, path)
        user = self._user()
        entry = {'t': round(time.time(), 4), 'method': method, 'path': path, 'query': query, 'user': user,
                 'content_type': self.headers.get('Content-Type'), 'status': None}
        with store.lock:
            store.log.append(entry)
            faults = store.faults
            latency = faults['latency']
            drop = faults['drop'] > 0
            if drop:
                faults['drop'] -= 1
            is_write = method in faults['methods'] and not path.startswith('/version')
            inject = faults['count'] > 0 and is_write
            if inject:
                faults['count'] -= 1
            lose = not inject and faults.get('lose_answer', 0) > 0 and is_write
            if lose:
                faults['lose_answer'] -= 1
            garbage = method == 'GET' and faults.get('garbage', 0) > 0 and '/namespaces/' in path
            if garbage:
                faults['garbage'] -= 1
            if method == 'GET' and '/secrets/' in path and faults.get('barrier', 0) > 0:
                store.waiting += 1
                if store.waiting >= faults['barrier']:
                    faults['barrier'], store.waiting = 0, 0
                    store.arrived.notify_all()
                else:
                    store.arrived.wait_for(lambda: faults['barrier'] == 0, timeout=60)
        if latency:
            time.sleep(latency)
        held = self._hold(faults, method, path)
        if drop:
            return self._hang_up(entry, 'dropped')
        try:
            if user is None:
                raise ApiError(401, 'Unauthorized', 'Unauthorized')
            if inject:
                code = faults['status']
                if faults.get('quote_body'):  # as an admission webhook that prints what it refused of the object
                    try:
                        quoted = json.dumps((json.loads(self._raw) or {}).get('data'))
                    except (ValueError, AttributeError):
                        quoted = self._raw.decode('utf-8', 'replace')
                    raise ApiError(code, 'Forbidden', 'admission webhook "quote.example.com" denied the request: '
                                   'data %s is not allowed here' % quoted)
                raise ApiError(code, 'InternalError' if code >= 500 else 'Injected', 'injected fault %s' % code)
            if held is False:
                raise ApiError(503, 'ServiceUnavailable', 'hold_until: the files never appeared')
            self._authorize(user, method, path)
            code, body = (200, ['not', 'an', 'object']) if garbage else self._route(method, path, query)
        except ApiError as err:
            code, body = err.code, status_body(err.code, err.reason, err.message, err.details)
        if lose:
            return self._hang_up(entry, 'answer lost after %s' % code)
        entry['status'] = code
        if held is not None:
            entry['held'] = held
        mark = faults.get('mark_on_write')
        if mark and is_write and code < 300 and query.get('dryRun') != 'All':
            with open(mark, 'w'):
                pass
        self._send(code, body)

    @staticmethod
    def _hold(faults, method, path):
        """None when no hold applies; True when the files appeared; False when hold_max passed first."""
        paths = faults.get('hold_until')
        if not paths or method != 'GET' or '/secrets/' not in path:
            return None
        faults['hold_until'] = None  # the next read only
        end = time.time() + float(faults.get('hold_max') or 20)
        while not all(os.path.exists(p) for p in paths):
            if time.time() > end:
                return False
            time.sleep(0.05)
        return True

    def _hang_up(self, entry, why):
        entry['status'] = why
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _user(self):
        auth = self.headers.get('Authorization') or ''
        token = auth[7:].strip() if auth.lower().startswith('bearer ') else None
        return {ADMIN_TOKEN: 'admin', READONLY_TOKEN: 'readonly', SCOPED_TOKEN: 'scoped'}.get(token)

    def _authorize(self, user, method, path):
        """RBAC as the tests' users have it: admin may do anything, readonly only read (a dry run is a write), and
        scoped anything inside its granted namespaces that exist, nothing else but discovery."""
        verb = {'GET': 'get', 'POST': 'create', 'PUT': 'update', 'PATCH': 'patch', 'DELETE': 'delete'}[method]
        if path in ('/version', '/api', '/apis', '/api/v1', '/apis/apps/v1'):
            return  # discovery is open to every authenticated user
        parts = path.strip('/').split('/')
        at = parts.index('namespaces') if 'namespaces' in parts else None
        namespaced = at is not None and len(parts) > at + 2
        namespace = parts[at + 1] if namespaced else None
        resource = parts[at + 2] if namespaced else 'namespaces'
        if namespaced:
            named = parts[at + 3] if len(parts) > at + 3 else None
        else:
            named = parts[at + 1] if at is not None and len(parts) > at + 1 else None
        what = '%s "%s"' % (resource, named) if named else resource  # as kube-apiserver: the name, when there is one
        if method != 'GET' and user == 'readonly':
            raise ApiError(403, 'Forbidden', '%s is forbidden: User "readonly" cannot %s resource "%s" in the '
                                             'namespace "%s"' % (what, verb, resource, namespace))
        if user != 'scoped':
            return
        store = self.server.store
        if namespaced and namespace in store.scoped and namespace in store.namespaces:
            return
        where = (' in the namespace "%s"' % namespace) if namespaced else ' at the cluster scope'
        raise ApiError(403, 'Forbidden', '%s is forbidden: User "system:serviceaccount:claudeops:scoped" cannot %s '
                                         'resource "%s" in API group "%s"%s'
                       % (what, verb, resource, 'apps' if parts[0] == 'apis' else '', where), {'kind': resource})

    def _control(self, method, path):
        store = self.server.store
        with store.lock:
            if path == '/_standin/log' and method == 'GET':
                return self._send(200, list(store.log))
            if path == '/_standin/log' and method == 'DELETE':
                store.log[:] = []
                return self._send(200, {'cleared': True})
            if path == '/_standin/objects' and method == 'GET':
                return self._send(200, [without_data(obj) for dummy, obj in sorted(store.objects.items())])
            if path == '/_standin/faults' and method == 'POST':
                store.faults.update(self._body() or {})
                return self._send(200, store.faults)
            if path == '/_standin/faults' and method == 'DELETE':
                store.faults.update(status=None, count=0, latency=0.0, drop=0, lose_answer=0, garbage=0, barrier=0,
                                    mark_on_write=None, hold_until=None, quote_body=False)
                return self._send(200, store.faults)
        return self._send(404, status_body(404, 'NotFound', 'no such test hook'))

    def do_GET(self):  # pylint: disable=invalid-name
        self._handle('GET')

    def do_POST(self):  # pylint: disable=invalid-name
        self._handle('POST')

    def do_PUT(self):  # pylint: disable=invalid-name
        self._handle('PUT')

    def do_PATCH(self):  # pylint: disable=invalid-name
        self._handle('PATCH')

    def do_DELETE(self):  # pylint: disable=invalid-name
        self._handle('DELETE')

    # -- the API ------------------------------------------------------------------------------------

    def _route(self, method, path, query):
        parts = path.strip('/').split('/')
        if path == '/version':
            return 200, {'major': '1', 'minor': '31', 'gitVersion': 'v1.31.0-claudeops-standin', 'platform': 'linux/amd64'}
        if path == '/api':
            return 200, {'kind': 'APIVersions', 'versions': ['v1'],
                         'serverAddressByClientCIDRs': [{'clientCIDR': '0.0.0.0/0', 'serverAddress': '127.0.0.1'}]}
        if path == '/apis':
            return 200, {'kind': 'APIGroupList', 'apiVersion': 'v1', 'groups': [
                {'name': group, 'versions': [{'groupVersion': group + '/v1', 'version': 'v1'}],
                 'preferredVersion': {'groupVersion': group + '/v1', 'version': 'v1'}} for group in ('apps', ESO_GROUP)]}
        if path == '/api/v1':
            return 200, self._resource_list('v1', [('namespaces', 'Namespace', False), ('secrets', 'Secret', True)])
        if path == '/apis/apps/v1':
            return 200, self._resource_list('apps/v1', [('deployments', 'Deployment', True),
                                                        ('statefulsets', 'StatefulSet', True),
                                                        ('daemonsets', 'DaemonSet', True)])
        if parts[:3] == ['api', 'v1', 'namespaces']:
            if len(parts) == 3:
                return self._namespaces(method, None, query)
            if len(parts) == 4:
                return self._namespaces(method, parts[3], query)
            if len(parts) in (5, 6):
                return self._object(method, '', parts[4], parts[3], parts[5] if len(parts) == 6 else None, query)
        if path == '/apis/%s/v1' % ESO_GROUP:
            return 200, self._resource_list(ESO_GROUP + '/v1', [('externalsecrets', 'ExternalSecret', True),
                                                                ('clustersecretstores', 'ClusterSecretStore', False)])
        if parts[:2] == ['apis', 'apps'] or parts[:2] == ['apis', ESO_GROUP]:
            if parts[2:3] == ['v1'] and len(parts) in (6, 7) and parts[3] == 'namespaces':
                return self._object(method, parts[1], parts[5], parts[4], parts[6] if len(parts) == 7 else None, query)
            if parts[2:3] == ['v1'] and len(parts) in (4, 5) and parts[3] in CLUSTER_SCOPED:
                return self._object(method, parts[1], parts[3], '', parts[4] if len(parts) == 5 else None, query)
        raise ApiError(404, 'NotFound', 'the server could not find the requested resource')

    @staticmethod
    def _resource_list(group_version, resources):
        verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']
        return {'kind': 'APIResourceList', 'apiVersion': 'v1', 'groupVersion': group_version, 'resources': [
            {'name': name, 'singularName': kind.lower(), 'namespaced': namespaced, 'kind': kind, 'verbs': verbs}
            for name, kind, namespaced in resources]}

    def _namespaces(self, method, name, query):
        store = self.server.store
        with store.lock:
            if name is None and method == 'GET':
                return 200, {'kind': 'NamespaceList', 'apiVersion': 'v1', 'metadata': {'resourceVersion': str(store.rv)},
                             'items': list(store.namespaces.values())}
            if name is None and method == 'POST':
                body = self._body() or {}
                new = (body.get('metadata') or {}).get('name')
                if not new:
                    raise ApiError(422, 'Invalid', 'Namespace is invalid: metadata.name: Required value')
                if new in store.namespaces:
                    raise ApiError(409, 'AlreadyExists', 'namespaces "%s" already exists' % new)
                ns = store._ns(new)
                if query.get('dryRun') != 'All':
                    store.namespaces[new] = ns
                return 201, ns
            if name is not None and method == 'GET':
                if name not in store.namespaces:
                    raise ApiError(404, 'NotFound', 'namespaces "%s" not found' % name)
                return 200, store.namespaces[name]
            if name is not None and method == 'DELETE':
                # kube-apiserver answers 200 with the namespace in phase Terminating and removes it once its
                # content is gone; with no controllers here, its objects and the namespace go at once.
                if name not in store.namespaces:
                    raise ApiError(404, 'NotFound', 'namespaces "%s" not found' % name)
                ns = copy.deepcopy(store.namespaces[name])
                ns.setdefault('status', {})['phase'] = 'Terminating'
                if query.get('dryRun') != 'All':
                    del store.namespaces[name]
                    for key in [k for k in store.objects if k[1] == name]:
                        del store.objects[key]
                return 200, ns
        raise ApiError(405, 'MethodNotAllowed', 'method not allowed')

    def _object(self, method, group, plural, namespace, name, query):
        if (group, plural) not in KINDS:
            raise ApiError(404, 'NotFound', 'the server could not find the requested resource')
        kind, api_version = KINDS[(group, plural)]
        store = self.server.store
        dry = query.get('dryRun') == 'All'
        # Without fieldManager, kube-apiserver names the writer by its User-Agent up to the first "/"
        # (OpenAPI-Generator for the kubernetes Python client, kubectl for kubectl).
        manager = query.get('fieldManager') or (self.headers.get('User-Agent') or 'unknown').split('/')[0]
        with store.lock:
            if namespace and namespace not in store.namespaces:  # '' for a cluster-scoped object
                if method == 'GET' and name is None:
                    return 200, {'kind': kind + 'List', 'apiVersion': api_version, 'metadata': {}, 'items': []}
                if method in ('GET', 'DELETE', 'PUT'):
                    raise ApiError(404, 'NotFound', '%s "%s" not found' % (plural, name))
                raise ApiError(404, 'NotFound', 'namespaces "%s" not found' % namespace)
            key = (plural, namespace, name)
            current = store.objects.get(key)
            if method == 'GET':
                if name is None:
                    items = [o for (p, n, dummy), o in sorted(store.objects.items()) if p == plural and n == namespace]
                    return 200, {'kind': kind + 'List', 'apiVersion': api_version,
                                 'metadata': {'resourceVersion': str(store.rv)}, 'items': items}
                if current is None:
                    raise ApiError(404, 'NotFound', '%s "%s" not found' % (plural, name))
                return 200, current
            body = self._body()
            if method == 'POST':
                name = ((body or {}).get('metadata') or {}).get('name')
                key = (plural, namespace, name)
                if key in store.objects:
                    raise ApiError(409, 'AlreadyExists', '%s "%s" already exists' % (plural, name),
                                   {'name': name, 'kind': plural})
                if ((body or {}).get('metadata') or {}).get('resourceVersion'):
                    raise ApiError(422, 'Invalid', '%s "%s" is invalid: metadata.resourceVersion: Invalid value: '
                                                   'must be empty on create' % (kind, name))
                body = body or {}
                if kind == 'Secret':  # defaulted before the writer's fields are recorded, so the writer owns it
                    body.setdefault('type', 'Opaque')
                owners = update_owners({}, manager, None, body)
                return 201, self._store(key, kind, api_version, None, body, owners, dry)
            if method == 'DELETE':
                if current is None:
                    raise ApiError(404, 'NotFound', '%s "%s" not found' % (plural, name))
                pre = (body or {}).get('preconditions') or {}
                for field, have in (('resourceVersion', current['metadata']['resourceVersion']),
                                    ('uid', current['metadata']['uid'])):
                    if pre.get(field) and pre[field] != have:
                        raise ApiError(409, 'Conflict', 'Precondition failed: %s in precondition: %s, %s in object '
                                                        'meta: %s' % (field, pre[field], field, have))
                if not dry:
                    del store.objects[key]
                    store.managers.pop(key, None)
                return 200, {'kind': 'Status', 'apiVersion': 'v1', 'status': 'Success',
                             'details': {'name': name, 'kind': plural}}
            if method == 'PUT':
                if current is None:
                    raise ApiError(404, 'NotFound', '%s "%s" not found' % (plural, name))
                self._check_rv(plural, name, body, current)
                owners, body = self._owners_after_update(key, manager, current, body or {})
                return 200, self._store(key, kind, api_version, current, body, owners, dry)
            if method == 'PATCH':
                ctype = (self.headers.get('Content-Type') or '').split(';')[0].strip()
                if ctype == 'application/apply-patch+yaml':
                    return self._apply(key, kind, api_version, current, body or {}, query, dry)
                if current is None:
                    raise ApiError(404, 'NotFound', '%s "%s" not found' % (plural, name))
                if ctype not in ('application/merge-patch+json', 'application/strategic-merge-patch+json'):
                    raise ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format')
                self._check_rv(plural, name, body, current)
                merged = merge_patch(current, body or {})
                owners, merged = self._owners_after_update(key, manager, current, merged)
                return 200, self._store(key, kind, api_version, current, merged, owners, dry)
        raise ApiError(405, 'MethodNotAllowed', 'method not allowed')

    def _owners_after_update(self, key, manager, current, new):
        """Owners after a non-apply write. A ``metadata.managedFields`` that differs from the stored one replaces
        them first (csaupgrade relies on this); the writer then becomes an Update owner of what it changed."""
        owners = self.server.store.managers.get(key, {})
        given = (new.get('metadata') or {}).get('managedFields')
        if given is not None and given != current['metadata'].get('managedFields'):
            owners = decode_managed_fields(given)
        new = copy.deepcopy(new)
        new.setdefault('metadata', {}).pop('managedFields', None)
        return update_owners(owners, manager, current, new), new

    @staticmethod
    def _check_rv(plural, name, body, current):
        want = ((body or {}).get('metadata') or {}).get('resourceVersion')
        if want and want != current['metadata']['resourceVersion']:
            raise ApiError(409, 'Conflict', 'Operation cannot be fulfilled on %s "%s": the object has been modified; '
                                            'please apply your changes to the latest version and try again'
                           % (plural, name), {'name': name, 'kind': plural})

    def _apply(self, key, kind, api_version, current, body, query, dry):
        store = self.server.store
        plural, namespace, name = key
        manager = query.get('fieldManager')
        if not manager:
            raise ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is '
                                           'required for apply patch')
        force = query.get('force') == 'true'
        if current is not None:
            self._check_rv(plural, name, body, current)
        merged = copy.deepcopy(current) if current else {
            'apiVersion': api_version, 'kind': kind, 'metadata': {'name': name, 'namespace': namespace}}
        owners = copy.deepcopy(store.managers.get(key, {}))
        me = (manager, 'Apply')
        applied = owned_fields(body)
        conflicts = []
        for field in applied:
            for other, fields in owners.items():
                if other != me and field in fields and get_field(merged, field) != get_field(body, field):
                    if force:
                        # as kube-apiserver: the loser also loses the map's own "." entry, and a map left with
                        # no key of its stays in its fieldsV1 as an empty entry ("f:data": {})
                        fields.discard(field)
                        fields.discard((field[0], '.'))
                        if not any(part == field[0] and key not in ('.', EMPTY) for part, key in fields):
                            fields.add((field[0], EMPTY))
                    else:
                        conflicts.append({'type': 'FieldManagerConflict', 'field': '.%s.%s' % field,
                                          'message': 'conflict with "%s" using %s' % other})
        if conflicts:
            raise ApiError(409, 'Conflict', 'Apply failed with %d conflict(s)' % len(conflicts),
                           {'name': name, 'kind': plural, 'causes': conflicts})
        for field in owners.get(me, set()) - applied:
            if not any(field in fields for other, fields in owners.items() if other != me):
                del_field(merged, field)
        for field in applied:
            set_field(merged, field, copy.deepcopy(get_field(body, field)))
        owners[me] = set(applied)
        owners = dict((k, v) for k, v in owners.items() if v)
        return (200 if current else 201), self._store(key, kind, api_version, current, merged, owners, dry)

    def _store(self, key, kind, api_version, current, body, owners, dry):
        store = self.server.store
        plural, namespace, name = key
        obj = copy.deepcopy(body) if body else {}
        obj['apiVersion'], obj['kind'] = api_version, kind
        meta = obj.setdefault('metadata', {})
        meta['name'] = name
        if namespace:
            meta['namespace'] = namespace
        else:
            meta.pop('namespace', None)
        meta.pop('managedFields', None)
        if kind == 'Secret':
            obj.setdefault('type', 'Opaque')
            obj.pop('stringData', None)
        for empty in ('labels', 'annotations'):
            if empty in meta and not meta[empty]:
                del meta[empty]
        store.validate(kind, obj, current)
        if current:
            meta['uid'] = current['metadata']['uid']
            meta['creationTimestamp'] = current['metadata']['creationTimestamp']
        else:
            meta['uid'] = str(uuid.uuid4())
            meta['creationTimestamp'] = now_iso()
        if kind in WORKLOAD_KINDS:
            obj.setdefault('spec', {}).setdefault('template', {}).setdefault('metadata', {})
            workload_defaults(kind, obj, current)
            if current is not None and current.get('spec') != obj.get('spec'):
                meta['generation'] = current['metadata'].get('generation', 1) + 1
            else:
                meta['generation'] = (current or {}).get('metadata', {}).get('generation', 1)
        unchanged = current is not None and {k: v for k, v in current.items() if k != 'metadata'} == \
            {k: v for k, v in obj.items() if k != 'metadata'} and \
            current['metadata'].get('labels') == meta.get('labels') and \
            current['metadata'].get('annotations') == meta.get('annotations') and \
            store.managers.get(key) == owners
        if unchanged:
            meta['resourceVersion'] = current['metadata']['resourceVersion']
            meta['managedFields'] = current['metadata'].get('managedFields', [])
            return obj
        if dry:  # kube-apiserver: a dry-run create has no resourceVersion, a dry-run update keeps the stored one
            if current:
                meta['resourceVersion'] = current['metadata']['resourceVersion']
            else:
                meta.pop('resourceVersion', None)
        else:
            meta['resourceVersion'] = store.next_rv()
        meta['managedFields'] = encode_managed_fields(owners, api_version)
        if not dry:
            store.objects[key] = obj
            store.managers[key] = owners
        return obj


# What kube-apiserver's defaulting (apps/v1) and the controllers' empty status add to a workload that no controller
# has touched yet: the update strategies, the status a GET returns, and a DaemonSet's template generation.
WORKLOAD_STATUS = {'Deployment': {}, 'StatefulSet': {'availableReplicas': 0, 'replicas': 0},
                   'DaemonSet': {'currentNumberScheduled': 0, 'desiredNumberScheduled': 0, 'numberMisscheduled': 0,
                                 'numberReady': 0}}
ROLLING = {'StatefulSet': {'partition': 0, 'maxUnavailable': 1}, 'DaemonSet': {'maxSurge': 0, 'maxUnavailable': 1}}
TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation'


def workload_defaults(kind, obj, current):
    spec = obj['spec']
    if kind in ROLLING:
        strategy = spec.setdefault('updateStrategy', {})
        strategy.setdefault('type', 'RollingUpdate')
        if strategy['type'] == 'RollingUpdate':
            strategy['rollingUpdate'] = dict(ROLLING[kind], **(strategy.get('rollingUpdate') or {}))
    obj['status'] = copy.deepcopy((current or {}).get('status', WORKLOAD_STATUS[kind]))
    if kind == 'DaemonSet':
        annotations = obj['metadata'].setdefault('annotations', {})
        before = int(((current or {}).get('metadata', {}).get('annotations') or {}).get(TEMPLATE_GENERATION) or 0)
        changed = current is None or current['spec'].get('template') != spec.get('template')
        annotations[TEMPLATE_GENERATION] = str(before + 1 if changed else before)


def update_owners(owners, manager, before, after):
    """Owners after a create, update or non-apply patch by ``manager``: ownership of every field it set or changed
    moves to its Update entry; fields it removed are owned by no one."""
    fields_after = owned_fields(after) | markers(after)
    if before is None:
        changed = fields_after
        removed = set()
    else:
        changed = set(f for f in fields_after if get_field(before, f) != get_field(after, f))
        removed = (owned_fields(before) | markers(before)) - fields_after
    out = {}
    for who, fields in owners.items():
        out[who] = set(fields) - changed - removed
    out.setdefault((manager, 'Update'), set()).update(changed)
    return dict((k, v) for k, v in out.items() if v)


def encode_managed_fields(owners, api_version):
    entries = []
    for (manager, operation), fields in sorted(owners.items()):
        fields_v1 = {}
        for part, key in sorted(fields):
            name = '.' if key == '.' else 'f:' + key
            if part == 'data':
                held = fields_v1.setdefault('f:data', {})
            elif part in ('labels', 'annotations'):
                held = fields_v1.setdefault('f:metadata', {}).setdefault('f:' + part, {})
            else:
                held = None
            if held is not None:
                if key != EMPTY:
                    held[name] = {}
            else:
                fields_v1['f:' + part] = {}
        entries.append({'manager': manager, 'operation': operation, 'apiVersion': api_version,
                        'fieldsType': 'FieldsV1', 'time': now_iso(), 'fieldsV1': fields_v1})
    return entries


def decode_managed_fields(entries):
    """The owners a client wrote into ``metadata.managedFields``; ``[{}]`` (or ``[]``) clears them."""
    owners = {}
    for entry in entries or []:
        if not isinstance(entry, dict) or not entry.get('manager'):
            continue
        fields = set()
        fields_v1 = entry.get('fieldsV1') or {}
        maps = {'data': fields_v1.get('f:data')}
        for part in ('labels', 'annotations'):
            maps[part] = (fields_v1.get('f:metadata') or {}).get('f:' + part)
        for part, held in maps.items():
            if held == {}:
                fields.add((part, EMPTY))
            for key in held or {}:
                if key.startswith('f:') or key == '.':
                    fields.add((part, key[2:] if key != '.' else '.'))
        for top in ('type', 'immutable', 'spec'):
            if 'f:' + top in fields_v1:
                fields.add((top, ''))
        who = (entry['manager'], entry.get('operation') or 'Update')
        owners.setdefault(who, set()).update(fields)
    return dict((k, v) for k, v in owners.items() if v)


def make_certs(state_dir):
    """A CA and a server certificate for 127.0.0.1 and localhost; returns (ca_pem, cert_path, key_path)."""
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    start = datetime.datetime.now(tz=datetime.timezone.utc) - datetime.timedelta(minutes=5)
    end = start + datetime.timedelta(days=2)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name('claudeops-standin-ca')).issuer_name(name('claudeops-standin-ca'))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(start).not_valid_after(end)
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(name('kube-apiserver')).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName('localhost'),
                                                        x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    paths = {}
    for fname, data in (('ca.pem', ca_pem), ('server.pem', cert.public_bytes(serialization.Encoding.PEM)),
                        ('server.key', key.private_bytes(serialization.Encoding.PEM,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))):
        paths[fname] = os.path.join(state_dir, fname)
        fd = os.open(paths[fname], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'wb') as handle:
            handle.write(data)
    return ca_pem, paths['server.pem'], paths['server.key']


USERS = (('admin', ADMIN_TOKEN), ('readonly', READONLY_TOKEN), ('scoped', SCOPED_TOKEN))


def kubeconfig(name, port, ca_pem):
    server = 'https://127.0.0.1:%d' % port
    ca_b64 = base64.b64encode(ca_pem).decode()
    return {
        'apiVersion': 'v1', 'kind': 'Config', 'current-context': '%s-admin' % name, 'preferences': {},
        'clusters': [{'name': name, 'cluster': {'server': server, 'certificate-authority-data': ca_b64}}],
        'users': [{'name': '%s-%s' % (name, role), 'user': {'token': token}} for role, token in USERS],
        'contexts': [{'name': '%s-%s' % (name, role), 'context': {'cluster': name, 'user': '%s-%s' % (name, role)}}
                     for role, _token in USERS],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--state-dir', required=True)
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--name', default='standin')
    parser.add_argument('--namespace', action='append', default=[], help='namespaces to create at start')
    parser.add_argument('--scoped-namespace', action='append', default=[],
                        help='namespaces where the user of context NAME-scoped holds a Role (it holds none elsewhere)')
    args = parser.parse_args()
    os.makedirs(args.state_dir, mode=0o700, exist_ok=True)
    ca_pem, cert, key = make_certs(args.state_dir)
    server = ThreadingHTTPServer(('127.0.0.1', args.port), Handler)
    server.daemon_threads = True
    server.store = Store()
    for ns in args.namespace:
        server.store.namespaces[ns] = server.store._ns(ns)
    server.store.scoped = set(args.scoped_namespace)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    with open(os.path.join(args.state_dir, 'kubeconfig'), 'w') as handle:
        json.dump(kubeconfig(args.name, port, ca_pem), handle, indent=1)
    for fname, value in (('port', str(port)), ('pid', str(os.getpid()))):
        with open(os.path.join(args.state_dir, fname), 'w') as handle:
            handle.write(value + '\n')
    server.serve_forever()


if __name__ == '__main__':
    main()
