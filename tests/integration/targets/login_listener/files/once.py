# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""once.py PORT CAFILE TOKENFILE: a good signal for ws2, then one with Content-Length twice; prints both statuses."""

import json
import socket
import ssl
import sys

PORT, CAFILE, TOKENFILE = sys.argv[1:4]
with open(TOKENFILE) as handle:
    TOKEN = handle.read().strip()


def status(extra=''):
    body = json.dumps({'host': 'ws2'}).encode()
    head = ('POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n%s\r\n'
            % (TOKEN, len(body), extra)).encode()
    context = ssl.create_default_context(cafile=CAFILE)
    with context.wrap_socket(socket.create_connection(('127.0.0.1', int(PORT)), 10), server_hostname='127.0.0.1') as conn:
        conn.sendall(head + body)
        answer = conn.recv(100)
    return answer.split(b' ')[1].decode() if answer.startswith(b'HTTP/1.1 ') else 'none'


print(status(), status('Content-Length: %d\r\n' % len(json.dumps({'host': 'ws2'}))))
