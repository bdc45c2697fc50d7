# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What to do after `make demo`: one list of commands, printed by `make demo` and run by `make test`.

next_steps.py print              print the next steps, as a person types them in the checkout
next_steps.py run KUBECONFIG     run each of them in the checkout, with KUBECONFIG in place of ~/.kube/config
                                 (make test passes a stand-in cluster's), and fail on the first that fails
next_steps.py readme KUBECONFIG  run the commands of README.md's "shortest path" table, in its order, as written
                                 there, after `make demo`: `@clusters.yml` names a file listing the cluster of
                                 KUBECONFIG, `…` in CLAUDE_CODE_OAUTH_TOKEN=… is a fake long-lived token, kubectl
                                 gets KUBECONFIG (and --validate=false: kubectl validates against the server's
                                 OpenAPI document, which the stand-in does not serve), and the commands that need a
                                 Claude account (claude ...) are not in it
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

KUBECONFIG = '~/.kube/config'
ENV = 'CLAUDE_CONFIG_DIR=$PWD/.build/demo/.claude'
CLUSTERS = '{"claudeops_clusters": [{"name": "dev", "kubeconfig": "%s"}]}'

STEPS = (
    ('Publish the session to a cluster (any kubeconfig; the Secret claude/claude-session):',
     '%s .venv/bin/ansible-playbook playbooks/capture-tokens.yml -e %s' % (ENV, shlex.quote(CLUSTERS % KUBECONFIG))),
    ('Report its expiry, for the host and the cluster (out/token-status.md):',
     '%s .venv/bin/ansible-playbook playbooks/monitor-tokens.yml -e %s' % (ENV, shlex.quote(CLUSTERS % KUBECONFIG))),
    ('Check everything, each failing check with its fix:',
     '%s .venv/bin/ansible-playbook playbooks/doctor.yml -e %s' % (ENV, shlex.quote(CLUSTERS % KUBECONFIG))),
)


FAKE_TOKEN = 'sk-ant-oat01-README-fake-long-lived-token'


def readme_commands(path='README.md'):
    """The inline commands of the table under the "shortest path" heading, row by row, left to right."""
    lines = open(path).read().splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith('## The shortest path'))
    commands = []
    for line in lines[start + 1:]:
        if line.startswith('## '):
            break
        if line.startswith('|'):
            commands.extend(span for span in re.findall(r'`([^`]+)`', line)
                            if re.match(r'^(\.venv/bin/|kubectl |[A-Z_]+=)', span))
    return commands


def run_readme(kubeconfig):
    scratch = os.path.dirname(os.path.abspath(kubeconfig))
    clusters = os.path.join(scratch, 'clusters.yml')
    with open(clusters, 'w') as handle:
        handle.write('claudeops_clusters:\n  - name: dev\n    kubeconfig: %s\n' % kubeconfig)
    env = dict(os.environ, KUBECONFIG=kubeconfig, CLAUDE_CONFIG_DIR=os.path.join(os.getcwd(), '.build/demo/.claude'),
               PATH='%s:%s' % (os.path.dirname(sys.executable), os.environ['PATH']))
    commands = readme_commands()
    if len(commands) < 4:
        print('README.md: the shortest-path table lost its commands: %r' % commands)
        return 1
    for command in commands:
        typed = command.replace('@clusters.yml', '@' + clusters)
        typed = typed.replace('CLAUDE_CODE_OAUTH_TOKEN=…', 'CLAUDE_CODE_OAUTH_TOKEN=' + FAKE_TOKEN)
        if typed.startswith('kubectl apply '):
            typed = typed.replace('kubectl apply ', 'kubectl apply --validate=false ', 1)
        print('== README: %s' % command, flush=True)
        done = subprocess.run(['bash', '-c', typed], cwd=os.getcwd(), env=env, check=False)
        if done.returncode:
            print('README command failed (rc %d): %s' % (done.returncode, command))
            return 1
    return 0


def main():
    if sys.argv[1] == 'readme':
        return run_readme(sys.argv[2])
    if sys.argv[1] == 'print':
        print('Next steps (docs/README.md has the rest):')
        for n, (what, command) in enumerate(STEPS, 1):
            print('  %d. %s\n       %s' % (n, what, command))
        return 0
    kubeconfig = sys.argv[2]
    for what, command in STEPS:
        command = command.replace(KUBECONFIG, kubeconfig)
        print('== %s\n   %s' % (what, command), flush=True)
        done = subprocess.run(['bash', '-c', command], cwd=os.getcwd(), check=False)
        if done.returncode:
            print('next step failed (rc %d): %s' % (done.returncode, command))
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
