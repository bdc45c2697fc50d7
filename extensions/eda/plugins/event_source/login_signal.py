# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""login_signal: a listener for "a person just ran claude login on this workstation", for ansible-rulebook.

It accepts ``POST /login`` with ``Authorization: Bearer <token>`` and the JSON body ``{"host": "<inventory name>"}``
and nothing else, and puts ``{"claudeops_login": {"host": ...}}`` on the queue. The signal never carries a
credential: the rulebook's action captures the session from the host itself. Every refusal is answered with its
HTTP status; the log never holds a header value, a field name or a body value, and names a host only when it is a
capture host:

- 400 a request HTTP/1.1 framing forbids (a bare LF, no version, a space before a colon, a folded line, a control
  character, Content-Length twice or not a plain number, Transfer-Encoding beside Content-Length, HTTP/1.1 without
  Host), a body that is not a flat JSON object, a field that looks like a credential (by name, or a value shaped like
  a token, a JWT or a key), any field but host, a host that is not an inventory hostname,
- 401 no or a wrong bearer token (compared in constant time, before a byte of the body is read),
- 403 a host that is not a capture host, 404 another path, 405 another method,
- 408 no complete request within 10 seconds of the connection (the TLS handshake included),
- 411 no Content-Length (or a Transfer-Encoding), 413 a body over max_body bytes, 431 a head over max_header_bytes.

Load: at most max_connections connections are open at once; a new one closes the oldest unfinished one, so
clients that connect and stall cannot keep a real signal out. Each connection holds at most max_header_bytes of
head and max_body of body. Refused and dropped connections are logged at most one line per refusal_log_interval:
the first at once, the rest as one line with counts.

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
  max_body:    largest body accepted, in bytes (default 1024, at most 65536).
  max_connections:  connections open at once (default 64); a new one closes the oldest that has not finished.
  max_header_bytes: largest request head (request line and headers), in bytes (default 8192).
  refusal_log_interval: seconds between two lines about refused connections (default 10).
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
import collections
import ipaddress
import json
import logging
import os
import ssl
import subprocess
import sys
from typing import Any

# The collection's module_utils hold the decisions (unit-tested there). ansible-rulebook runs this file by path
# (runpy.run_path), so the directory that holds the ansible_collections/ tree this file is in goes first on sys.path:
# the module_utils imported are the ones beside this file, whatever else Python could find.
_COLLECTIONS_ROOT = __file__[:__file__.rindex('%sansible_collections%s' % (os.sep, os.sep))]
if _COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, _COLLECTIONS_ROOT)

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError, Refusal  # noqa: E402
from ansible_collections.claudeops.credentials.plugins.module_utils._signal import (  # noqa: E402
    Head,
    REQUEST_DEADLINE,
    RefusalLog,
    check_settings,
    hosts_of_group,
    judge_body,
    judge_head,
    listener_settings,
    say,
)

LOGGER = logging.getLogger('claudeops.credentials.login_signal')


def _hosts(args):
    if args.get('inventory'):
        # ANSIBLE_VERBOSITY (set for the playbooks the rulebook runs) would put log lines before the JSON.
        env = dict(os.environ, ANSIBLE_VERBOSITY='0')
        listed = subprocess.run(['ansible-inventory', '-i', str(args['inventory']), '--list'], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, check=False, env=env)
        if listed.returncode:
            raise InputError('login_signal: ansible-inventory could not read %s: %s'
                             % (args['inventory'], listed.stderr.decode('utf-8', 'replace').strip()[-300:]), 'inventory')
        try:
            inventory = json.loads(listed.stdout)
        except ValueError:
            raise InputError('login_signal: ansible-inventory -i %s --list printed something other than JSON; run it '
                             'by hand to see why (a callback or a plugin that prints?)' % args['inventory'], 'inventory')
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
        raise InputError('login_signal: listening on %s without TLS would send the bearer token in clear: give '
                         'certfile and keyfile, or allow_http: true when TLS ends at a proxy in front of it' % bind,
                         'certfile')
    return None


