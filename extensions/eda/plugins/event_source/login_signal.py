# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""login_signal: a listener for "a person just ran claude login on this workstation", for ansible-rulebook.

It accepts ``POST /login`` with ``Authorization: Bearer <token>`` and the JSON body ``{"host": "<inventory name>"}``
and nothing else, and puts ``{"claudeops_login": {"host": ...}}`` on the queue. The signal never carries a
credential: the rulebook's action captures the session from the host itself. Every refusal is answered with its
HTTP status and logged once, with the reason and the client's address, never with a header or body value:

- 404 another path, 405 another method, 413 a body over max_body bytes,
- 401 no or a wrong bearer token (compared in constant time; the body is not read),
- 400 not a JSON object, a field that looks like a credential (by name, or a value shaped like a token, a JWT or a
  key), any field but host, a host that is not an inventory hostname,
- 403 a host that is not a capture host.

Arguments:
  host:        address to listen on (default 127.0.0.1). A non-loopback address needs certfile/keyfile (HTTPS),
               or allow_http: true when TLS ends at a proxy in front of it.
  port:        TCP port (default 5443); 0 takes a free port, which the "listening on" line names.
  token:       the bearer token workstations send (at least 16 characters). Required.
  hosts:       the inventory hostnames that may signal (the capture hosts).
  inventory:   or: an inventory source; hosts are then those of group (default claude_hosts), read once at start
               with ansible-inventory.
  group:       the group of inventory (default claude_hosts).
  certfile, keyfile, password: the server certificate, its key, and the key's password, for HTTPS.
  max_body:    largest body accepted, in bytes (default 1024).
  allow_http:  listen without TLS on a non-loopback address (default false).

Example (rulebooks/publish-on-login.yml uses it this way):
  sources:
    - claudeops.credentials.login_signal:
        host: 0.0.0.0
        port: 5443
        token: "{{ claudeops_login_token }}"
        inventory: inventory/hosts.yml
        certfile: /etc/claudeops/tls.crt
        keyfile: /etc/claudeops/tls.key
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import os
import ssl
import subprocess
import sys
from typing import Any

# The collection's module_utils hold the decisions (unit-tested there). ansible-rulebook runs this file by path, so
# the directory that holds ansible_collections/ goes on sys.path first.
_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), *(['..'] * 7)))
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from ansible_collections.claudeops.credentials.plugins.module_utils._signal import (  # noqa: E402
    DEFAULT_MAX_BODY,
    Refusal,
    authorized,
    check_settings,
    hosts_of_group,
    judge,
)

LOGGER = logging.getLogger('claudeops.credentials.login_signal')


def _hosts(args):
    if args.get('inventory'):
        # ANSIBLE_VERBOSITY (set for the playbooks the rulebook runs) would put log lines before the JSON.
        env = dict(os.environ, ANSIBLE_VERBOSITY='0')
        listed = subprocess.run(['ansible-inventory', '-i', str(args['inventory']), '--list'], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, check=False, env=env)
        if listed.returncode:
            raise ValueError('login_signal: ansible-inventory could not read %s: %s'
                             % (args['inventory'], listed.stderr.decode('utf-8', 'replace').strip()[-300:]))
        try:
            inventory = json.loads(listed.stdout)
        except ValueError:
            raise ValueError('login_signal: ansible-inventory -i %s --list printed something other than JSON; run it '
                             'by hand to see why (a callback or a plugin that prints?)' % args['inventory'])
        return hosts_of_group(inventory, args.get('group') or 'claude_hosts')
    return list(args.get('hosts') or ())


def _tls(args, bind):
    if args.get('certfile'):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(args['certfile'], args.get('keyfile'), args.get('password'))
        return context
    try:
        loopback = ipaddress.ip_address(bind).is_loopback
    except ValueError:
        loopback = bind == 'localhost'
    if not loopback and not args.get('allow_http'):
        raise ValueError('login_signal: listening on %s without TLS would send the bearer token in clear: give '
                         'certfile and keyfile, or allow_http: true when TLS ends at a proxy in front of it' % bind)
    return None


