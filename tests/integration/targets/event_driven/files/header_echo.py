# Part of the event_driven integration target: a one-request HTTP listener on loopback for the POSIX claude-login
# wrapper. It binds a free port (written to argv[1]), answers one POST with 200, and writes the Authorization
# header it received, as received, to argv[2] (0600): runme.sh compares it with the token file byte for byte.
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # pylint: disable=invalid-name
        self.rfile.read(int(self.headers.get('Content-Length') or 0))
        fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as handle:
            handle.write(self.headers.get('Authorization') or '')
        self.send_response(200)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(('127.0.0.1', 0), Handler)
with open(sys.argv[1] + '.tmp', 'w') as handle:
    handle.write(str(server.server_address[1]))
os.replace(sys.argv[1] + '.tmp', sys.argv[1])
server.timeout = 60
server.handle_request()
