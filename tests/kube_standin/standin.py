# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A loopback stand-in for the Kubernetes API server, for this collection's tests.

It answers, over HTTPS with its own CA, the part of the API that claudeops.credentials, kubectl and
kubernetes.core.k8s touch: discovery, namespaces, secrets, and apps/v1 deployments, statefulsets and
daemonsets. Behaviour that matters for the tests follows the real API server: bearer-token authn with an
admin and a read-only user (401/403), resourceVersion with 409 on stale writes and duplicate creates, 404 for a
missing namespace, 422 for bad Secret keys, bad base64 and data over 1 MiB, ``dryRun=All``, and server-side
apply with field-manager ownership of data keys, labels and annotations (fields a manager stops sending are
removed unless another manager owns them; fields owned by another manager conflict unless ``force=true``).

Test hooks, without authentication, under ``/_standin/``: ``POST /_standin/faults`` with
``{"status": 503, "count": 2}`` fails the next N writes (``"methods"`` to choose which), ``{"latency": 0.2}``
delays every request, ``{"drop": 1}`` closes the next N connections without an answer; ``GET /_standin/log``
returns the request log and ``DELETE /_standin/log`` clears it.

    python standin.py --state-dir DIR [--port 0] [--name NAME]

writes DIR/kubeconfig (contexts NAME-admin and NAME-readonly), DIR/ca.pem, DIR/port and DIR/pid, then serves.
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
KEY_RE = re.compile(r'^[-._a-zA-Z0-9]+$')
MAX_SECRET = 1024 * 1024
KINDS = {
    ('', 'secrets'): ('Secret', 'v1'),
    ('apps', 'deployments'): ('Deployment', 'apps/v1'),
    ('apps', 'statefulsets'): ('StatefulSet', 'apps/v1'),
    ('apps', 'daemonsets'): ('DaemonSet', 'apps/v1'),
}


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
    if 'type' in obj:
        fields.add(('type', ''))
    return fields


def get_field(obj, field):
    part, key = field
    if part == 'data':
        return (obj.get('data') or {}).get(key)
    if part in ('labels', 'annotations'):
        return ((obj.get('metadata') or {}).get(part) or {}).get(key)
    return obj.get(part)


def set_field(obj, field, value):
    part, key = field
    if part == 'data':
        obj.setdefault('data', {})[key] = value
    elif part in ('labels', 'annotations'):
        obj.setdefault('metadata', {}).setdefault(part, {})[key] = value
    else:
        obj[part] = value


def del_field(obj, field):
    part, key = field
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