async def _read_request(reader, writer, max_body, token):
    """(method, path, headers, length, body): the body is read only when it is at most max_body bytes."""
    request_line = (await reader.readline()).decode('latin-1').split()
    if len(request_line) < 2:
        raise Refusal(400, 'not an HTTP request')
    headers = {}
    for _n in range(100):
        line = await reader.readline()
        if line in (b'\r\n', b'\n', b''):
            break
        name, _sep, value = line.decode('latin-1').partition(':')
        headers[name.strip().lower()] = value.strip()
    else:
        raise Refusal(431, 'too many header lines')
    try:
        length = int(headers['content-length']) if 'content-length' in headers else None
    except ValueError:
        raise Refusal(400, 'Content-Length is not a number')
    body = b''
    if length is not None and 0 <= length <= max_body:
        if headers.get('expect', '').lower() == '100-continue' and authorized(headers.get('authorization'), token):
            # Windows PowerShell's Invoke-RestMethod waits for this before it sends the body.
            writer.write(b'HTTP/1.1 100 Continue\r\n\r\n')
            await writer.drain()
        body = await reader.readexactly(length)
    elif length is None and 'chunked' in headers.get('transfer-encoding', ''):
        raise Refusal(411, 'a chunked body (send Content-Length)')
    return request_line[0], request_line[1], headers, length, body


_REASONS = {200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
            405: 'Method Not Allowed', 408: 'Request Timeout', 411: 'Length Required', 413: 'Payload Too Large',
            431: 'Request Header Fields Too Large'}


async def _answer(writer, status, message):
    body = json.dumps({'status': status, 'message': message}).encode('utf-8')
    head = 'HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n' % (
        status, _REASONS.get(status, 'Error'), len(body))
    if status == 401:
        head += 'WWW-Authenticate: Bearer\r\n'
    writer.write(head.encode('latin-1') + b'\r\n' + body)
    try:
        await writer.drain()
    finally:
        writer.close()


async def main(queue: asyncio.Queue, args: dict[str, Any]) -> None:
    bind = str(args.get('host') or '127.0.0.1')
    port = int(args['port']) if args.get('port') not in (None, '') else 5443
    token = args.get('token')
    max_body = args.get('max_body', DEFAULT_MAX_BODY)
    hosts = _hosts(args)
    check_settings(token, hosts, max_body)
    context = _tls(args, bind)

    async def handle(reader, writer):
        peer = (writer.get_extra_info('peername') or ('?',))[0]
        try:
            request = _read_request(reader, writer, max_body, token)
            method, path, headers, length, body = await asyncio.wait_for(request, 10)
            host = judge(method, path, headers.get('authorization'), length, body, token, hosts, max_body)
        except Refusal as refusal:
            LOGGER.warning('login_signal: refused a signal from %s: HTTP %d, %s', peer, refusal.status, refusal.reason)
            await _answer(writer, refusal.status, refusal.reason)
            return
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError,
                ConnectionError) as exc:
            LOGGER.warning('login_signal: dropped a request from %s: %s', peer, type(exc).__name__)
            writer.close()
            return
        LOGGER.info('login_signal: login signal for %s from %s', host, peer)
        await queue.put({'claudeops_login': {'host': host}, 'meta': {'remote': peer}})
        await _answer(writer, 200, 'signal for %s accepted' % host)

    server = await asyncio.start_server(handle, bind, port, ssl=context, limit=8192)
    port = server.sockets[0].getsockname()[1]
    LOGGER.info('login_signal: listening on %s:%d (%s) for %d capture host(s)', bind, port,
                'https' if context else 'http', len(hosts))
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    # Run alone for a look: python login_signal.py TOKEN HOST... (prints each event).
    class _Print:
        async def put(self, event):
            print(event, flush=True)

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_Print(), {'token': sys.argv[1], 'hosts': sys.argv[2:]}))
