# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""rows.py LOG REGEX: succeed when one row of a table the playbooks print matches REGEX (extended syntax).

Tables are printed as lists of strings (one per line), a header, a rule of dashes that marks the columns, and the
rows; a long cell wraps onto continuation lines whose first column is blank. Each row is rebuilt cell by cell, the
cells joined by one space. On no match, print the rows that were found.
"""

from __future__ import annotations

import json
import re
import sys


def _lines(text):
    """Every quoted string of the log that stands on a line of its own: the lines of printed tables."""
    for raw in text.splitlines():
        item = raw.strip().rstrip(',')
        if item.startswith('"') and item.endswith('"'):
            try:
                line = json.loads(item)
            except ValueError:
                continue
            if isinstance(line, str):
                yield line


def rows(text):
    """Each table row with its cells rebuilt from the continuation lines, cells joined by one space."""
    out = []
    spans = None
    current = None
    for line in _lines(text):
        if re.match(r'^-+( +-+)*$', line):  # the rule under a header: it gives the columns
            spans = [(m.start(), m.end()) for m in re.finditer(r'-+', line)]
            current = None
            continue
        if spans is None:
            continue
        cells = [line[start:(spans[i + 1][0] if i + 1 < len(spans) else len(line))].strip()
                 for i, (start, _end) in enumerate(spans)]
        if line[:spans[0][1]].strip() == '' and current is not None:  # a continuation: first column blank
            current = [(old + ' ' + new).strip() for old, new in zip(current, cells)]
            out[-1] = current
        else:
            current = cells
            out.append(current)
    return [re.sub(r'\s+', ' ', ' '.join(cell for cell in row if cell)) for row in out]


def main():
    path, pattern = sys.argv[1], sys.argv[2]
    found = rows(open(path, encoding='utf-8', errors='replace').read())
    if any(re.search(pattern, row) for row in found):
        return 0
    sys.stderr.write('no row of %s matches %s; the rows:\n%s\n' % (path, pattern, '\n'.join(found)))
    return 1


if __name__ == '__main__':
    sys.exit(main())
