# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stores section of make bench: claude_secret_store to one store (Vault) and to four at once.

The Vault, Infisical and 1Password Connect stand-ins (tests/store_standins) add LATENCY to every request, for a
distant store; AWS Secrets Manager is moto's server, which adds none. Each measurement is the wall time of one
whole ansible-playbook, the median of --reps runs, for a first write (a new path or key each run) and a rerun.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
STANDIN = os.path.join(ROOT, 'tests', 'store_standins', 'standin.py')
LATENCY = 0.1
TITLE = '## Secret stores: one store and four at once'
TOKEN = 'bench-store-token'
PLAYBOOK = '''- hosts: localhost
  gather_facts: false
  tasks:
    - claudeops.credentials.claude_secret_store:
        stores: "{{ stores }}"
        files: {".credentials.json": "{{ lookup('file', session) | b64encode }}"}
'''


def _port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _wait(path_or_url, seconds=60):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path_or_url.startswith('http'):
            try:
                urllib.request.urlopen(path_or_url, timeout=2)
                return
            except OSError:
                pass
        elif os.path.exists(path_or_url):
            return
        time.sleep(0.1)
    raise SystemExit('bench: %s did not come up' % path_or_url)


def measure(work, env, reps, run):
    procs = []
    state = os.path.join(work, 'stores')
    try:
        for kind in ('vault', 'infisical', 'onepassword'):
            directory = os.path.join(state, kind)
            procs.append(subprocess.Popen([sys.executable, STANDIN, '--kind', kind, '--state-dir', directory,
                                           '--latency', str(LATENCY), '--folder', '/bench'],
                                          env=dict(os.environ, STANDIN_TOKEN=TOKEN),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        moto = _port()
        procs.append(subprocess.Popen([os.path.join(os.path.dirname(sys.executable), 'moto_server'), '-H',
                                       '127.0.0.1', '-p', str(moto)], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        for kind in ('vault', 'infisical', 'onepassword'):
            _wait(os.path.join(state, kind, 'port'))
        _wait('http://127.0.0.1:%d/moto-api/' % moto)
        port = {}
        for kind in ('vault', 'infisical', 'onepassword'):
            with open(os.path.join(state, kind, 'port')) as handle:
                port[kind] = handle.read().strip()
        env = dict(env, AWS_ACCESS_KEY_ID='bench', AWS_SECRET_ACCESS_KEY='bench', AWS_DEFAULT_REGION='us-east-1',
                   AWS_ENDPOINT_URL='http://127.0.0.1:%d' % moto, VAULT_CACERT=os.path.join(state, 'vault', 'ca.pem'))
        book = os.path.join(work, 'stores.yml')
        with open(book, 'w') as handle:
            handle.write(PLAYBOOK)

        def stores(count, tag):
            every = [
                {'name': 'vault', 'backend': 'vault', 'url': 'https://127.0.0.1:%s' % port['vault'], 'token': TOKEN,
                 'path': 'bench/%s' % tag},
                {'name': 'infisical', 'backend': 'infisical', 'url': 'http://127.0.0.1:%s' % port['infisical'],
                 'token': TOKEN, 'project_id': '6f1c0e7b-0000-4000-8000-000000000000', 'path': '/bench',
                 'key': 'CREDENTIALS_%s' % tag.upper()},
                {'name': 'aws', 'backend': 'aws_secretsmanager', 'path': 'bench/%s' % tag},
                {'name': 'onepassword', 'backend': 'onepassword_connect',
                 'url': 'http://127.0.0.1:%s' % port['onepassword'], 'token': TOKEN,
                 'vault_id': '4zxqbxl3ru6fz7rcwz4ynxnyxq', 'item': 'bench %s' % tag},
            ]
            return every[:count]

        rows = []
        for count in (1, 4):
            first, rerun = [], []
            for rep in range(reps):
                path = os.path.join(work, 'stores-vars.json')
                with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as handle:
                    json.dump({'stores': stores(count, 'n%dr%d' % (count, rep)),
                               'session': os.path.join(work, 'session.json')}, handle)
                first.append(run(['ansible-playbook', book, '-e', '@' + path], env))
                rerun.append(run(['ansible-playbook', book, '-e', '@' + path], env))
            rows.append({'n': count, 'first': statistics.median(first), 'rerun': statistics.median(rerun)})
            print('stores N=%d first %.2fs rerun %.2fs' % (count, rows[-1]['first'], rows[-1]['rerun']), flush=True)
        return rows
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait()


def report(rows, reps):
    one, four = rows[0], rows[1]
    lines = [
        TITLE,
        '',
        'claude_secret_store to Vault alone, and to Vault, Infisical, AWS Secrets Manager and 1Password Connect at once. '
        'The Vault, Infisical and 1Password stand-ins add %.0f ms to every request; AWS is moto\'s server, which adds '
        'none. Medians of %d runs of the whole ansible-playbook; a first write goes to a new secret each run.'
        % (LATENCY * 1000, reps),
        '',
        '| stores | first write (s) | ratio | rerun (s) | ratio |',
        '| ---: | ---: | ---: | ---: | ---: |',
    ]
    for r in rows:
        lines.append('| %d | %.2f | %.2fx | %.2f | %.2fx |'
                     % (r['n'], r['first'], r['first'] / one['first'], r['rerun'], r['rerun'] / one['rerun']))
    ratio = max(four['first'] / one['first'], four['rerun'] / one['rerun'])
    lines += ['', 'Target:', '',
              '- 4 stores in parallel within 1.5x the time of one: **%.2fx** %s'
              % (ratio, 'met' if ratio <= 1.5 else 'MISSED'), '']
    return lines
