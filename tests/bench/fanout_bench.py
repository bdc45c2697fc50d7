# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fan-out section of make bench: one claude_secret task, default options, to 1, 16, 64 and 128 distant clusters.

Every stand-in adds FANOUT_LATENCY (100 ms) to each request, for a distant API server. Measured, each as the median
of --reps runs of a whole ansible-playbook:
- first publish and no-op rerun at N = 1, 16, 64, 128, with the requests per cluster the stand-ins counted;
- the AWX shape: one kubeconfig with 128 contexts (K8S_AUTH_KUBECONFIG, as the AWX credential injects it) and
  ``clusters`` naming the contexts;
- a kubernetes.core.k8s loop over 16 clusters, first publish, for the speed-up;
- the module process's peak resident memory at 1 and 128 clusters (ru_maxrss of the interpreter, through a wrapper
  given as ansible_python_interpreter, in runs of their own);
- where the time goes: ansible-playbook with one trivial module (start-up), and fanout_probe.py, which runs the
  module's own cluster code phase by phase (kubernetes import, client set-up, first and second round of reads);
- isolation: 128 clusters of which one answers after 20 s, with request_timeout 3 and retries 1, against the
  other 127's last write (from the stand-ins' logs).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIZES = (1, 16, 64, 128)
LATENCY = 0.1
TITLE = '## Wide fan-out: 1 to 128 distant clusters'

TRIVIAL = '''- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.ping:
'''
RSS_WRAPPER = '''#!%s
# ansible_python_interpreter for the memory runs: run the module in a child and append its peak RSS (KiB), its CPU
# seconds (user + system) and its wall seconds.
import os, resource, subprocess, sys, time
start = time.monotonic()
code = subprocess.call([%r] + sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(%r, 'a') as handle:
    handle.write('%%d %%f %%f\\n' %% (usage.ru_maxrss, usage.ru_utime + usage.ru_stime, time.monotonic() - start))
sys.exit(code)
'''


def _cpu_seconds(states):
    """CPU seconds (user + system) the stand-in processes of ``states`` have used so far, from /proc."""
    ticks = os.sysconf('SC_CLK_TCK')
    total = 0
    for state in states:
        with open(os.path.join(state, 'pid')) as handle:
            pid = handle.read().strip()
        with open('/proc/%s/stat' % pid) as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / float(ticks)


def _write(path, text, mode=0o644):
    with open(path, 'w') as handle:
        handle.write(text)
    os.chmod(path, mode)
    return path


def _per_cluster(kubes):
    entries = [e for k in kubes for e in k.log()]
    return (len(entries) / len(kubes), sum(1 for e in entries if e['method'] != 'GET') / len(kubes))


