# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""keep_server.py PORTFILE WORKDIR: Keep's own API (keephq 0.2.7 from PyPI, run by the python setup.sh installs it
with) on a loopback port of its own, written to PORTFILE, with its SQLite database in WORKDIR.

Telemetry, the pusher client and the background services are off (there is no network but loopback). With
KEEP_TEST_API_KEY in the environment (never on argv) Keep runs as a single tenant that checks API keys, and that key is
its only one (stored as Keep stores keys, a SHA-256 hash); without it, in its no-auth mode."""
import hashlib
import os
import socket
import sys

port_file, workdir = sys.argv[1], sys.argv[2]
os.chdir(workdir)
API_KEY = os.environ.pop('KEEP_TEST_API_KEY', '')
for key, value in {'DISABLE_POSTHOG': 'true', 'PUSHER_DISABLED': 'true', 'SCHEDULER': 'false', 'CONSUMER': 'false',
                   'AUTH_TYPE': 'SINGLE_TENANT' if API_KEY else 'NO_AUTH',
                   'DATABASE_CONNECTION_STRING': 'sqlite:///%s/keep.db' % workdir, 'KEEP_API_URL': 'http://127.0.0.1'}.items():
    os.environ.setdefault(key, value)
import uvicorn  # noqa: E402
from keep.api import api  # noqa: E402

sock = socket.socket()
sock.bind(('127.0.0.1', 0))
sock.listen(128)  # requests wait in the backlog until Keep has started
app = api.get_app(auth_type=os.environ['AUTH_TYPE'])

if API_KEY:
    @app.on_event('startup')
    def add_api_key():  # after Keep's own start-up made the tables and the single tenant
        from sqlmodel import Session
        from keep.api.core.db import engine
        from keep.api.core.dependencies import SINGLE_TENANT_UUID
        from keep.api.models.db.tenant import TenantApiKey
        with Session(engine) as session:
            session.merge(TenantApiKey(tenant_id=SINGLE_TENANT_UUID, reference_id='claudeops-test',
                                       key_hash=hashlib.sha256(API_KEY.encode()).hexdigest()))
            session.commit()

server = uvicorn.Server(uvicorn.Config(app, log_level='warning'))
with open(port_file + '.tmp', 'w') as f:
    f.write(str(sock.getsockname()[1]))
os.rename(port_file + '.tmp', port_file)
server.run(sockets=[sock])
