# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""#29 item 6: no function in plugins/ or extensions/ is over 50 lines or nested more than 3 levels deep.

A level is an ``if``, ``for``, ``while``, ``try`` or ``with`` block inside another (an ``elif`` stays at its ``if``'s
level); a function or class defined inside is measured on its own. Lines run from ``def`` to the last line of the
body, docstring included."""

from __future__ import annotations

import ast
import pathlib
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[2]
MAX_LINES = 50
MAX_DEPTH = 3
_BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith)
_OWN_SCOPE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _is_elif(parent, field, child):
    return isinstance(parent, ast.If) and field == 'orelse' and parent.orelse == [child] and isinstance(child, ast.If)


def depth(node, level=0):
    """How deep blocks nest inside ``node``."""
    deepest = level
    for field, value in ast.iter_fields(node):
        for child in value if isinstance(value, list) else [value]:
            if not isinstance(child, ast.AST) or isinstance(child, _OWN_SCOPE):
                continue
            deeper = isinstance(child, _BLOCKS) and not _is_elif(node, field, child)
            deepest = max(deepest, depth(child, level + 1 if deeper else level))
    return deepest


def too_big(source, name='<source>'):
    """``[(where, function, lines, depth)]`` for each function of ``source`` over the limits."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines, nested = node.end_lineno - node.lineno + 1, depth(node)
            if lines > MAX_LINES or nested > MAX_DEPTH:
                found.append(('%s:%d' % (name, node.lineno), node.name, lines, nested))
    return found


def test_no_function_is_too_long_or_nested_too_deep():
    files = sorted(list((ROOT / 'plugins').rglob('*.py')) + list((ROOT / 'extensions').rglob('*.py')))
    assert len(files) > 30
    found = [hit for path in files for hit in too_big(path.read_text(), str(path.relative_to(ROOT)))]
    assert found == [], '\n'.join('%s %s: %d lines, nested %d deep' % hit for hit in found)


def test_the_check_finds_what_it_guards_against():
    long_one = 'def f():\n' + ''.join('    x = %d\n' % n for n in range(50))
    assert [hit[1:] for hit in too_big(long_one)] == [('f', 51, 0)]
    deep = textwrap.dedent('''
        def g(items):
            for item in items:
                if item:
                    with open(item) as handle:
                        while handle:
                            pass
        ''')
    assert [hit[1:] for hit in too_big(deep)] == [('g', 6, 4)]
    # elif chains and functions defined inside do not count as nesting.
    flat = textwrap.dedent('''
        def h(a):
            if a == 1:
                return 1
            elif a == 2:
                return 2
            elif a == 3:
                def inner():
                    for x in a:
                        if x:
                            with x:
                                while x:
                                    pass
                return inner
        ''')
    assert [hit[1] for hit in too_big(flat)] == ['inner']