def measure(work, env, states, kubes, reps, run, control):
    """Everything the section reports, as a dict."""
    import yaml
    for state in states:
        control(state, '/_standin/faults', 'POST', {'latency': LATENCY})
    book = os.path.join(work, 'claude_secret.yml')  # written by bench.py's write_playbooks, default options
    trivial = _write(os.path.join(work, 'trivial.yml'), TRIVIAL)
    session = os.path.join(work, 'session.json')
    by_file = [{'name': os.path.basename(s), 'kubeconfig': os.path.join(s, 'kubeconfig')} for s in states]
    merged = {'apiVersion': 'v1', 'kind': 'Config', 'current-context': '', 'clusters': [], 'users': [], 'contexts': []}
    for state in states:
        with open(os.path.join(state, 'kubeconfig')) as handle:
            one = json.load(handle)
        for key in ('clusters', 'users', 'contexts'):
            merged[key].extend(one[key])
    merged['current-context'] = merged['contexts'][0]['name']
    awx_kubeconfig = os.path.join(work, 'awx-kubeconfig.yml')
    with open(os.open(awx_kubeconfig, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as handle:
        yaml.safe_dump(merged, handle, default_flow_style=False)
    by_context = [{'name': os.path.basename(s), 'context': '%s-admin' % os.path.basename(s)} for s in states]

    def playbook(clusters, secret, extra=None, environ=None):
        args = dict({'clusters': clusters, 'secret': secret, 'session': session}, **(extra or {}))
        path = os.path.join(work, 'fanout-vars.json')
        with open(path, 'w') as handle:
            json.dump(args, handle)
        return run(['ansible-playbook', book, '-e', '@' + path], dict(env, **(environ or {})))

    def clear(n):
        for kube in kubes[:n]:
            kube.call('DELETE', '/_standin/log', auth=False)

    out = {'rows': [], 'reps': reps}
    shapes = [('one kubeconfig per cluster', n, by_file[:n], None) for n in SIZES]
    shapes.append(('one kubeconfig, 128 contexts', len(states), by_context, {'K8S_AUTH_KUBECONFIG': awx_kubeconfig}))
    for label, n, clusters, environ in shapes:
        first, rerun = [], []
        for rep in range(reps):
            secret = 'fan-%s-%d-%d' % ('ctx' if environ else 'file', n, rep)
            clear(n)
            first.append(playbook(clusters, secret, environ=environ))
            first_req = _per_cluster(kubes[:n])
            clear(n)
            rerun.append(playbook(clusters, secret, environ=environ))
            rerun_req = _per_cluster(kubes[:n])
        out['rows'].append({'shape': label, 'n': n, 'first': statistics.median(first),
                            'rerun': statistics.median(rerun), 'first_req': first_req, 'rerun_req': rerun_req})
        print('fanout %-30s N=%-3d first %.2fs rerun %.2fs requests/cluster first %.1f rerun %.1f (writes %.1f)'
              % (label, n, out['rows'][-1]['first'], out['rows'][-1]['rerun'], first_req[0], rerun_req[0],
                 rerun_req[1]), flush=True)

    loop_book = os.path.join(work, 'k8s_loop.yml')  # written by bench.py's publish section helpers
    loop = []
    for rep in range(reps):
        path = os.path.join(work, 'loop-vars.json')
        with open(path, 'w') as handle:
            json.dump({'clusters': by_file[:16], 'secret': 'fan-loop-%d' % rep, 'session': session}, handle)
        loop.append(run(['ansible-playbook', loop_book, '-e', '@' + path], env))
    out['k8s_loop_16'] = statistics.median(loop)
    print('fanout k8s loop N=16 first %.2fs' % out['k8s_loop_16'], flush=True)

    rss_file = os.path.join(work, 'rss.txt')
    wrapper = _write(os.path.join(work, 'rss-python'), RSS_WRAPPER % (sys.executable, sys.executable, rss_file),
                     0o755)
    out['rss'], out['cpu'] = {}, {}
    for n in (1, len(states)):
        peaks, module_cpu, module_wall, standin_cpu = [], [], [], []
        for rep in range(reps):
            if os.path.exists(rss_file):
                os.unlink(rss_file)
            before = _cpu_seconds(states[:n])
            playbook(by_file[:n], 'fan-rss-%d-%d' % (n, rep), {'ansible_python_interpreter': wrapper})
            standin_cpu.append(_cpu_seconds(states[:n]) - before)
            with open(rss_file) as handle:
                rows = [line.split() for line in handle.read().splitlines() if line.strip()]
            peaks.append(max(int(r[0]) for r in rows))
            module_cpu.append(sum(float(r[1]) for r in rows))
            module_wall.append(sum(float(r[2]) for r in rows))
        out['rss'][n] = statistics.median(peaks)
        out['cpu'][n] = {'module_cpu': statistics.median(module_cpu), 'module_wall': statistics.median(module_wall),
                         'standin_cpu': statistics.median(standin_cpu)}
        print('fanout peak RSS N=%-3d %.1f MiB; module CPU %.2fs in %.2fs; stand-ins CPU %.2fs'
              % (n, out['rss'][n] / 1024.0, out['cpu'][n]['module_cpu'], out['cpu'][n]['module_wall'],
                 out['cpu'][n]['standin_cpu']), flush=True)

    out['startup'] = statistics.median(run(['ansible-playbook', trivial], env) for _rep in range(reps))
    out['phases'] = {}
    probe_env = dict(env, PYTHONPATH=env['ANSIBLE_COLLECTIONS_PATH'])
    for n in (1, len(states)):
        samples = []
        for rep in range(reps):
            path = os.path.join(work, 'probe.json')
            with open(path, 'w') as handle:
                json.dump({'clusters': by_file[:n]}, handle)
            proc = subprocess.run([sys.executable, os.path.join(HERE, 'fanout_probe.py'), path, 'fan-file-%d-0' % n],
                                  env=probe_env, stdout=subprocess.PIPE, check=True)
            samples.append(json.loads(proc.stdout))
        out['phases'][n] = dict((k, statistics.median(s[k] for s in samples))
                                for k in ('import', 'setup', 'first_round', 'second_round'))
        print('fanout phases N=%-3d %s' % (n, json.dumps(out['phases'][n])), flush=True)

    control(states[-1], '/_standin/faults', 'POST', {'latency': 20.0})
    clear(len(states))
    started = time.time()
    out['slow_total'] = playbook(by_file, 'fan-slow', {'request_timeout': 3, 'retries': 1, 'expect_failure': True})
    writes = [e['t'] + LATENCY for k in kubes[:-1] for e in k.log()
              if e['method'] in ('PATCH', 'PUT', 'POST') and 'dryRun' not in e['query'] and (e['status'] or 500) < 300]
    out['slow_others'] = max(writes) - started if len(writes) >= len(kubes) - 1 else None
    out['slow_alone'] = playbook(by_file[-1:], 'fan-slow-alone', {'request_timeout': 3, 'retries': 1,
                                                                  'expect_failure': True})
    control(states[-1], '/_standin/faults', 'POST', {'latency': LATENCY})
    print('fanout one 20 s cluster of %d: task %.2fs, the others all written by %s; that cluster alone %.2fs' % (
        len(states), out['slow_total'], '%.2fs' % out['slow_others'] if out['slow_others'] else 'never',
        out['slow_alone']), flush=True)
    return out


def report(out):
    rows = dict(((r['shape'], r['n']), r) for r in out['rows'])
    one = rows[('one kubeconfig per cluster', 1)]
    lines = [
        TITLE,
        '',
        'One claude_secret task with default options (one worker per cluster, at most 128) to N loopback stand-in '
        'clusters, each adding %.0f ms to every request, for a distant API server. Times are medians of %d runs of '
        'the whole ansible-playbook; ratios are against one cluster. Requests are per cluster, counted by the '
        'stand-ins.' % (LATENCY * 1000, out['reps']),
        '',
        '| clusters | shape | first publish (s) | ratio | no-op rerun (s) | ratio | requests/cluster, first | '
        'requests/cluster, rerun | writes/cluster, rerun |',
        '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ]
    for r in out['rows']:
        lines.append('| %d | %s | %.2f | %.2fx | %.2f | %.2fx | %.1f | %.1f | %.1f |' % (
            r['n'], r['shape'], r['first'], r['first'] / one['first'], r['rerun'], r['rerun'] / one['rerun'],
            r['first_req'][0], r['rerun_req'][0], r['rerun_req'][1]))
    big = max(n for _s, n in rows)
    file_big = rows[('one kubeconfig per cluster', big)]
    ctx_big = rows[('one kubeconfig, 128 contexts', big)]
    sixteen = rows[('one kubeconfig per cluster', 16)]
    rss1, rss_big = out['rss'][1], out['rss'][big]
    cpu1, cpu_big = out['cpu'][1], out['cpu'][big]
    checks = [
        ('%d clusters within 2x one cluster, first publish' % big, file_big['first'] / one['first'], 2.0, 'x'),
        ('%d clusters within 2x one cluster, no-op rerun' % big, file_big['rerun'] / one['rerun'], 2.0, 'x'),
        ('one kubeconfig of %d contexts within 2x one cluster, first publish' % big, ctx_big['first'] / one['first'],
         2.0, 'x'),
        ('one kubeconfig of %d contexts within 2x one cluster, no-op rerun' % big, ctx_big['rerun'] / one['rerun'],
         2.0, 'x'),
        ('16 clusters within 2x one cluster, first publish', sixteen['first'] / one['first'], 2.0, 'x'),
        ('peak memory of the module process at %d clusters within 2x that at 1' % big, rss_big / float(rss1), 2.0,
         'x'),
    ]
    lines += ['', 'Targets:', '']
    for text, value, limit, unit in checks:
        lines.append('- %s: **%.2f%s** %s' % (text, value, unit, 'met' if value <= limit else 'MISSED'))
    speedup = out['k8s_loop_16'] / sixteen['first']
    lines.append('- 16 clusters at least 5x faster than a kubernetes.core.k8s loop (%.2f s): **%.1fx** %s'
                 % (out['k8s_loop_16'], speedup, 'met' if speedup >= 5 else 'MISSED'))
    noop = all(r['rerun_req'][0] == 1 and r['rerun_req'][1] == 0 for r in out['rows'])
    lines.append('- a no-op rerun sends one read and no write per cluster, at every N and shape: **%s**'
                 % ('met' if noop else 'MISSED'))
    lines += [
        '',
        'Peak resident memory of the module process (the interpreter that runs claude_secret): %.1f MiB at 1 cluster, '
        '%.1f MiB at %d.' % (rss1 / 1024.0, rss_big / 1024.0, big),
        '',
        'Where the time goes, measured: ansible-playbook with one trivial module (`ansible.builtin.ping`) takes '
        '%.2f s; that is start-up, common to every row. `tests/bench/fanout_probe.py` runs the module\'s own cluster '
        'code phase by phase (medians):' % out['startup'],
        '',
        '| clusters | import kubernetes (s) | client set-up, all clusters (s) | first round of reads: TCP, TLS, request (s) '
        '| second round, kept-alive (s) |',
        '| ---: | ---: | ---: | ---: | ---: |',
    ]
    for n in sorted(out['phases']):
        p = out['phases'][n]
        lines.append('| %d | %.2f | %.2f | %.2f | %.2f |'
                     % (n, p['import'], p['setup'], p['first_round'], p['second_round']))
    lines += [
        '',
        'A first publish makes three requests per cluster on one kept-alive connection: a read, the create (all '
        'data in one request) and a merge patch that moves the create\'s field ownership to server-side apply; a '
        'rerun makes one. With a worker per cluster they overlap, so at %d clusters the rounds cost about what they '
        'cost at one, plus the TLS handshakes and client set-up that the table shows.' % big,
        '',
        'CPU, measured in the memory runs (first publish; medians): the module process used %.2f CPU-seconds in '
        '%.2f s at 1 cluster and %.2f in %.2f s at %d: busy %.0f%% of its time at %d clusters, on one core (Python '
        'runs one thread at a time), about %.1f ms per extra cluster for client set-up, TLS and three requests. '
        'The %d stand-ins, which share this machine\'s %d CPUs with it, used %.2f CPU-seconds meanwhile (%.2f at '
        '1); on a real fleet that work is on the API servers.'
        % (cpu1['module_cpu'], cpu1['module_wall'], cpu_big['module_cpu'], cpu_big['module_wall'], big,
           100 * cpu_big['module_cpu'] / cpu_big['module_wall'], big,
           1000 * (cpu_big['module_cpu'] - cpu1['module_cpu']) / (big - 1), big, os.cpu_count() or 0,
           cpu_big['standin_cpu'], cpu1['standin_cpu']),
        '',
        'Isolation: with one of %d clusters answering after 20 s (request_timeout 3, retries 1: two reads of 3 s '
        'and a back-off), the task took %.2f s, and the other %d clusters had all answered their write %s after it '
        'started. The same task for that cluster alone took %.2f s: the slow cluster costs its own timeouts, and '
        'the others nothing.'
        % (big, out['slow_total'], big - 1,
           '%.2f s' % out['slow_others'] if out['slow_others'] is not None else 'never (MISSED)', out['slow_alone']),
        '',
    ]
    return lines
