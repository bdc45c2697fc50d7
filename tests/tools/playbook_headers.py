# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbook_headers.py CHECKOUT INSTALLED: every playbook's header shows how to run it from a checkout and from an
installed collection; run both commands, as written, with --syntax-check (the installed one against INSTALLED, the
directory `ansible-galaxy collection install -p` filled, in place of ~/.ansible/collections)."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import tempfile

DEFAULT_ROOT = '~/.ansible/collections'


def commands(path):
    found = [line[1:].strip() for line in open(path) if line.startswith('#') and 'ansible-playbook ' in line]
    checkout = [c for c in found if c.startswith('.venv/bin/ansible-playbook playbooks/')]
    installed = [c for c in found if c.startswith('ansible-playbook %s/' % DEFAULT_ROOT)]
    return checkout, installed


def main():
    checkout_dir, installed_root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    failures = []
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, 'clusters.yml'), 'w') as handle:
            handle.write('claudeops_clusters: [{name: dev, kubeconfig: /nonexistent}]\n')
        playbooks = sorted(glob.glob(os.path.join(checkout_dir, 'playbooks', '*.yml')))
        if not playbooks:  # a check of nothing proves nothing: a wrong directory must fail
            failures.append('no playbook found under %s/playbooks' % checkout_dir)
        checked = 0
        for path in playbooks:
            name = os.path.basename(path)
            checkout, installed = commands(path)
            if len(checkout) != 1 or len(installed) != 1:
                failures.append('%s: the header must show one checkout and one installed command' % name)
                continue
            runs = [(checkout[0].replace('.venv/bin/ansible-playbook', os.path.join(checkout_dir, '.venv/bin/ansible-playbook'), 1),
                     checkout_dir, {}),
                    (installed[0].replace(DEFAULT_ROOT, installed_root, 1), checkout_dir,
                     {'ANSIBLE_COLLECTIONS_PATH': installed_root})]
            for command, cwd, extra in runs:
                command = command.replace('@clusters.yml', '@' + os.path.join(work, 'clusters.yml'))
                env = dict(os.environ, **extra)
                done = subprocess.run(['bash', '-c', command + ' --syntax-check'], cwd=cwd, env=env,
                                      capture_output=True, text=True, check=False)
                checked += 1
                if done.returncode:
                    failures.append('%s: `%s` fails:\n%s' % (name, command, (done.stdout + done.stderr)[-800:]))
    for failure in failures:
        print(failure)
    print('playbook headers: %d command(s) of %d playbook(s) run, %d problem(s)' % (checked, len(playbooks), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
