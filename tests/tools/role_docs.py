# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""role_docs.py CHECKOUT ANSIBLE_DOC [--self-test]: role docs print in both layouts a user's clone has.

A user runs ``ansible-doc -t role claudeops.credentials.<role>`` (and ``-t role -l claudeops.credentials``) from
the clone, with its ansible.cfg and nothing in the environment, after ``make demo`` linked the clone under
.build/collections. The clone may sit at a plain path or under .../ansible_collections/claudeops/credentials. Each
layout is made here from the checkout's files (git ls-files) in a scratch directory, and every command must print
the role's docs (ansible-doc prints nothing and exits 0 when it finds no role). --self-test plants the ansible.cfg
order that hid the roles in the nested layout (.build/collections before ../../..) and must see the check fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

LINK = os.path.join('.build', 'collections', 'ansible_collections', 'claudeops', 'credentials')


def copy_checkout(checkout, dest):
    files = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard', '-z'], cwd=checkout, check=True,
                           stdout=subprocess.PIPE).stdout.split(b'\0')
    for name in filter(None, files):
        name = name.decode()
        if name.startswith('.build/') or not os.path.isfile(os.path.join(checkout, name)):
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, name)) or dest, exist_ok=True)
        shutil.copy2(os.path.join(checkout, name), os.path.join(dest, name))
    # What make demo and make setup make: the clone linked as a collection under .build/collections.
    os.makedirs(os.path.dirname(os.path.join(dest, LINK)), exist_ok=True)
    os.symlink(os.path.join('..', '..', '..', '..'), os.path.join(dest, LINK))


def problems_in(clone, ansible_doc, roles):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith('ANSIBLE_'))
    found = []
    listed = subprocess.run([ansible_doc, '-t', 'role', '-l', 'claudeops.credentials'], cwd=clone, env=env, check=False,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    for role in roles:
        if 'claudeops.credentials.%s:' % role not in listed:
            found.append('ansible-doc -t role -l claudeops.credentials does not list %s' % role)
        out = subprocess.run([ansible_doc, '-t', 'role', 'claudeops.credentials.' + role], cwd=clone, env=env, check=False,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        if 'ENTRY POINT' not in out:
            found.append('ansible-doc -t role claudeops.credentials.%s prints no docs' % role)
    return found


def check(checkout, ansible_doc, plant=False):
    roles = sorted(os.listdir(os.path.join(checkout, 'roles')))
    scratch = tempfile.mkdtemp(prefix='claudeops-role-docs-')
    report = []
    try:
        for layout, clone in (('plain path', os.path.join(scratch, 'plain', 'claudeops')),
                              ('under ansible_collections', os.path.join(scratch, 'nested', 'ansible_collections',
                                                                         'claudeops', 'credentials'))):
            copy_checkout(checkout, clone)
            if plant:
                cfg = os.path.join(clone, 'ansible.cfg')
                with open(cfg) as handle:
                    text = handle.read()
                with open(cfg, 'w') as handle:
                    handle.write(text.replace('collections_path = ../../..:.build/collections:',
                                              'collections_path = .build/collections:../../..:'))
            report += ['%s: %s' % (layout, p) for p in problems_in(clone, ansible_doc, roles)]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return roles, report


def main():
    checkout, ansible_doc = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if '--self-test' in sys.argv:
        _roles, report = check(checkout, ansible_doc, plant=True)
        if not any(p.startswith('under ansible_collections') for p in report):
            sys.exit('role_docs self-test: the planted ansible.cfg order went unnoticed')
        print('role_docs self-test: the planted ansible.cfg order is found (%d problems)' % len(report))
        return
    roles, report = check(checkout, ansible_doc)
    for problem in report:
        print('role_docs: ' + problem)
    if report:
        sys.exit(1)
    print('role_docs: %d roles document themselves in both layouts' % len(roles))


if __name__ == '__main__':
    main()