class Store(object):
    def __init__(self):
        self.lock = threading.RLock()
        self.rv = 1000
        self.namespaces = {'default': self._ns('default'), 'kube-system': self._ns('kube-system')}
        self.objects = {}
        self.managers = {}
        self.log = []
        self.faults = {'status': None, 'count': 0, 'methods': ['POST', 'PUT', 'PATCH', 'DELETE'], 'latency': 0.0,
                       'drop': 0}

    def next_rv(self):
        self.rv += 1
        return str(self.rv)

    def _ns(self, name):
        self.rv = getattr(self, 'rv', 1000) + 1
        return {'apiVersion': 'v1', 'kind': 'Namespace',
                'metadata': {'name': name, 'uid': str(uuid.uuid4()), 'resourceVersion': str(self.rv),
                             'creationTimestamp': now_iso()},
                'spec': {'finalizers': ['kubernetes']}, 'status': {'phase': 'Active'}}

    # -- validation -------------------------------------------------------------------------------

    @staticmethod
    def validate(kind, obj):
        if kind != 'Secret':
            return
        causes = []
        total = 0
        for key, value in (obj.get('data') or {}).items():
            if not KEY_RE.match(key) or len(key) > 253:
                causes.append({'reason': 'FieldValueInvalid', 'field': 'data[%s]' % key,
                               'message': "Invalid value: \"%s\": a valid config key must consist of alphanumeric "
                                          "characters, '-', '_' or '.'" % key})
            try:
                total += len(base64.b64decode(value or '', validate=True))
            except (binascii.Error, ValueError, TypeError):
                causes.append({'reason': 'FieldValueInvalid', 'field': 'data[%s]' % key,
                               'message': 'illegal base64 data'})
        if total > MAX_SECRET:
            causes.append({'reason': 'FieldValueTooLong', 'field': 'data',
                           'message': 'Too long: must have at most 1048576 bytes'})
        if causes:
            name = (obj.get('metadata') or {}).get('name')
            raise ApiError(422, 'Invalid', 'Secret "%s" is invalid: %s' % (name, '; '.join(
                '%s: %s' % (c['field'], c['message']) for c in causes)),
                {'name': name, 'kind': 'secrets', 'causes': causes})


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
        try:
            return json.loads(raw)
        except ValueError:
            try:
                import yaml  # kubectl and apply patches may send YAML
                return yaml.safe_load(raw)
            except Exception:
                raise ApiError(400, 'BadRequest', 'the body of the request was in an unknown format')

    def _handle(self, method):
        # Read the whole body before anything can fail, or the next request on this connection is garbage.
        length = int(self.headers.get('Content-Length') or 0)
        self._raw = self.rfile.read(length) if length else b''
        store = self.server.store
        url = urlsplit(self.path)
        query = dict((k, v[-1]) for k, v in parse_qs(url.query).items())
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
            inject = faults['count'] > 0 and method in faults['methods'] and not path.startswith('/version')
            if inject:
                faults['count'] -= 1
        if latency:
            time.sleep(latency)
        if drop:
            entry['status'] = 'dropped'
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        try:
            if user is None:
                raise ApiError(401, 'Unauthorized', 'Unauthorized')
            if inject:
                code = faults['status']
                raise ApiError(code, 'InternalError' if code >= 500 else 'Injected', 'injected fault %s' % code)
            if method != 'GET' and user == 'readonly':  # dry-run needs write permission too, as in Kubernetes
                raise ApiError(403, 'Forbidden', '%s is forbidden: User "readonly" cannot %s resource in the '
                                                 'namespace' % (path, method.lower()))
            code, body = self._route(method, path, query)
        except ApiError as err:
            code, body = err.code, status_body(err.code, err.reason, err.message, err.details)
        entry['status'] = code
        self._send(code, body)

    def _user(self):
        auth = self.headers.get('Authorization') or ''
        token = auth[7:].strip() if auth.lower().startswith('bearer ') else None
        return {ADMIN_TOKEN: 'admin', READONLY_TOKEN: 'readonly'}.get(token)

    def _control(self, method, path):
        store = self.server.store
        with store.lock:
            if path == '/_standin/log' and method == 'GET':
                return self._send(200, list(store.log))
            if path == '/_standin/log' and method == 'DELETE':
                store.log[:] = []
                return self._send(200, {'cleared': True})
            if path == '/_standin/faults' and method == 'POST':
                store.faults.update(self._body() or {})
                return self._send(200, store.faults)
            if path == '/_standin/faults' and method == 'DELETE':
                store.faults.update(status=None, count=0, latency=0.0, drop=0)
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
                {'name': 'apps', 'versions': [{'groupVersion': 'apps/v1', 'version': 'v1'}],
                 'preferredVersion': {'groupVersion': 'apps/v1', 'version': 'v1'}}]}
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
        if parts[:3] == ['apis', 'apps', 'v1'] and len(parts) in (6, 7) and parts[3] == 'namespaces':
            return self._object(method, 'apps', parts[5], parts[4], parts[6] if len(parts) == 7 else None, query)
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
        raise ApiError(405, 'MethodNotAllowed', 'method not allowed')

    def _object(self, method, group, plural, namespace, name, query):
        if (group, plural) not in KINDS:
            raise ApiError(404, 'NotFound', 'the server could not find the requested resource')
        kind, api_version = KINDS[(group, plural)]
        store = self.server.store
        dry = query.get('dryRun') == 'All'
        manager = query.get('fieldManager') or ('kubectl' if 'kubectl' in (self.headers.get('User-Agent') or '') else
                                                'unknown')
        with store.lock:
            if namespace not in store.namespaces:
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
                return 201, self._store(key, kind, api_version, None, body, {manager: owned_fields(body)}, dry)
            if method == 'DELETE':
                if current is None:
                    raise ApiError(404, 'NotFound', '%s "%s" not found' % (plural, name))
                pre = ((body or {}).get('preconditions') or {}).get('resourceVersion')
                if pre and pre != current['metadata']['resourceVersion']:
                    raise ApiError(409, 'Conflict', 'Precondition failed: ResourceVersion in precondition: %s, '
                                                    'ResourceVersion in object meta: %s'
                                   % (pre, current['metadata']['resourceVersion']))
                if not dry:
                    del store.objects[key]
                    store.managers.pop(key, None)
                return 200, {'kind': 'Status', 'apiVersion': 'v1', 'status': 'Success',
                             'details': {'name': name, 'kind': plural}}
            if method == 'PUT':
                if current is None:
                    raise ApiError(404, 'NotFound', '%s "%s" not found' % (plural, name))
                self._check_rv(plural, name, body, current)
                return 200, self._store(key, kind, api_version, current, body, {manager: owned_fields(body)}, dry)
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
                touched = owned_fields(body or {})
                return 200, self._store(key, kind, api_version, current, merged, {manager: touched}, dry, merge=True)
        raise ApiError(405, 'MethodNotAllowed', 'method not allowed')

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
        applied = owned_fields(body)
        conflicts = []
        for field in applied:
            for other, fields in owners.items():
                if other != manager and field in fields and get_field(merged, field) != get_field(body, field):
                    if force:
                        fields.discard(field)
                    else:
                        conflicts.append({'type': 'FieldManagerConflict', 'field': '.%s.%s' % field,
                                          'message': 'conflict with "%s"' % other})
        if conflicts:
            raise ApiError(409, 'Conflict', 'Apply failed with %d conflict(s)' % len(conflicts),
                           {'name': name, 'kind': plural, 'causes': conflicts})
        previous = owners.get(manager, set())
        for field in previous - applied:
            if not any(field in fields for other, fields in owners.items() if other != manager):
                del_field(merged, field)
        for field in applied:
            set_field(merged, field, copy.deepcopy(get_field(body, field)))
        owners[manager] = set(applied)
        return (200 if current else 201), self._store(key, kind, api_version, current, merged, owners, dry, apply=True)

    def _store(self, key, kind, api_version, current, body, owners, dry, merge=False, apply=False):
        store = self.server.store
        plural, namespace, name = key
        obj = copy.deepcopy(body) if body else {}
        obj['apiVersion'], obj['kind'] = api_version, kind
        meta = obj.setdefault('metadata', {})
        meta['name'], meta['namespace'] = name, namespace
        if kind == 'Secret':
            obj.setdefault('type', 'Opaque')
            obj.pop('stringData', None)
        for empty in ('labels', 'annotations'):
            if empty in meta and not meta[empty]:
                del meta[empty]
        store.validate(kind, obj)
        if current:
            meta['uid'] = current['metadata']['uid']
            meta['creationTimestamp'] = current['metadata']['creationTimestamp']
        else:
            meta['uid'] = str(uuid.uuid4())
            meta['creationTimestamp'] = now_iso()
        if kind != 'Secret':
            obj.setdefault('spec', {}).setdefault('template', {}).setdefault('metadata', {})
            if current is not None and current.get('spec') != obj.get('spec'):
                meta['generation'] = current['metadata'].get('generation', 1) + 1
            else:
                meta['generation'] = (current or {}).get('metadata', {}).get('generation', 1)
        unchanged = current is not None and {k: v for k, v in current.items() if k != 'metadata'} == \
            {k: v for k, v in obj.items() if k != 'metadata'} and \
            current['metadata'].get('labels') == meta.get('labels') and \
            current['metadata'].get('annotations') == meta.get('annotations')
        if unchanged:
            meta['resourceVersion'] = current['metadata']['resourceVersion']
        else:
            meta['resourceVersion'] = str(store.rv + 1) if dry else store.next_rv()
        if not apply and not merge:
            merged_owners = copy.deepcopy(store.managers.get(key, {}))
            for mgr, fields in owners.items():
                merged_owners.setdefault(mgr, set()).update(fields)
            owners = merged_owners
        elif merge:
            merged_owners = copy.deepcopy(store.managers.get(key, {}))
            for mgr, fields in owners.items():
                merged_owners.setdefault(mgr, set()).update(fields)
            owners = merged_owners
        meta['managedFields'] = [
            {'manager': mgr, 'operation': 'Apply' if apply and mgr == list(owners)[-1] else 'Update',
             'apiVersion': api_version, 'fieldsType': 'FieldsV1', 'time': now_iso(),
             'fieldsV1': self._fields_v1(fields)}
            for mgr, fields in sorted(owners.items()) if fields]
        if not dry:
            store.objects[key] = obj
            store.managers[key] = owners
        return obj

    @staticmethod
    def _fields_v1(fields):
        out = {}
        for part, key in sorted(fields):
            if part == 'data':
                out.setdefault('f:data', {})['f:' + key] = {}
            elif part in ('labels', 'annotations'):
                out.setdefault('f:metadata', {}).setdefault('f:' + part, {})['f:' + key] = {}
            else:
                out['f:' + part] = {}
        return out


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


