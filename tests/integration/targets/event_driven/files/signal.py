# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""signal.py URL CAFILE TOKEN KIND [HOST]: send one login signal of KIND to the listener and print its HTTP status.

KIND good       what claude-login.sh sends (curl): {"host": HOST} with the bearer token
     ps1        the request claude-login.ps1 is written to send (Windows PowerShell 5.1 Invoke-RestMethod), written
                here by hand from the script and from how Invoke-RestMethod composes a request: its headers in that
                order, Expect: 100-continue (the body follows the listener's 100 Continue) and the body of
                ConvertTo-Json -Compress. It was not captured from a Windows host (none runs here).
     forged     a wrong bearer token          none       no Authorization header
     oversized  a 4 KiB body                  carrying   a token in an extra field
     smuggled   a token as the host value     extra      a field besides host
     unknown    a host that is not a capture host (HOST)
     get        GET instead of POST           path       POST to another path
     notjson    a body that is not JSON
The tokens sent by carrying and smuggled hold CANARYEDASIGNAL, so a test can prove that no log shows them.
"""

from __future__ import annotations

import json
import socket
import ssl
import sys
from urllib.parse import urlsplit

CANARY = 'sk-ant-oat01-CANARYEDASIGNAL-0123456789abcdefghij'


def exchange(url, cafile, head_lines, body, wait_continue=False):
    parts = urlsplit(url)
    context = ssl.create_default_context(cafile=cafile)
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as raw:
        with context.wrap_socket(raw, server_hostname=parts.hostname) as conn:
            conn.sendall(('\r\n'.join(head_lines) + '\r\n\r\n').encode('latin-1'))
            # The listener may answer from the headers alone (413, 401 before 100 Continue): read that first.
            conn.settimeout(1.0 if wait_continue else 0.5)  # .NET sends the body after 350 ms anyway
            try:
                first = conn.recv(4096)
            except (socket.timeout, ssl.SSLError):
                first = b''
            conn.settimeout(20)
            if first and not first.startswith(b'HTTP/1.1 100'):
                return first
            conn.sendall(body)
            answer = b''
            while True:
                try:
                    chunk = conn.recv(4096)
                except ConnectionResetError:
                    return answer
                if not chunk:
                    return answer
                answer += chunk


def main():
    url, cafile, token, kind = sys.argv[1:5]
    host = sys.argv[5] if len(sys.argv) > 5 else 'ws1'
    parts = urlsplit(url)
    netloc, path, method = parts.netloc, parts.path, 'POST'
    auth = 'Bearer ' + token
    payload = {'host': host}
    if kind == 'ps1':
        body = json.dumps(payload, separators=(',', ':')).encode('utf-8')   # ConvertTo-Json -Compress
        head = ['POST %s HTTP/1.1' % path, 'Authorization: ' + auth,
                'User-Agent: Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.4648',
                'Content-Type: application/json', 'Host: ' + netloc, 'Content-Length: %d' % len(body),
                'Expect: 100-continue', 'Connection: Keep-Alive']
        answer = exchange(url, cafile, head, body, wait_continue=True)
        print(answer.split(b' ', 2)[1].decode() if answer.startswith(b'HTTP/1.1 ') else 'no answer')
        return
    if kind == 'forged':
        auth = 'Bearer not-the-token-0123456789'
    elif kind == 'carrying':
        payload['token'] = CANARY
    elif kind == 'smuggled':
        payload = {'host': CANARY}
    elif kind == 'extra':
        payload['user'] = 'alice'
    elif kind == 'get':
        method = 'GET'
    elif kind == 'path':
        path = '/publish'
    body = json.dumps(payload).encode('utf-8')
    if kind == 'oversized':
        body = json.dumps({'host': host, 'pad': 'x' * 4096}).encode('utf-8')
    elif kind == 'notjson':
        body = b'host=ws1'
    head = ['%s %s HTTP/1.1' % (method, path), 'Host: ' + netloc, 'Content-Type: application/json',
            'Content-Length: %d' % len(body), 'Connection: close']
    if kind != 'none':
        head.insert(1, 'Authorization: ' + auth)
    answer = exchange(url, cafile, head, body)
    print(answer.split(b' ', 2)[1].decode() if answer.startswith(b'HTTP/1.1 ') else 'no answer')


if __name__ == '__main__':
    main()
