# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""doc_commands.py [ROOT]: every command block in README.md and docs/*.md says what runs it, or what it needs.

A fenced block without a language, or marked sh, shell, bash or console, holds commands a reader will type. The
nearest non-blank line before it must be an HTML comment with one or more clauses separated by ';':
  run by: ITEM, ITEM   each ITEM a path in the repository (a test target, a script) or `make TARGET` of the Makefile
  needs: TEXT          what it needs that a test cannot have here (a Windows host, AWX, podman)
Output and data blocks carry a language (text, yaml, json) and are not checked.

doc_commands.py ROOT --inline WORD   prints each inline command starting with WORD, one per line, without those that
                                     hold a <placeholder> (make docs-lint runs every `ansible-doc ...` so printed)
doc_commands.py --self-test          checks this checker on documents with known problems

A command written inline, as a code span in prose, a list or a table (`ansible-playbook playbooks/...`, `claude login`),
is held to the same rule: the paragraph, list or table it is in (its lines up to a blank line) starts with such a
comment line. `make TARGET` needs none when `make test` runs TARGET, directly or through another target, or runs TARGET-test
(demo-test runs make demo): CI runs it.
"""

from __future__ import annotations

import glob
import os
import re
import sys

COMMAND_LANGUAGES = ('', 'sh', 'shell', 'bash', 'console')
MARKER = re.compile(r'^\s*<!--\s*(.*?)\s*-->\s*$')
# The first word of an inline code span that makes it a command (after VAR=value prefixes and a directory part).
COMMANDS = ('make', 'ansible', 'ansible-playbook', 'ansible-doc', 'ansible-galaxy', 'ansible-test', 'ansible-rulebook',
            'ansible-navigator', 'ansible-lint', 'molecule', 'kubectl', 'claude', 'podman', 'pip', 'curl', 'python',
            'python3', 'bash', 'sh', 'git', 'awx')
SPAN = re.compile(r'(?<!`)`([^`]+)`(?!`)')


def make_targets(root):
    with open(os.path.join(root, 'Makefile')) as handle:
        return set(re.findall(r'^([a-z][-a-z]*):', handle.read(), re.M))


def run_by_make_test(root):
    """The targets `make test` runs: its prerequisites, the targets its recipe passes to $(MAKE) (or to $(LANE_MAKE), in
    the pool of lanes), their prerequisites,
    and TARGET for each TARGET-test among them (demo-test runs make demo)."""
    with open(os.path.join(root, 'Makefile')) as handle:
        text = handle.read()
    rules = {}
    for name, prereqs, recipe in re.findall(r'^([a-z][-a-z]*):([^\n=]*)\n((?:\t[^\n]*\n)*)', text, re.M):
        called = [w for line in recipe.splitlines() if '$(MAKE)' in line or '$(LANE_MAKE)' in line for w in line.split()
                  if re.match(r'^[a-z][-a-z]*$', w)]
        rules[name] = [w for w in prereqs.split() if w in re.findall(r'^([a-z][-a-z]*):', text, re.M)] + called
    seen, todo = set(), ['test']
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(rules.get(name, ()))
        if name.endswith('-test'):
            todo.append(name[:-len('-test')])
    return seen


def inline_command(span):
    """The command an inline code span holds, or None: `claude login` is one, `claudeops_clusters` is not."""
    words = span.split()
    while words and re.match(r'^[A-Z_][A-Z0-9_]*=', words[0]):
        words = words[1:]
    if len(words) < 2:
        return None
    return span if os.path.basename(words[0]) in COMMANDS else None


def check_marker(where, text, targets):
    problems = []
    for clause in text.split(';'):
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
            elif not os.path.exists(os.path.join(where.root, item)):
                problems.append('%s: %s does not exist' % (where, item))
    return problems


class Where(str):
    root = ''


def at(root, path, n):
    where = Where('%s:%d' % (os.path.relpath(path, root), n + 1))
    where.root = root
    return where


def check(root, path, targets, ci_targets=frozenset()):
    problems = []
    lines = open(path).read().splitlines()
    inside = False
    block_marker = None    # the marker that starts the current paragraph, list or table, if any
    for n, line in enumerate(lines):
        fence = re.match(r'^\s*```\s*(\S*)', line)
        if inside:
            inside = not fence
            continue
        if fence:
            inside = True
            block_marker = None
            if fence.group(1) not in COMMAND_LANGUAGES:
                continue
            before = next((lines[i] for i in range(n - 1, -1, -1) if lines[i].strip()), '')
            marker = MARKER.match(before)
            if not marker:
                problems.append('%s: a command block without <!-- run by: ... --> or <!-- needs: ... --> before it'
                                % at(root, path, n))
                continue
            problems.extend(check_marker(at(root, path, n), marker.group(1), targets))
            continue
        if not line.strip():
            block_marker = None
            continue
        marker = MARKER.match(line)
        if marker:
            block_marker = marker.group(1)
            if n + 1 < len(lines) and not lines[n + 1].lstrip().startswith('```'):
                problems.extend(check_marker(at(root, path, n), block_marker, targets))
            continue
        for span in SPAN.findall(line):
            command = inline_command(span)
            if command is None or block_marker is not None:
                continue
            words = command.split()
            if words[0] == 'make' and len(words) == 2 and words[1] in ci_targets:
                continue
            problems.append('%s: the command `%s` is in a paragraph, list or table that does not start with '
                            '<!-- run by: ... --> or <!-- needs: ... -->' % (at(root, path, n), command))
    return problems


def inline_commands(root, word):
    found = []
    for path in [os.path.join(root, 'README.md')] + sorted(glob.glob(os.path.join(root, 'docs', '*.md'))):
        for line in open(path).read().splitlines():
            found.extend(c for c in map(inline_command, SPAN.findall(line))
                         if c and c.split()[0] == word and '<' not in c and c not in found)
    return found


SELF_TEST = {
    'Makefile': 'test: copy\n\t$(MAKE) units\ncopy:\n\ttrue\nunits:\n\ttrue\nbench:\n\ttrue\n',
    'README.md': ('Run `make units` and `make copy`; `claudeops_clusters` is a variable, `make` a tool.\n\n'
                  'Then `make bench` and `ansible-playbook site.yml`.\n\n'
                  '<!-- needs: a quiet machine -->\n| a | `make bench` |\n| b | `kubectl apply -f x` |\n\n'
                  '<!-- run by: tests/nowhere -->\nUse `claude login`.\n\n'
                  '<!-- run by: Makefile -->\n```\nmake units\n```\n\n```\nmake bench\n```\n'),
}
SELF_TEST_EXPECTED = [
    'README.md:3: the command `make bench`',
    'README.md:3: the command `ansible-playbook site.yml`',
    'README.md:9: tests/nowhere does not exist',
    'README.md:17: a command block without',
]


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        for name, text in SELF_TEST.items():
            with open(os.path.join(root, name), 'w') as handle:
                handle.write(text)
        problems = check(root, os.path.join(root, 'README.md'), make_targets(root), run_by_make_test(root))
        inline = inline_commands(root, 'make')
    missing = [e for e in SELF_TEST_EXPECTED if not any(p.startswith(e) for p in problems)]
    if missing or len(problems) != len(SELF_TEST_EXPECTED) or inline != ['make units', 'make copy', 'make bench']:
        print('doc_commands self-test failed:\n  found %r\n  missing %r\n  inline %r' % (problems, missing, inline))
        return 1
    print('doc_commands self-test: %d known problems found, nothing else' % len(problems))
    return 0


def main():
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '.')
    if sys.argv[2:3] == ['--inline']:
        print('\n'.join(inline_commands(root, sys.argv[3])))
        return 0
    targets = make_targets(root)
    ci_targets = run_by_make_test(root)
    problems = []
    for path in [os.path.join(root, 'README.md')] + sorted(glob.glob(os.path.join(root, 'docs', '*.md'))):
        problems.extend(check(root, path, targets, ci_targets))
    for problem in problems:
        print(problem)
    print('doc commands: %d problem(s)' % len(problems))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