class _Connection(object):
    """One client connection: lines and bytes in, bytes out, through TLS when context is given.

    TLS runs here, in the connection's own coroutine, with ssl.SSLObject over memory BIOs rather than asyncio's TLS
    transport: the handshake then counts against the connection's 10 s bound and the connection cap like any read
    (asyncio's handshake runs before the handler, with its own 60 s timeout), and a connection holds about one TLS
    record of buffers instead of asyncio's 256 KiB read buffer. Plain bytes held are bounded by the head limit.
    """

    RECORD = 16 * 1024 + 1024  # a TLS record with its overhead: what one read takes from the socket

    def __init__(self, reader, writer, context, limit):
        self.reader, self.writer, self.limit = reader, writer, limit
        self.peer = (writer.get_extra_info('peername') or ('?',))[0]
        self.evicted = False
        self._plain = b''
        self.tls = None  # the ssl.SSLObject, for HTTPS
        if context is not None:
            self._in, self._out = ssl.MemoryBIO(), ssl.MemoryBIO()
            self.tls = context.wrap_bio(self._in, self._out, server_side=True)

    def _send(self):
        pending = self._out.read()
        if pending:
            self.writer.write(pending)

    async def _feed(self):
        """Send what TLS has to send, then give it the next bytes from the socket."""
        self._send()
        data = await self.reader.read(self.RECORD)
        if not data:
            raise asyncio.IncompleteReadError(self._plain, None)
        self._in.write(data)

    async def handshake(self):
        while self.tls is not None:
            try:
                self.tls.do_handshake()
                self._send()
                return
            except ssl.SSLWantReadError:
                await self._feed()

    async def _more(self):
        """At least one more byte of the request in self._plain."""
        if self.tls is None:
            data = await self.reader.read(self.RECORD)
        else:
            while True:
                try:
                    data = self.tls.read(self.RECORD)
                    break
                except ssl.SSLWantReadError:
                    await self._feed()
        if not data:
            raise asyncio.IncompleteReadError(self._plain, None)
        self._plain += data

    async def line(self):
        """The next line of the head, its end included (Refusal 431 past the limit)."""
        while True:
            end = self._plain.find(b'\n')
            if end >= 0:
                line, self._plain = self._plain[:end + 1], self._plain[end + 1:]
                return line
            if len(self._plain) > self.limit:
                raise Refusal(431, 'a header line over %d bytes' % self.limit)
            await self._more()

    async def exactly(self, length):
        while len(self._plain) < length:
            await self._more()
        body, self._plain = self._plain[:length], self._plain[length:]
        return body

    async def write(self, data):
        if self.tls is None:
            self.writer.write(data)
        else:
            self.tls.write(data)
            self._send()
        await self.writer.drain()

    async def close(self):
        """Close after the answer: TLS close_notify, our end shut, then what the client still sends is read and
        dropped (64 KiB, 2 s at most) so that its unread bytes do not turn the close into a reset that loses the
        answer (a client still sending the body of a refused request); then the socket is closed."""
        try:
            if self.tls is not None:
                try:
                    self.tls.unwrap()
                except (ssl.SSLError, ValueError):
                    pass  # the peer's close_notify is not awaited; a handshake never done has nothing to close
                self._send()
            if self.writer.can_write_eof():
                self.writer.write_eof()
            await asyncio.wait_for(self._discard(64 * 1024), 2)
            self.writer.close()
            await asyncio.wait_for(self.writer.wait_closed(), 1)
        except (asyncio.TimeoutError, OSError):
            pass
        finally:
            self.writer.transport.abort()

    async def _discard(self, budget):
        while budget > 0:
            data = await self.reader.read(min(budget, self.RECORD))
            if not data:
                return
            budget -= len(data)


async def _request(conn, settings, token, hosts, stage):
    """The host of one signal, or Refusal. stage[0] says how far it got, for a timeout's message."""
    await conn.handshake()
    stage[0] = 'head'
    head = Head(settings['max_header_bytes'])
    while not head.feed(await conn.line()):
        pass
    length = judge_head(head, token, settings['max_body'])
    if head.expects_continue():
        # Windows PowerShell's Invoke-RestMethod waits for this before it sends the body.
        await conn.write(b'HTTP/1.1 100 Continue\r\n\r\n')
    stage[0] = 'body'
    return judge_body(await conn.exactly(length), hosts)


_REASONS = {200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
            405: 'Method Not Allowed', 408: 'Request Timeout', 411: 'Length Required', 413: 'Payload Too Large',
            431: 'Request Header Fields Too Large', 500: 'Internal Server Error'}
_TIMEOUTS = {'tls': 'no TLS handshake', 'head': 'no complete request head', 'body': 'no complete body'}


async def _answer(conn, status, message):
    body = json.dumps({'status': status, 'message': message}).encode('utf-8')
    head = 'HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n' % (
        status, _REASONS.get(status, 'Error'), len(body))
    if status == 401:
        head += 'WWW-Authenticate: Bearer\r\n'
    try:
        await asyncio.wait_for(conn.write(head.encode('latin-1') + b'\r\n' + body), 2)
    except (asyncio.TimeoutError, OSError):
        pass


