# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Loopback stand-ins for the secret stores the tests cannot run here, written from each product's published API
reference, for what claude_secret_store's official clients send. Not the products: only these endpoints.

vault        HashiCorp Vault, KV secrets engine version 2 (developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2):
             GET and POST /v1/MOUNT/data/PATH, POST /v1/MOUNT/destroy/PATH and DELETE /v1/MOUNT/metadata/PATH
             with X-Vault-Token; versions, check-and-set (options.cas, 0 = create only), errors as
             {"errors": [...]} (403 permission denied, 404 with an empty list, 400 check-and-set).
             Served over TLS (a CA of its own in STATE/ca.pem), as Vault is.
infisical    Infisical API v3 raw secrets (infisical.com/docs/api-reference/endpoints/secrets): GET, POST and PATCH
             /api/v3/secrets/raw/NAME (and DELETE) with workspaceId, environment and secretPath; POST
             /api/v1/auth/universal-auth/login; errors as {"statusCode", "message", "error"} (401, 404 for a
             missing secret or folder, 400 when the secret exists).
onepassword  1Password Connect server API (developer.1password.com/docs/connect/connect-api-reference): GET
             /v1/vaults/VAULT/items?filter=title eq "T", GET, POST, PUT and DELETE items, Bearer token; errors as
             {"status", "message"}.

    python standin.py --kind KIND --state-dir DIR [--vault-id ID] [--project-id ID] [--folder PATH]
                      [--client-id ID] [--latency SECONDS]
    environment: STANDIN_TOKEN (the Vault or Connect token, Infisical's access token), STANDIN_CLIENT_SECRET

Writes DIR/port (and DIR/ca.pem for vault), then serves on 127.0.0.1. GET /_standin/log lists the requests
(method, path, status); DELETE /_standin/log clears it; GET /_standin/dump shows what is stored, for the tests.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def _send(self, status, body):
        raw = json.dumps(body).encode() if status != 204 else b''
        self.send_response(status)
        if raw:
            self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)
        if not self.path.startswith('/_standin'):
            with self.server.lock:
                self.server.log.append({'method': self.command, 'path': urlsplit(self.path).path, 'status': status})

    def _body(self):
        length = int(self.headers.get('Content-Length') or 0)
        raw = self.rfile.read(length) if length else b''
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return None

    def _route(self):
        url = urlsplit(self.path)
        query = dict((k, v[-1]) for k, v in parse_qs(url.query).items())
        body = self._body()
        if url.path == '/_standin/log':
            with self.server.lock:
                if self.command == 'DELETE':
                    del self.server.log[:]
                return self._send(200, list(self.server.log))
        if url.path == '/_standin/dump':
            with self.server.lock:
                return self._send(200, self.server.data)
        if self.server.latency:
            time.sleep(self.server.latency)  # the round trip to a distant store (make bench)
        with self.server.lock:
            return getattr(self, '_' + self.server.kind)(self.command, unquote(url.path), query, body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _route

    # -- HashiCorp Vault KV v2 -------------------------------------------------------------------------------------
    def _vault(self, method, path, query, body):
        if self.headers.get('X-Vault-Token') != self.server.token:
            return self._send(403, {'errors': ['permission denied']})
        parts = path.split('/', 4)  # '', 'v1', mount, 'data', 'metadata' or 'destroy', path
        if len(parts) < 5 or parts[1] != 'v1' or parts[3] not in ('data', 'metadata', 'destroy') or \
                parts[2] != self.server.mount:
            return self._send(404, {'errors': ['no handler for route "%s". route entry not found.' % path[4:]]})
        key = parts[4]
        if parts[3] == 'metadata':  # only DELETE: the secret with its metadata and every version
            if method != 'DELETE':
                return self._send(405, {'errors': ['unsupported operation']})
            self.server.data.pop(key, None)
            return self._send(204, None)
        if parts[3] == 'destroy':  # only POST {"versions": [...]}: their data is gone for good
            if method not in ('POST', 'PUT') or not isinstance((body or {}).get('versions'), list):
                return self._send(400, {'errors': ['no versions provided']})
            for version in self.server.data.get(key, []):
                if version['metadata']['version'] in body['versions']:
                    version['data'] = None
                    version['metadata']['destroyed'] = True
            return self._send(204, None)
        versions = self.server.data.setdefault(key, [])
        if method == 'GET':
            if not versions:
                return self._send(404, {'errors': []})
            current = versions[-1]
            if query.get('version') and query['version'] != '0':
                number = int(query['version'])
                if not 1 <= number <= len(versions):
                    return self._send(404, {'errors': []})
                current = versions[number - 1]
            if current['data'] is None:  # a destroyed version: 404, with its metadata
                return self._send(404, {'data': {'data': None, 'metadata': current['metadata']}})
            return self._send(200, {'request_id': str(uuid.uuid4()), 'lease_id': '', 'renewable': False,
                                    'lease_duration': 0, 'data': {'data': current['data'],
                                                                  'metadata': current['metadata']},
                                    'wrap_info': None, 'warnings': None, 'auth': None, 'mount_type': 'kv'})
        if method in ('POST', 'PUT'):
            if not isinstance(body, dict) or not isinstance(body.get('data'), dict):
                return self._send(400, {'errors': ['no data provided']})
            cas = (body.get('options') or {}).get('cas')
            if cas is not None and int(cas) != len(versions):
                return self._send(400, {'errors': ['check-and-set parameter did not match the current version']})
            metadata = {'created_time': now_iso(), 'custom_metadata': None, 'deletion_time': '', 'destroyed': False,
                        'version': len(versions) + 1}
            versions.append({'data': body['data'], 'metadata': metadata})
            return self._send(200, {'request_id': str(uuid.uuid4()), 'lease_id': '', 'renewable': False,
                                    'lease_duration': 0, 'data': metadata, 'wrap_info': None, 'warnings': None,
                                    'auth': None, 'mount_type': 'kv'})
        return self._send(405, {'errors': ['unsupported operation']})

    # -- Infisical v3 raw secrets -------------------------------------------------------------------------------------
    def _infisical_error(self, status, message, error):
        return self._send(status, {'statusCode': status, 'message': message, 'error': error})

    def _infisical(self, method, path, query, body):
        if path == '/api/v1/auth/universal-auth/login' and method == 'POST':
            if (body or {}).get('clientId') != self.server.client_id or \
                    (body or {}).get('clientSecret') != self.server.client_secret:
                return self._infisical_error(401, 'Invalid credentials', 'UnauthorizedError')
            return self._send(200, {'accessToken': self.server.token, 'expiresIn': 7200, 'accessTokenMaxTTL': 7200,
                                    'tokenType': 'Bearer'})
        if self.headers.get('Authorization') != 'Bearer ' + self.server.token:
            return self._infisical_error(401, 'Token missing or invalid', 'UnauthorizedError')
        prefix = '/api/v3/secrets/raw/'
        if not path.startswith(prefix):
            return self._infisical_error(404, 'Route %s:%s not found' % (method, path), 'NotFound')
        name = path[len(prefix):]
        args = query if method == 'GET' else (body or {})
        project = args.get('workspaceId') or args.get('projectId')
        environment, folder = args.get('environment'), args.get('secretPath') or '/'
        if project != self.server.project_id:
            return self._infisical_error(404, "Project with ID '%s' not found" % project, 'NotFound')
        if folder not in self.server.folders:
            return self._infisical_error(404, "Folder with path '%s' in environment with slug '%s' not found"
                                         % (folder, environment), 'NotFound')
        secrets = self.server.data.setdefault('%s:%s' % (environment, folder), {})
        if method == 'GET':
            if name not in secrets:
                return self._infisical_error(404, "Secret with name '%s' not found" % name, 'NotFound')
            return self._send(200, {'secret': secrets[name]})
        if method == 'POST':
            if name in secrets:
                return self._infisical_error(400, 'Secret already exist', 'BadRequest')
            stamp = now_iso()
            secrets[name] = {'id': str(uuid.uuid4()), '_id': str(uuid.uuid4()), 'workspace': project,
                             'environment': environment, 'version': 1, 'type': 'shared', 'secretKey': name,
                             'secretValue': args.get('secretValue') or '', 'secretComment': args.get('secretComment')
                             or '', 'secretPath': folder, 'createdAt': stamp, 'updatedAt': stamp, 'tags': [],
                             'skipMultilineEncoding': bool(args.get('skipMultilineEncoding'))}
            return self._send(200, {'secret': secrets[name]})
        if method == 'PATCH':
            if name not in secrets:
                return self._infisical_error(404, "Secret with name '%s' not found" % name, 'NotFound')
            secret = secrets[name]
            for field in ('secretValue', 'secretComment'):
                if args.get(field) is not None:
                    secret[field] = args[field]
            secret['version'] += 1
            secret['updatedAt'] = now_iso()
            return self._send(200, {'secret': secret})
        if method == 'DELETE':
            if name not in secrets:
                return self._infisical_error(404, "Secret with name '%s' not found" % name, 'NotFound')
            return self._send(200, {'secret': secrets.pop(name)})
        return self._infisical_error(405, 'Method not allowed', 'MethodNotAllowed')

    # -- 1Password Connect ----------------------------------------------------------------------------------------------
    def _onepassword(self, method, path, query, body):
        if self.headers.get('Authorization') != 'Bearer ' + self.server.token:
            return self._send(401, {'status': 401, 'message': 'Invalid bearer token'})
        parts = path.strip('/').split('/')  # v1 vaults VAULT items [ITEM]
        if len(parts) < 4 or parts[:2] != ['v1', 'vaults'] or parts[3] != 'items':
            return self._send(404, {'status': 404, 'message': 'Not found'})
        if parts[2] != self.server.vault_id:
            return self._send(404, {'status': 404, 'message': 'vault %s not found' % parts[2]})
        items = self.server.data
        if len(parts) == 4 and method == 'GET':
            wanted = query.get('filter', '')
            title = wanted[len('title eq "'):-1] if wanted.startswith('title eq "') else None
            return self._send(200, [self._summary(i) for i in items.values() if title is None or i['title'] == title])
        if len(parts) == 4 and method == 'POST':
            if not isinstance(body, dict) or not body.get('title') or not body.get('category'):
                return self._send(400, {'status': 400, 'message': 'Invalid item: title and category are required'})
            item = self._stored(body, str(uuid.uuid4()).replace('-', '')[:26], 1)
            items[item['id']] = item
            return self._send(200, item)
        if len(parts) == 5:
            item = items.get(parts[4])
            if item is None:
                return self._send(404, {'status': 404, 'message': 'item %s not found' % parts[4]})
            if method == 'GET':
                return self._send(200, item)
            if method == 'PUT':
                items[item['id']] = self._stored(body or {}, item['id'], item['version'] + 1, item['createdAt'])
                return self._send(200, items[item['id']])
            if method == 'DELETE':
                del items[item['id']]
                return self._send(204, None)
        return self._send(405, {'status': 405, 'message': 'Method not allowed'})

    def _stored(self, body, item_id, version, created=None):
        fields = []
        for field in body.get('fields') or []:
            fields.append({'id': field.get('id') or uuid.uuid4().hex[:26], 'type': field.get('type') or 'STRING',
                           'label': field.get('label'), 'value': field.get('value')})
        return {'id': item_id, 'title': body.get('title'), 'vault': {'id': self.server.vault_id},
                'category': body.get('category'), 'version': version, 'tags': body.get('tags') or [],
                'fields': fields, 'createdAt': created or now_iso(), 'updatedAt': now_iso()}

    @staticmethod
    def _summary(item):
        return dict((k, item[k]) for k in ('id', 'title', 'vault', 'category', 'version', 'tags', 'createdAt',
                                           'updatedAt'))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--kind', required=True, choices=['vault', 'infisical', 'onepassword'])
    parser.add_argument('--state-dir', required=True)
    # The token and the client secret come from the environment (STANDIN_TOKEN, STANDIN_CLIENT_SECRET), not argv:
    # tests pass canaries, and argv is visible to every process on the machine.
    parser.add_argument('--mount', default='secret')
    parser.add_argument('--vault-id', default='4zxqbxl3ru6fz7rcwz4ynxnyxq')
    parser.add_argument('--project-id', default='6f1c0e7b-0000-4000-8000-000000000000')
    parser.add_argument('--folder', action='append', default=['/'])
    parser.add_argument('--client-id', default='standin-client-id')
    parser.add_argument('--latency', type=float, default=0.0, help='seconds to wait before answering each request')
    args = parser.parse_args()
    os.makedirs(args.state_dir, mode=0o700, exist_ok=True)
    server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    server.daemon_threads = True
    server.kind, server.mount = args.kind, args.mount
    server.token = os.environ.get('STANDIN_TOKEN') or 'standin-store-token'
    server.vault_id, server.project_id, server.folders = args.vault_id, args.project_id, set(args.folder)
    server.client_id = args.client_id
    server.client_secret = os.environ.get('STANDIN_CLIENT_SECRET') or 'standin-client-secret'
    server.data, server.log, server.lock = {}, [], threading.RLock()
    server.latency = args.latency
    if args.kind == 'vault':
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'kube_standin'))
        import standin as kube_standin
        _ca, cert, key = kube_standin.make_certs(args.state_dir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(os.path.join(args.state_dir, 'pid'), 'w') as handle:
        handle.write(str(os.getpid()))
    with open(os.path.join(args.state_dir, 'port.tmp'), 'w') as handle:
        handle.write(str(server.server_address[1]))
    os.rename(os.path.join(args.state_dir, 'port.tmp'), os.path.join(args.state_dir, 'port'))
    server.serve_forever()


if __name__ == '__main__':
    main()
