# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Tables for people: plain text that wraps long cells (playbook summaries, AWX job output) and Markdown."""

from __future__ import annotations

# Widest a table column grows; longer cells wrap onto more lines of the same row, so nothing is cut off.
TABLE_COLUMN_WIDTH = 60


def format_table(rows, columns, max_width=TABLE_COLUMN_WIDTH):
    """Plain-text table with a header, for summaries printed by playbooks. A cell longer than ``max_width`` wraps
    at spaces onto continuation lines (the other columns blank there), so a long reason or fix stays whole and the
    table stays readable in AWX's job output. ``columns``: ``[(key, title)]``."""
    cells = [[wrap(str(r.get(key) if r.get(key) is not None else '-'), max_width) for key, _t in columns]
             for r in rows]
    widths = [max([len(title)] + [len(line) for row in cells for line in row[i]]) for i, (_k, title) in
              enumerate(columns)]
    lines = ['  '.join(title.ljust(w) for (_k, title), w in zip(columns, widths)).rstrip()]
    lines.append('  '.join('-' * w for w in widths))
    for row in cells:
        for n in range(max(len(cell) for cell in row)):
            lines.append('  '.join((cell[n] if n < len(cell) else '').ljust(w) for cell, w in zip(row, widths)).rstrip())
    return '\n'.join(lines)


def _cut(word, width):
    """A word longer than a line (a path, a URL) as pieces of ``width``: all full pieces, then the rest."""
    pieces = [word[i:i + width] for i in range(0, len(word), width)] or ['']
    return pieces[:-1], pieces[-1]


def wrap(text, width):
    """``text`` as lines of at most ``width`` characters, broken at spaces where it can be."""
    out = []
    for paragraph in text.splitlines() or ['']:
        line = ''
        for word in paragraph.split(' '):
            if len(word) > width:
                full, word = _cut(word, width)
                out.extend(([line] if line else []) + full)
                line = ''
            if line and len(line) + 1 + len(word) > width:
                out.append(line)
                line = word
            else:
                line = (line + ' ' + word) if line else word
        out.append(line)
    return out


def markdown_cell(value):
    """A Markdown table cell: one line, its pipes escaped (a name may hold either)."""
    return '-' if value is None or value == '' else ' '.join(str(value).split()).replace('|', '\\|')


def markdown_table(rows, columns):
    """A Markdown table of ``rows`` (dicts) with ``columns`` ``[(key, title)]``, as lines."""
    lines = ['| %s |' % ' | '.join(title for _key, title in columns),
             '|%s|' % '|'.join(' --- ' for _c in columns)]
    for row in rows:
        lines.append('| %s |' % ' | '.join(markdown_cell(row.get(key)) for key, _t in columns))
    return lines
