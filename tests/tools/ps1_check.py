# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What can be checked of a PowerShell script without PowerShell: ps1_check.py FILE... | --self-test

ansible-test's pslint (PSScriptAnalyzer) needs pwsh, which cannot be installed here, so make sanity skips it by
name. This stands in for the part a tokenizer can see, with Pygments' PowerShell lexer:
  - no character the lexer cannot place (an error token);
  - (), {} and [] balanced outside strings and comments, closing in order;
  - ASCII only: Windows PowerShell 5.1 reads a file without a byte order mark in the ANSI code page, so any other
    character would change meaning there;
  - no here-string left open, no tab indentation mixed with spaces.
It is not a parser: a misspelt cmdlet or a wrong parameter passes. Exit 1 with each problem, 0 when none.
"""

from __future__ import annotations

import sys

from pygments.lexers import PowerShellLexer
from pygments.token import Comment, Error, String

PAIRS = {')': '(', '}': '{', ']': '['}


def problems_of(name, text):
    problems = []
    try:
        text.encode('ascii')
    except UnicodeEncodeError as err:
        problems.append('%s: a non-ASCII character at offset %d (PowerShell 5.1 reads it in the ANSI code page)'
                        % (name, err.start))
    stack = []
    line = 1
    for token, value in PowerShellLexer().get_tokens(text):
        if token in Error:
            problems.append('%s:%d: the tokenizer cannot place %r' % (name, line, value))
        elif token not in String and token not in Comment:
            for char in value:
                if char in '({[':
                    stack.append((char, line))
                elif char in PAIRS:
                    if not stack or stack[-1][0] != PAIRS[char]:
                        problems.append('%s:%d: %r closes nothing open' % (name, line, char))
                    else:
                        stack.pop()
        line += value.count('\n')
    for char, opened in stack:
        problems.append('%s:%d: %r is never closed' % (name, opened, char))
    indents = {raw[:len(raw) - len(raw.lstrip())] for raw in text.splitlines() if raw.strip()}
    if any('\t' in i for i in indents) and any(' ' in i for i in indents):
        problems.append('%s: tabs and spaces both indent lines' % name)
    return problems


def self_test():
    good = '$a = @{ x = "(" }\nif ($a) { Write-Output "ok [" }  # )\n'
    bad = {'unbalanced': 'if ($a { Write-Output 1 }\n', 'non-ascii': 'Write-Output "caf\u00e9"\n',
           'unclosed': 'function f {\n  Write-Output 1\n', 'misordered': '$x = @( 1 }\n'}
    failures = ['a good script was refused: %s' % problems_of('good', good)] if problems_of('good', good) else []
    failures += ['%s was not found' % name for name, text in bad.items() if not problems_of(name, text)]
    return failures


def main(argv):
    if argv == ['--self-test']:
        failures = self_test()
        print('ps1_check self-test: %s' % ('; '.join(failures) or 'every planted problem was found'))
        return 1 if failures else 0
    if not argv:
        print('ps1_check: no file given: nothing checked')
        return 1
    problems = []
    for path in argv:
        with open(path, encoding='utf-8', errors='surrogateescape') as handle:
            problems += problems_of(path, handle.read())
    for problem in problems:
        print(problem)
    print('ps1_check: %d file(s), %d problem(s)' % (len(argv), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
