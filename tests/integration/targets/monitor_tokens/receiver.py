# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local alert receiver: receiver.py PORTFILE EVENTSFILE TOKEN. Appends each POSTed event, with the
Authorization header it came with, as one JSON line; answers 401 to a wrong bearer token."""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Receiver(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        return

    def do_POST(self):  # pylint: disable=invalid-name
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        ok = self.headers.get('Authorization') == 'Bearer ' + sys.argv[3]
        with open(sys.argv[2], 'a') as handle:
            handle.write(json.dumps({'authorized': ok, 'event': json.loads(body)}) + '\n')
        self.send_response(202 if ok else 401)
        self.send_header('Content-Length', '0')
        self.end_headers()


def main():
    server = HTTPServer(('127.0.0.1', 0), Receiver)
    with open(sys.argv[1], 'w') as handle:
        handle.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == '__main__':
    main()
