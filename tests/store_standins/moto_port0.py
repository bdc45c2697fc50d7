# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""moto's server (AWS Secrets Manager for the store tests) on a loopback port it binds itself.

moto_port0.py PORTFILE: serve moto's whole API, as moto_server does, through moto's own ThreadedMotoServer bound to
port 0, and write the port it got to PORTFILE (written whole, then renamed). moto_server -p takes a port chosen
before it starts, which another process can take in between; this one cannot be taken.
"""

from __future__ import annotations

import os
import sys
import threading

from moto.server import ThreadedMotoServer


def main():
    port_file = sys.argv[1]
    server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)
    server.start()
    with open(port_file + '.tmp', 'w') as handle:
        handle.write(str(server.get_host_and_port()[1]))
    os.rename(port_file + '.tmp', port_file)
    threading.Event().wait()  # until SIGTERM


if __name__ == '__main__':
    main()
