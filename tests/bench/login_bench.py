# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The signal section of make bench: from a login signal to every cluster updated, for 1 and 16 clusters.

For each N, rulebooks/publish-on-login.yml runs under ansible-rulebook with N stand-in clusters. Each repetition
writes a newer fake session for a host of its own (the rulebook debounces per host), sends the signal the login
wrapper sends (POST /login, bearer token, {"host"}), and waits for the capture playbook's PLAY RECAP in the rulebook's
log. "All clusters updated" is when the last cluster answered its write of the Secret: the stand-ins log the arrival
time of every request, and the answer comes one --latency later. The same capture, run as one ansible-playbook
without the rulebook, gives the time the signal path is compared with.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal as signals
import ssl
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIZES = (1, 16)
GOAL = 10.0
TAG = re.compile(r'PLAY RECAP')
TITLE = '## From a login signal to every cluster'


def _sessions(work, hosts, base_hours):
    for i, host in enumerate(hosts):
        subprocess.run([sys.executable, os.path.join(ROOT, 'tests', 'integration', 'targets', 'setup_session', 'files', 'fake_session.py'),
                        os.path.join(work, 'sessions', host), '--expires-in', '%dh%dm' % (base_hours, i + 1),
                        '--token-tag', 'BENCH%s' % host.upper().replace('-', '')],
                       check=True, stdout=subprocess.DEVNULL)


def _holds(kube, secret, host):
    status, obj = kube.call('GET', '/api/v1/namespaces/claude/secrets/%s' % secret)
    if status != 200:
        return False
    return ('BENCH%s' % host.upper().replace('-', '')).encode() in base64.b64decode(obj['data']['.credentials.json'])


def _updated_at(kube, secret, latency):
    """When the cluster answered its last write of the Secret (arrival time plus the injected latency), or None."""
    writes = [e for e in kube.log() if e['method'] in ('POST', 'PUT', 'PATCH') and e['path'].endswith('/' + secret)
              and 'dryRun' not in e['query'] and (e['status'] or 500) < 300]
    return writes[-1]['t'] + latency if writes else None


