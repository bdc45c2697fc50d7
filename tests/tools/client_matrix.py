# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""make client-matrix: one virtualenv per release line of the ``kubernetes`` client that requirements.txt declares.

    python tests/tools/client_matrix.py lines           print the releases: the newest of each major from the floor
    python tests/tools/client_matrix.py setup OUT BIN   make OUT/VERSION (a virtualenv holding kubernetes==VERSION),
                                                        and BIN/claudeops-client-matrix, which prints one line per
                                                        release: VERSION and its python

requirements.txt says ``kubernetes>=FLOOR,<CEILING``: every major from the floor's up to the ceiling (a major, not
included) is a line we declare, and the AWX execution environment (execution-environment.yml installs
requirements.txt) takes a client from that range only. Each line is tried at its newest release (the floor itself
when it is the newest of its major, and it is: 24.2.0). A major released beyond the ceiling is not installed
anywhere until it is tried here and the ceiling raised; ``lines`` names it on stderr. The publish_apiserver target
runs claude_secret with each of these pythons against a real kube-apiserver. The client releases between the oldest
and the newest we tried once broke every update on a real server (25.3.0 to 36.0.x): two corners are not enough.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def declared(text=None):
    """(FLOOR, CEILING MAJOR) from requirements.txt's ``kubernetes>=FLOOR,<CEILING``."""
    if text is None:
        with open(os.path.join(ROOT, 'requirements.txt')) as handle:
            text = handle.read()
    for line in text.splitlines():
        match = re.match(r'^kubernetes\s*>=\s*([0-9.]+)\s*,\s*<\s*([0-9]+)\s*(#.*)?$', line.strip())
        if match:
            return match.group(1), int(match.group(2))
    sys.exit('client_matrix: requirements.txt declares no kubernetes>=FLOOR,<CEILING (a major): without a ceiling the '
             'execution environment installs releases nobody tried')


def key(version):
    return tuple(int(x) for x in version.split('.'))


def lines(released=None, text=None):
    """The newest release of each major from the floor's to below the ceiling, from PyPI's list of releases (or
    ``released``)."""
    if released is None:
        with urllib.request.urlopen('https://pypi.org/pypi/kubernetes/json', timeout=60) as resp:
            doc = json.load(resp)
        released = [v for v, files in doc['releases'].items() if files and not any(f.get('yanked') for f in files)]
    low, ceiling = declared(text)
    finals = [v for v in released if re.match(r'^\d+\.\d+\.\d+$', v) and key(v) >= key(low)]
    beyond = sorted({key(v)[0] for v in finals if key(v)[0] >= ceiling})
    if beyond and text is None:
        sys.stderr.write('client_matrix: kubernetes %s released, beyond the ceiling <%d: not tried, not installed\n'
                         % (', '.join(str(m) for m in beyond), ceiling))
    finals = [v for v in finals if key(v)[0] < ceiling]
    newest = {}
    for version in finals:
        major = key(version)[0]
        if major not in newest or key(version) > key(newest[major]):
            newest[major] = version
    return [newest[m] for m in sorted(newest)]


def make_venv(out, version, uv):
    """OUT/VERSION, a virtualenv holding kubernetes==VERSION (kept while its stamp says VERSION); its python."""
    venv = os.path.join(out, version)
    python = os.path.join(venv, 'bin', 'python')
    stamp = os.path.join(venv, '.claudeops-client')
    if os.path.exists(stamp) and open(stamp).read() == version:
        return python
    shutil.rmtree(venv, ignore_errors=True)
    if uv:  # make sets it (Makefile): uv makes the virtualenv (no pip: the module needs none) and installs in
        # seconds, from its cache after the first time
        subprocess.run([uv, 'venv', '--quiet', '--python', sys.executable, venv], check=True)
        subprocess.run([uv, 'pip', 'install', '--quiet', '--python', python, 'kubernetes==' + version], check=True)
    else:
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        subprocess.run([python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check',
                        'kubernetes==' + version], check=True)
    with open(stamp, 'w') as handle:
        handle.write(version)
    return python


def setup(out, bindir):
    """Every line's virtualenv, four at a time (python -m venv and one install after another took 134 s for 14
    lines here; uv venv side by side takes a fraction of that), then the wrapper that lists them."""
    versions = lines()
    os.makedirs(out, exist_ok=True)
    uv = os.environ.get('CLAUDEOPS_UV')
    with ThreadPoolExecutor(max_workers=4) as pool:
        pythons = list(pool.map(lambda v: make_venv(out, v, uv), versions))
    rows = ['%s %s' % pair for pair in zip(versions, pythons)]
    wrapper = os.path.join(bindir, 'claudeops-client-matrix')
    with open(wrapper + '.tmp', 'w') as handle:
        handle.write('#!/bin/sh\n# make client-matrix wrote this: each kubernetes release line and its python\n'
                     "cat <<'EOF'\n%s\nEOF\n" % '\n'.join(rows))
    os.chmod(wrapper + '.tmp', 0o755)
    os.replace(wrapper + '.tmp', wrapper)
    print('client-matrix: %d release lines of the kubernetes client: %s' % (len(versions), ', '.join(versions)))


def main():
    if sys.argv[1:2] == ['lines']:
        print('\n'.join(lines()))
    elif len(sys.argv) == 4 and sys.argv[1] == 'setup':
        setup(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ['--self-test']:
        got = lines(['23.6.0', '24.2.0', '25.0.0', '25.3.0', '26.1.0b1', '36.0.0', '36.0.3', '37.0.2', '37.0.10',
                     '38.0.0'], 'kubernetes>=24.2.0,<38  # the tested range\n')
        assert got == ['24.2.0', '25.3.0', '36.0.3', '37.0.10'], got
        try:
            declared('kubernetes>=24.2.0\n')
        except SystemExit as exc:
            assert 'no kubernetes>=FLOOR,<CEILING' in str(exc), exc
        else:
            raise AssertionError('a requirement without a ceiling was accepted')
        print('client_matrix self-test: the newest of each major from the floor to below the ceiling, no pre-release, '
              'and a requirement without a ceiling refused')
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