def kubeconfig(name, port, ca_pem):
    server = 'https://127.0.0.1:%d' % port
    ca_b64 = base64.b64encode(ca_pem).decode()
    return {
        'apiVersion': 'v1', 'kind': 'Config', 'current-context': '%s-admin' % name, 'preferences': {},
        'clusters': [{'name': name, 'cluster': {'server': server, 'certificate-authority-data': ca_b64}}],
        'users': [{'name': '%s-admin' % name, 'user': {'token': ADMIN_TOKEN}},
                  {'name': '%s-readonly' % name, 'user': {'token': READONLY_TOKEN}}],
        'contexts': [{'name': '%s-admin' % name, 'context': {'cluster': name, 'user': '%s-admin' % name}},
                     {'name': '%s-readonly' % name, 'context': {'cluster': name, 'user': '%s-readonly' % name}}],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--state-dir', required=True)
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--name', default='standin')
    parser.add_argument('--namespace', action='append', default=[], help='namespaces to create at start')
    args = parser.parse_args()
    os.makedirs(args.state_dir, mode=0o700, exist_ok=True)
    ca_pem, cert, key = make_certs(args.state_dir)
    server = ThreadingHTTPServer(('127.0.0.1', args.port), Handler)
    server.daemon_threads = True
    server.store = Store()
    for ns in args.namespace:
        server.store.namespaces[ns] = server.store._ns(ns)
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
