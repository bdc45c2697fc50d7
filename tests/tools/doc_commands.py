# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""doc_commands.py [ROOT]: every command block in README.md and docs/*.md says what runs it, or what it needs.

A fenced block without a language, or marked sh, shell, bash or console, holds commands a reader will type. The
nearest non-blank line before it must be an HTML comment with one or more clauses separated by ';':
  run by: ITEM, ITEM   each ITEM a path in the repository (a test target, a script) or `make TARGET` of the Makefile
  needs: TEXT          what it needs that a test cannot have here (a Windows host, AWX, podman)
Output and data blocks carry a language (text, yaml, json) and are not checked.
"""

from __future__ import annotations

import glob
import os
import re
import sys

COMMAND_LANGUAGES = ('', 'sh', 'shell', 'bash', 'console')
MARKER = re.compile(r'^\s*<!--\s*(.*?)\s*-->\s*$')


def make_targets(root):
    with open(os.path.join(root, 'Makefile')) as handle:
        return set(re.findall(r'^([a-z][-a-z]*):', handle.read(), re.M))


def check(root, path, targets):
    problems = []
    lines = open(path).read().splitlines()
    inside = False
    for n, line in enumerate(lines):
        fence = re.match(r'^\s*```\s*(\S*)', line)
        if not fence:
            continue
        if inside:
            inside = False
            continue
        inside = True
        if fence.group(1) not in COMMAND_LANGUAGES:
            continue
        before = next((lines[i] for i in range(n - 1, -1, -1) if lines[i].strip()), '')
        marker = MARKER.match(before)
        where = '%s:%d' % (os.path.relpath(path, root), n + 1)
        if not marker:
            problems.append('%s: a command block without <!-- run by: ... --> or <!-- needs: ... --> before it' % where)
            continue
        for clause in marker.group(1).split(';'):
            kind, _sep, rest = clause.strip().partition(':')
            if kind == 'needs' and rest.strip():
                continue
            if kind != 'run by' or not rest.strip():
                problems.append('%s: %r is neither "run by: ..." nor "needs: ..."' % (where, clause.strip()))
                continue
            for item in (i.strip() for i in rest.split(',')):
                if item.startswith('make '):
                    if item[5:] not in targets:
                        problems.append('%s: no make target %s' % (where, item[5:]))
                elif not os.path.exists(os.path.join(root, item)):
                    problems.append('%s: %s does not exist' % (where, item))
    return problems


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '.')
    targets = make_targets(root)
    problems = []
    for path in [os.path.join(root, 'README.md')] + sorted(glob.glob(os.path.join(root, 'docs', '*.md'))):
        problems.extend(check(root, path, targets))
    for problem in problems:
        print(problem)
    print('doc commands: %d problem(s)' % len(problems))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