def _send(port, cafile, token, host):
    req = urllib.request.Request('https://127.0.0.1:%d/login' % port, method='POST',
                                 data=json.dumps({'host': host}).encode(),
                                 headers={'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, context=ssl.create_default_context(cafile=cafile), timeout=10) as resp:
        if resp.status != 200:
            raise SystemExit('bench: the listener answered %s' % resp.status)


def _wait(predicate, seconds, what, log=None):
    end = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > end:
            tail = open(log, 'rb').read()[-3000:].decode('utf-8', 'replace') if log else ''
            raise SystemExit('bench: %s did not happen within %d s\n%s' % (what, seconds, tail))
        time.sleep(0.05)


def measure(work, env, clusters, kubes, latency, reps, free_port, make_certs):
    """Rows {n, signal (s, median), recap (s, median), alone (s, median)} for N in SIZES."""
    rulebook = os.path.join(os.path.dirname(sys.executable), 'ansible-rulebook')
    if not os.path.exists(rulebook):
        raise SystemExit('bench: ansible-rulebook is needed (make bench installs tests/requirements.txt)')
    env = dict(env)
    if os.path.isdir('/usr/lib/jvm/java-17-openjdk-amd64'):
        env.setdefault('JAVA_HOME', '/usr/lib/jvm/java-17-openjdk-amd64')
    tls = os.path.join(work, 'tls')
    os.makedirs(tls, mode=0o700)
    make_certs(tls)
    token = 'bench-bearer-%s' % os.urandom(12).hex()
    rows = []
    for n in SIZES:
        secret = 'bench-signal-%d' % n
        direct = ['d%d-%d' % (n, i) for i in range(reps)]
        signalled = ['s%d-%d' % (n, i) for i in range(reps)]
        _sessions(work, direct, 8)
        _sessions(work, signalled, 9)
        inventory = os.path.join(work, 'signal-%d.ini' % n)
        with open(inventory, 'w') as handle:
            handle.write('[claude_hosts]\n')
            for host in direct + signalled:
                handle.write('%s ansible_connection=local claudeops_session_path=%s ansible_python_interpreter=%s\n'
                             % (host, os.path.join(work, 'sessions', host), sys.executable))
        common = {'claudeops_clusters': clusters[:n], 'claudeops_secret_name': secret,
                  'claudeops_secret_namespace': 'claude'}

        alone = []
        for host in direct:
            with open(os.path.join(work, 'direct.json'), 'w') as handle:
                json.dump(dict(common, claudeops_capture_limit=host), handle)
            start = time.monotonic()
            proc = subprocess.run(['ansible-playbook', os.path.join(ROOT, 'playbooks', 'capture-tokens.yml'), '-i',
                                   inventory, '-e', '@' + os.path.join(work, 'direct.json')], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
            alone.append(time.monotonic() - start)
            if proc.returncode or not all(_holds(k, secret, host) for k in kubes[:n]):
                raise SystemExit('bench: capture-tokens.yml for %s did not publish:\n%s'
                                 % (host, proc.stdout.decode()[-3000:]))

        port = free_port()
        varsfile = os.path.join(work, 'eda-%d.json' % n)
        with open(os.open(varsfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as handle:
            json.dump(dict(common, claudeops_login_token=token, claudeops_login_port=port,
                           claudeops_login_certfile=os.path.join(tls, 'server.pem'),
                           claudeops_login_keyfile=os.path.join(tls, 'server.key'),
                           claudeops_login_inventory=inventory, claudeops_expiry_watch_interval='1h'), handle)
        log = os.path.join(work, 'rulebook-%d.log' % n)
        with open(log, 'wb') as out:
            proc = subprocess.Popen([rulebook, '--rulebook', os.path.join(ROOT, 'rulebooks', 'publish-on-login.yml'),
                                     '-i', inventory, '--vars', varsfile, '-v'], env=env, cwd=work, stdout=out,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            _wait(lambda: b'login_signal: listening on' in open(log, 'rb').read(), 120, 'the listener start', log)
            time.sleep(2)  # expiry_watch's first poll: every Secret is healthy, so it runs nothing
            signal_times, recap_times = [], []
            for i, host in enumerate(signalled):
                for kube in kubes[:n]:
                    kube.call('DELETE', '/_standin/log', auth=False)
                sent = time.time()
                _send(port, os.path.join(tls, 'ca.pem'), token, host)
                _wait(lambda: len(TAG.findall(open(log, 'rb').read().decode('utf-8', 'replace'))) > i, 120,
                      'the capture for %s' % host, log)
                recap_times.append(time.time() - sent)
                updated = [_updated_at(k, secret, latency) for k in kubes[:n]]
                if None in updated or not all(_holds(k, secret, host) for k in kubes[:n]):
                    raise SystemExit('bench: the signal for %s did not update every cluster\n%s'
                                     % (host, open(log, 'rb').read()[-3000:].decode('utf-8', 'replace')))
                signal_times.append(max(updated) - sent)
        finally:
            os.killpg(proc.pid, signals.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signals.SIGKILL)
                proc.wait()
        rows.append({'n': n, 'signal': statistics.median(signal_times), 'recap': statistics.median(recap_times),
                     'alone': statistics.median(alone)})
        print('signal N=%-2d all clusters updated %.2fs  playbook done %.2fs  capture-tokens.yml alone %.2fs'
              % (n, rows[-1]['signal'], rows[-1]['recap'], rows[-1]['alone']), flush=True)
    return rows


def report(rows, latency, reps):
    lines = [
        TITLE,
        '',
        'rulebooks/publish-on-login.yml under ansible-rulebook, with N stand-in clusters (each adding %.0f ms to every '
        'request). %d signals per N, each naming a host with a newer fake session; "all clusters updated" is when the last '
        'cluster answered the write of the Secret, from the stand-ins\' request logs; "playbook done" is when the '
        'capture\'s PLAY RECAP reached the rulebook\'s log. "alone" is the same capture run as one ansible-playbook, '
        'without the rulebook. Medians.' % (latency * 1000, reps),
        '',
        '| clusters | signal to all clusters updated (s) | signal to playbook done (s) | capture-tokens.yml alone (s) | '
        'done / alone |',
        '| ---: | ---: | ---: | ---: | ---: |',
    ]
    for r in rows:
        lines.append('| %d | %.2f | %.2f | %.2f | %.2f |'
                     % (r['n'], r['signal'], r['recap'], r['alone'], r['recap'] / r['alone']))
    lines += ['', 'Targets:', '']
    for r in rows:
        lines.append('- signal to all %d cluster%s updated under %.0f s: **%.2f s** %s' % (
            r['n'], '' if r['n'] == 1 else 's', GOAL, r['signal'], 'met' if r['signal'] < GOAL else 'MISSED'))
    lines += ['', 'The signal path costs one ansible-playbook run of capture-tokens.yml, which ansible-rulebook starts '
              'through ansible-runner: the last column compares it with the same run alone ("alone" also includes the '
              'process exit after its PLAY RECAP). A ratio near 1 means the hand-off from the event to the run adds '
              'nothing measurable.', '']
    return lines
