# Part of the secret_stores integration target: a server that never answers. It listens on a free loopback port
# (written to argv[1]) and never accepts: the kernel completes each TCP handshake, a client sends its request (or its
# TLS ClientHello) and waits for an answer that never comes. It ends when runme.sh stops it.
import os
import socket
import sys
import time

listener = socket.socket()
listener.bind(('127.0.0.1', 0))
listener.listen(512)
with open(sys.argv[1] + '.tmp', 'w') as handle:
    handle.write(str(listener.getsockname()[1]))
os.replace(sys.argv[1] + '.tmp', sys.argv[1])
while True:
    time.sleep(3600)