def _dropped(stage, exc):
    if stage == 'tls':
        return 'dropped (the TLS handshake failed)'
    if isinstance(exc, asyncio.IncompleteReadError):
        return 'dropped (closed by the client before the request was complete)'
    return 'dropped (a connection error: %s)' % type(exc).__name__


async def _serve(conn, settings, token, hosts, queue, refusals):
    """Read, judge and answer one request; every outcome but eviction counted once in refusals or logged."""
    stage = ['tls' if conn.tls is not None else 'head']
    try:
        host = await asyncio.wait_for(_request(conn, settings, token, hosts, stage), REQUEST_DEADLINE)
    except Refusal as refusal:
        refusals.add(conn.peer, 'HTTP %d (%s)' % (refusal.status, refusal.reason))
        await _answer(conn, refusal.status, refusal.reason)
        return
    except asyncio.TimeoutError:
        if conn.evicted:
            return
        if stage[0] == 'tls':
            refusals.add(conn.peer, 'dropped (%s within %d s)' % (_TIMEOUTS['tls'], REQUEST_DEADLINE))
            return
        refusals.add(conn.peer, 'HTTP 408 (%s within %d s)' % (_TIMEOUTS[stage[0]], REQUEST_DEADLINE))
        await _answer(conn, 408, '%s within %d s' % (_TIMEOUTS[stage[0]], REQUEST_DEADLINE))
        return
    except (asyncio.IncompleteReadError, OSError) as exc:  # ssl.SSLError and ConnectionError are OSErrors
        if not conn.evicted:
            refusals.add(conn.peer, _dropped(stage[0], exc))
        return
    except Exception as exc:  # pylint: disable=broad-except
        # A defect of ours: answered and counted like a refusal, never a traceback (which could show a value).
        refusals.add(conn.peer, 'HTTP 500 (an internal error, %s: please report it)' % type(exc).__name__)
        await _answer(conn, 500, 'internal error')
        return
    say('login_signal', 'login_signal: login signal for %s from %s accepted' % (host, conn.peer))
    # Shielded: a signal judged good is queued even if its connection is closed for a newer one meanwhile.
    await asyncio.shield(queue.put({'claudeops_login': {'host': host}, 'meta': {'remote': conn.peer}}))
    await _answer(conn, 200, 'signal for %s accepted' % host)


async def _flush(refusals):
    while True:
        await asyncio.sleep(1)
        refusals.flush()


async def main(queue: asyncio.Queue, args: dict[str, Any]) -> None:
    bind = str(args.get('host') or '127.0.0.1')
    settings = listener_settings(args)
    token = args.get('token')
    hosts = _hosts(args)
    check_settings(token, hosts)
    context = _tls(args, bind)
    refusals = RefusalLog(LOGGER.warning, settings['refusal_log_interval'])
    cap = settings['max_connections']
    # Open connections, oldest first: {connection: the task serving it}.
    open_ = collections.OrderedDict()

    async def handle(reader, writer):
        conn = _Connection(reader, writer, context, settings['max_header_bytes'])
        while len(open_) >= cap:
            oldest, work = open_.popitem(last=False)
            oldest.evicted = True
            oldest.writer.transport.abort()
            if not work.done():  # one that is closing after its answer was counted already
                work.cancel()
                refusals.add(oldest.peer, 'dropped (the oldest unfinished of %d open connections, for a new one)' % cap)
        work = asyncio.ensure_future(_serve(conn, settings, token, hosts, queue, refusals))
        open_[conn] = work
        try:
            await asyncio.wait([work])  # returns when work ends, cancelled included, without raising
            await conn.close()  # still counted while it closes
        finally:
            open_.pop(conn, None)
            writer.transport.abort()

    server = await asyncio.start_server(handle, bind, settings['port'], limit=settings['max_header_bytes'])
    port = server.sockets[0].getsockname()[1]
    say('login_signal', 'login_signal: listening on %s:%d (%s) for %d capture host(s), at most %d connections at once'
        % (bind, port, 'https' if context else 'http', len(hosts), cap))
    flusher = asyncio.ensure_future(_flush(refusals))
    try:
        async with server:
            await server.serve_forever()
    finally:
        flusher.cancel()
        refusals.flush(force=True)


if __name__ == '__main__':
    # Run alone for a look: python login_signal.py TOKEN HOST... (prints each event).
    class _Print:
        async def put(self, event):
            print(event, flush=True)

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_Print(), {'token': sys.argv[1], 'hosts': sys.argv[2:]}))
