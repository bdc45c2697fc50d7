# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What to do after `make demo`: one list of commands, printed by `make demo` and run by `make test`.

next_steps.py print              print the next steps, as a person types them in the checkout
next_steps.py run KUBECONFIG     run each of them in the checkout, with KUBECONFIG in place of ~/.kube/config
                                 (make test passes a stand-in cluster's), and fail on the first that fails
"""

from __future__ import annotations

import os
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


def main():
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
