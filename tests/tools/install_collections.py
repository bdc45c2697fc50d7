# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""install_collections.py REQUIREMENTS DEST CACHE: the collections of REQUIREMENTS (collections/requirements.yml) under
DEST (DEST/ansible_collections/NS/NAME), for make demo.

The way users get collections: ``ansible-galaxy collection install -r REQUIREMENTS -p DEST`` when a Galaxy server
answers; otherwise (no Galaxy, as on networks that reach only PyPI) from the files of the released ``ansible``
package, ANSIBLE_PACKAGE, downloaded once into CACHE. Each collection's version is checked against its requirement.
Nothing is done when DEST already holds every collection at a version that satisfies it.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import zipfile

import yaml

# The ansible release whose collections make demo installs without Galaxy (the one make test's tests run with).
ANSIBLE_PACKAGE = 'ansible==12.3.0'


def version_tuple(text):
    return tuple(int(part) for part in text.split('.')[:3] if part.isdigit())


def satisfies(version, spec):
    """Whether ``version`` meets a requirement such as ``>=2.7.0`` or ``*`` (comma-separated: all of them)."""
    for clause in (spec or '*').split(','):
        clause = clause.strip()
        if clause in ('', '*'):
            continue
        for op in ('>=', '<=', '==', '!=', '>', '<'):
            if clause.startswith(op):
                want, have = version_tuple(clause[len(op):]), version_tuple(version)
                if not {'>=': have >= want, '<=': have <= want, '==': have == want, '!=': have != want,
                        '>': have > want, '<': have < want}[op]:
                    return False
                break
        else:
            if version_tuple(clause) != version_tuple(version):
                return False
    return True


def installed(dest, name):
    manifest = os.path.join(dest, 'ansible_collections', *name.split('.'), 'MANIFEST.json')
    if not os.path.isfile(manifest):
        return None
    with open(manifest) as handle:
        return json.load(handle)['collection_info']['version']


def missing(dest, wanted):
    return [(n, v) for n, v in wanted if not (installed(dest, n) and satisfies(installed(dest, n), v))]


def from_galaxy(requirements, dest):
    # Only DEST counts as installed: not the collections an ansible package in this Python brings.
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=dest, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false')
    try:
        done = subprocess.run(['ansible-galaxy', 'collection', 'install', '-r', requirements, '-p', dest, '--timeout',
                               '20'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=180,
                              check=False, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 'ansible-galaxy could not run: %s' % exc
    return None if done.returncode == 0 else (done.stdout.strip().splitlines() or ['failed'])[-1][:300]


def from_package(dest, cache, wanted):
    wheels = os.path.join(cache, 'wheels')
    found = glob.glob(os.path.join(wheels, ANSIBLE_PACKAGE.replace('==', '-') + '-*.whl'))
    if not found:
        subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps',
                        '-d', wheels, ANSIBLE_PACKAGE], check=True)
        found = glob.glob(os.path.join(wheels, ANSIBLE_PACKAGE.replace('==', '-') + '-*.whl'))
    with zipfile.ZipFile(found[0]) as archive:
        names = archive.namelist()
        for name, _spec in wanted:
            prefix = 'ansible_collections/%s/' % name.replace('.', '/')
            target = os.path.join(dest, 'ansible_collections', *name.split('.'))
            tmp = target + '.tmp'
            shutil.rmtree(tmp, ignore_errors=True)
            for member in names:
                if member.startswith(prefix) and not member.endswith('/'):
                    path = os.path.join(tmp, member[len(prefix):])
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with archive.open(member) as src, open(path, 'wb') as out:
                        shutil.copyfileobj(src, out)
            if not os.path.isdir(tmp):
                sys.exit('install_collections: %s holds no %s' % (ANSIBLE_PACKAGE, name))
            shutil.rmtree(target, ignore_errors=True)
            os.rename(tmp, target)


def main():
    requirements, dest, cache = sys.argv[1:4]
    with open(requirements) as handle:
        wanted = [(c['name'], str(c.get('version') or '*')) for c in yaml.safe_load(handle)['collections']]
    todo = missing(dest, wanted)
    if not todo:
        return
    why = from_galaxy(requirements, dest)
    if why is None and missing(dest, wanted):
        why = 'it installed nothing that satisfies the requirements'
    if why is not None:
        print('install_collections: Galaxy did not answer (%s); taking %s from the files of %s'
              % (why, ', '.join(n for n, _v in todo), ANSIBLE_PACKAGE))
        from_package(dest, cache, todo)
    left = missing(dest, wanted)
    if left:
        lines = ['%s %s is not installed in %s (found %s)' % (n, v, dest, installed(dest, n)) for n, v in left]
        sys.exit('install_collections: ' + '; '.join(lines))
    print('install_collections: %s in %s' % (', '.join('%s %s' % (n, installed(dest, n)) for n, _v in wanted), dest))


if __name__ == '__main__':
    main()
