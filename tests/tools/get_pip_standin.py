# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for get-pip.py, used by ansible-test to bootstrap pip in its sanity virtualenvs.

ansible-test downloads get-pip.py unless ~/.ansible/test/cache/get_pip_<version>.py exists; the download host
is not reachable here. This script does what get-pip.py does (``pip install <arguments>``) with the pip wheel
bundled in the interpreter's ensurepip, so the requested pip itself still comes from the package index.
"""

from __future__ import annotations

import glob
import os
import sys


def main():
    import ensurepip

    wheels = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), '_bundled', 'pip-*.whl')))
    if not wheels:
        sys.exit('get-pip stand-in: this Python has no bundled pip wheel in ensurepip/_bundled')
    sys.path.insert(0, wheels[-1])
    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel

    # get-pip.py's own switches: it would otherwise also install setuptools and wheel; plain pip install does not.
    args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
    sys.exit(pip_main(['install'] + args))


if __name__ == '__main__':
    main()
