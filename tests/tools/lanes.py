# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""make integration, make corners, make test: jobs in lanes that run side by side, each lane in a copy of its own.

lanes.py COPY LOGS [--lanes N] [--all-targets] [--jobs FILE] [TARGET...]

COPY is the test copy (.../ansible_collections/claudeops/credentials); LOGS the directory for one log per job.
A job is an integration target (run with ansible-test in the lane's copy) or a line NAME<TAB>COMMAND of FILE (a
bash command run in the lane's copy, with LANE_COPY and LANE_ROOT, the directory holding its ansible_collections,
in its environment: make test runs the corners' jobs, molecule, the build and the demo test so, beside the targets).
Without TARGET and --jobs, or with --all-targets, every target under tests/integration/targets runs. Most targets spend their time waiting (on
stand-in servers, Keep, Alertmanager, ansible-rulebook, latencies they inject), so two lanes on two CPUs finish well
before one would; every target binds its own ports (port 0, or a retry on a taken one) and works in a directory of
its own, so lanes never collide. A lane takes the longest target not yet run (durations.tsv beside this file holds
each target's measured seconds; unknown targets count as long). Each target runs alone in its ansible-test
invocation through strict_run.sh (nothing dropped or skipped silently), its output in LOGS/TARGET.log; a failing
target never stops the others, and the run ends with one line per target and the failures' last lines.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DURATIONS = os.path.join(HERE, 'durations.tsv')


def known_durations():
    out = {}
    if os.path.exists(DURATIONS):
        with open(DURATIONS) as handle:
            for line in handle:
                if line.strip() and not line.startswith('#'):
                    name, seconds = line.split()[:2]
                    out[name] = float(seconds)
    return out


def all_targets(copy):
    root = os.path.join(copy, 'tests', 'integration', 'targets')
    return sorted(n for n in os.listdir(root) if not n.startswith(('setup_', 'prepare_', '.')))


def lane_copy(copy, lane):
    """Lane 0 uses COPY itself; the others a copy of it beside it (ansible-test wants .../ansible_collections/...)."""
    if lane == 0:
        return copy
    collections = os.path.dirname(os.path.dirname(os.path.dirname(copy)))
    dest = os.path.join(os.path.dirname(collections), 'lane%d' % lane, 'ansible_collections', 'claudeops',
                        'credentials')
    shutil.rmtree(os.path.dirname(os.path.dirname(os.path.dirname(dest))), ignore_errors=True)
    shutil.copytree(copy, dest, symlinks=True, ignore=shutil.ignore_patterns('output'))
    return dest


def read_jobs(path):
    """NAME<TAB>COMMAND lines (# comments and blank lines ignored)."""
    jobs = {}
    with (sys.stdin if path == '-' else open(path)) as handle:
        for line in handle:
            if line.strip() and not line.startswith('#'):
                name, command = line.rstrip('\n').split('\t', 1)
                if name in jobs:
                    sys.exit('lanes: job %s is given twice' % name)
                jobs[name] = command
    return jobs


def integration_argv(target, python, log):
    """ansible-test integration of one target on Python ``python``, through strict_run.sh (which fails a run that
    skipped what it was asked to run) into ``log``; --allow-root: a needs/root target runs, and fails loudly."""
    return ['bash', os.path.join(HERE, 'strict_run.sh'), log, '--', 'ansible-test', 'integration', '--python', python,
            '--allow-root', '--color', 'no', target]


def run_job(where, name, command, logs, python):
    """Run an integration target (``command`` None) or a bash command in the lane's copy ``where``."""
    log = os.path.join(logs, name.replace('/', '-') + '.log')
    env = dict(os.environ, LANE_COPY=where,
               LANE_ROOT=os.path.dirname(os.path.dirname(os.path.dirname(where))))
    start = time.time()
    if command is None:
        with open(os.devnull, 'w') as quiet:
            done = subprocess.run(integration_argv(name, python, log), cwd=where, env=env, stdout=quiet, stderr=subprocess.STDOUT, check=False)
    else:
        with open(log, 'w') as out:
            done = subprocess.run(['bash', '-eu', '-o', 'pipefail', '-c', command], cwd=where, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, check=False)
    return done.returncode, time.time() - start, log


def record_step(name, passed, seconds, start):
    """A row in make test's table of step times (tests/tools/step.sh), when make test runs us."""
    if os.environ.get('STEPS_FILE'):
        with open(os.environ['STEPS_FILE'], 'a') as handle:
            handle.write('%s\t%s\t%d\t%d\n' % (name, 'passed' if passed else 'FAILED', seconds, start))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('copy')
    parser.add_argument('logs')
    parser.add_argument('--lanes', type=int, default=2)
    parser.add_argument('--python', default='3.11')
    parser.add_argument('--all-targets', action='store_true', help='every integration target, besides --jobs')
    parser.add_argument('--jobs', help='a file (- for stdin) of NAME<TAB>COMMAND lines to run besides the targets')
    parser.add_argument('targets', nargs='*')
    args = parser.parse_intermixed_args(argv)
    commands = read_jobs(args.jobs) if args.jobs else {}
    targets = list(args.targets)
    if args.all_targets or not (targets or commands):
        targets += [t for t in all_targets(args.copy) if t not in targets]
    commands.update((t, None) for t in targets)
    known = known_durations()
    queue = sorted(commands, key=lambda t: -known.get(t, 600))
    lanes = min(args.lanes, len(queue))
    os.makedirs(args.logs, exist_ok=True)
    copies = [lane_copy(args.copy, n) for n in range(lanes)]
    lock = threading.Lock()
    results = {}

    def lane(n):
        while True:
            with lock:
                if not queue:
                    return
                target = queue.pop(0)
                print('lane %d: %s started' % (n, target), flush=True)
            began = time.time()
            rc, seconds, log = run_job(copies[n], target, commands[target], args.logs, args.python)
            with lock:
                results[target] = (rc, seconds, n, log)
                record_step(target, rc == 0, seconds, began)
                print('lane %d: %s %s in %ds' % (n, target, 'passed' if rc == 0 else 'FAILED', seconds), flush=True)

    start = time.time()
    threads = [threading.Thread(target=lane, args=(n,)) for n in range(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = sorted(t for t, r in results.items() if r[0] != 0)
    for target in failed:
        print('\n==== %s failed; the end of %s:' % (target, results[target][3]))
        with open(results[target][3], errors='replace') as handle:
            print(''.join(handle.readlines()[-40:]), end='')
    print('\n%-32s %-7s %8s %5s' % ('job', 'result', 'seconds', 'lane'))
    for target in sorted(results, key=lambda t: -results[t][1]):
        rc, seconds, n, _log = results[target]
        print('%-32s %-7s %8d %5d' % (target, 'passed' if rc == 0 else 'FAILED', seconds, n))
    print('%d job(s) in %d lane(s): %d s of job time in %d s' % (
        len(results), lanes, sum(r[1] for r in results.values()), time.time() - start))
    if failed:
        print('lanes: %d of %d jobs failed: %s' % (len(failed), len(results), ', '.join(failed)))
        return 1
    print('lanes: all %d jobs passed' % len(results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
