# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""make corners: the unit tests, the publish integration target, the secret stores target, the alert receivers target
and the role reuse target on the oldest and the newest releases we declare.

The corners are read from what we declare, so they move when the declarations do:

- oldest: ansible-core and kubernetes at the floors of requirements.txt, the store clients at the floors of
  requirements-stores.txt, ansible.windows at the floor of galaxy.yml, on the oldest Python here that the floor core
  runs on (3.11);
- newest: the newest ansible-core that requirements.txt allows, the newest kubernetes and store clients, the newest
  ansible.windows (the one the ansible package of make test brings), on the newest Python that core needs (3.12 or
  later, from pyenv).

Both also get moto's server, which the secret stores target runs AWS Secrets Manager on.

Each corner is a virtualenv under .build/corners/NAME. Collections the tests need besides ours (kubernetes.core, and
ansible.windows at its corner) are put on its sys.path through a .pth file. ansible.windows releases come from the
ansible package on PyPI (there is no Galaxy server here), so the floor must be a release some ansible package ships:
ANSIBLE_WITH_WINDOWS names it.

    python tests/tools/corners.py setup NAME...        make or refresh .build/corners/NAME
    python tests/tools/corners.py jobs NAME...         print the corners' jobs for lanes.py --jobs (NAME<TAB>COMMAND)
    python tests/tools/corners.py job NAME WHAT COPY   run one job in the test copy COPY: units, or one of TARGETS

make corners runs the jobs of both corners in lanes side by side (lanes.py); make test runs them in the same lanes as
the integration targets, molecule, the build and the demo test.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lanes  # noqa: E402  (tests/tools/lanes.py: the one ansible-test integration command line)

# The integration targets each corner runs: publishing, the stores, the alerts to real receivers (make receivers
# installs them), and the roles in a team's own playbook.
TARGETS = ('publish_clusters', 'secret_stores', 'alert_receivers', 'role_reuse')
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, '.build', 'corners')
MAIN_SITE = subprocess.check_output([sys.executable, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
                                    text=True).strip()
# The ansible release on PyPI that ships each ansible.windows floor we have declared (ansible 9.0.1 was the first
# with a 2.x ansible.windows; no ansible release ships 2.0.0; ansible 11.2.0 ships 2.7.0, read from its wheel's
# ansible_collections/ansible/windows/MANIFEST.json, which added win_user_profile).
ANSIBLE_WITH_WINDOWS = {'2.1.0': 'ansible==9.0.1', '2.7.0': 'ansible==11.2.0'}
# The Windows connection plugins' clients, at the floors of requirements.txt or the newest: the units run the real
# winrm and psrp plugins of each corner's ansible-core through them (test_connection_logging.py).
WINDOWS_CLIENTS = ['pywinrm', 'pypsrp']
TEST_PACKAGES = ['pytest', 'pytest-mock', 'pytest-xdist', 'mock', 'jmespath', 'moto[server]']


def requirement(name, path='requirements.txt'):
    with open(os.path.join(ROOT, path)) as handle:
        for line in handle:
            line = line.split('#', 1)[0].strip()
            match = re.match(r'^%s\s*([<>=!~].*)$' % re.escape(name), line)
            if match:
                return match.group(1).replace(' ', '')
    sys.exit('corners: %s declares no %s' % (path, name))


def store_clients(oldest):
    """The store clients of requirements-stores.txt, at their floors or unpinned (the newest)."""
    names = []
    with open(os.path.join(ROOT, 'requirements-stores.txt')) as handle:
        for line in handle:
            line = line.split('#', 1)[0].strip()
            if line:
                names.append(re.match(r'^[A-Za-z0-9_.-]+', line).group(0))
    return [n + '==' + floor(requirement(n, 'requirements-stores.txt')) if oldest else n for n in names]


def floor(spec):
    match = re.search(r'>=\s*([0-9][0-9.]*)', spec)
    if not match:
        sys.exit('corners: %s has no floor (>=)' % spec)
    return match.group(1)


def windows_floor():
    with open(os.path.join(ROOT, 'galaxy.yml')) as handle:
        match = re.search(r'ansible\.windows:\s*["\']?>=\s*([0-9.]+)', handle.read())
    if not match:
        sys.exit('corners: galaxy.yml declares no ansible.windows floor')
    return match.group(1)


def python(minimum):
    """The interpreter for a corner: python3 when it is new enough, else the newest pyenv one of at least
    ``minimum``."""
    pyenv = glob.glob(os.path.expanduser('~/.pyenv/versions/3.*/bin/python3'))
    candidates = [shutil.which('python3')] + sorted(pyenv, key=lambda p: [int(x) for x in re.findall(r'\d+', p)[-3:]])
    found = []
    for path in candidates:
        if not path:
            continue
        try:
            version = subprocess.check_output([path, '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
                                              text=True, stderr=subprocess.DEVNULL).strip()
        except (OSError, subprocess.CalledProcessError):
            continue  # a pyenv shim for a version that is not installed
        if tuple(int(x) for x in version.split('.')) >= minimum:
            found.append((version, path))
    if not found:
        sys.exit('corners: no Python %d.%d or later found (pyenv install one)' % minimum)
    return found[0] if minimum <= (3, 11) else found[-1]


def corner(name):
    core = requirement('ansible-core')
    if name == 'oldest':
        return {'python': python((3, 11)), 'packages': ['ansible-core==' + floor(core),
                                                        'kubernetes==' + floor(requirement('kubernetes'))]
                + [n + '==' + floor(requirement(n)) for n in WINDOWS_CLIENTS]
                + store_clients(True), 'windows': windows_floor()}
    if name == 'newest':
        return {'python': python((3, 12)), 'packages': ['ansible-core' + core, 'kubernetes'] + WINDOWS_CLIENTS
                + store_clients(False), 'windows': None}
    sys.exit('corners: unknown corner %s (oldest or newest)' % name)


def run(cmd, **kwargs):
    print('+ ' + ' '.join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def link_collection(extra, namespace, name, source):
    target = os.path.join(extra, 'ansible_collections', namespace, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.islink(target) or os.path.exists(target):
        if os.path.islink(target):
            os.unlink(target)
        else:
            shutil.rmtree(target)
    os.symlink(source, target)


def windows_collection(version):
    """ansible.windows ``version``, unpacked from the ansible release that ships it, cached under .build."""
    dest = os.path.join(BUILD, 'cache', 'ansible.windows-%s' % version)
    if os.path.isfile(os.path.join(dest, 'MANIFEST.json')):
        return dest
    if version not in ANSIBLE_WITH_WINDOWS:
        sys.exit('corners: no ansible package on PyPI is known to ship ansible.windows %s; add it to '
                 'ANSIBLE_WITH_WINDOWS or raise the floor in galaxy.yml' % version)
    wheels = os.path.join(BUILD, 'cache', 'wheels')
    run([sys.executable, '-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '-d', wheels,
         ANSIBLE_WITH_WINDOWS[version]])
    wheel = glob.glob(os.path.join(wheels, ANSIBLE_WITH_WINDOWS[version].replace('==', '-') + '-*.whl'))[0]
    prefix = 'ansible_collections/ansible/windows/'
    tmp = dest + '.tmp'
    shutil.rmtree(tmp, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.startswith(prefix) and not member.endswith('/'):
                path = os.path.join(tmp, member[len(prefix):])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with archive.open(member) as src, open(path, 'wb') as out:
                    shutil.copyfileobj(src, out)
    with open(os.path.join(tmp, 'MANIFEST.json')) as handle:
        got = json.load(handle)['collection_info']['version']
    if got != version:
        sys.exit('corners: %s ships ansible.windows %s, not %s' % (ANSIBLE_WITH_WINDOWS[version], got, version))
    os.rename(tmp, dest)
    return dest


def setup(name):
    spec = corner(name)
    version, interpreter = spec['python']
    venv = os.path.join(BUILD, name)
    stamp = os.path.join(venv, '.claudeops-corner')
    wanted = json.dumps([version] + spec['packages'] + TEST_PACKAGES + [spec['windows']])
    if not (os.path.exists(stamp) and open(stamp).read() == wanted):
        shutil.rmtree(venv, ignore_errors=True)
        run([interpreter, '-m', 'venv', venv])
        python = os.path.join(venv, 'bin', 'python')
        if os.environ.get('CLAUDEOPS_UV'):  # make sets it: uv installs the same pins in seconds (Makefile)
            run([os.environ['CLAUDEOPS_UV'], 'pip', 'install', '--quiet', '--python', python]
                + spec['packages'] + TEST_PACKAGES)
        else:
            run([python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check']
                + spec['packages'] + TEST_PACKAGES)
    extra = os.path.join(venv, 'collections')
    link_collection(extra, 'kubernetes', 'core', os.path.join(MAIN_SITE, 'ansible_collections', 'kubernetes', 'core'))
    windows = windows_collection(spec['windows']) if spec['windows'] else os.path.join(
        MAIN_SITE, 'ansible_collections', 'ansible', 'windows')
    link_collection(extra, 'ansible', 'windows', windows)
    site = subprocess.check_output([os.path.join(venv, 'bin', 'python'), '-c',
                                    'import sysconfig; print(sysconfig.get_paths()["purelib"])'], text=True).strip()
    with open(os.path.join(site, 'claudeops_corner_collections.pth'), 'w') as handle:
        handle.write(extra + '\n')
    with open(stamp, 'w') as handle:
        handle.write(wanted)
    report = subprocess.check_output([os.path.join(venv, 'bin', 'python'), '-c', (
        'import ansible.release, kubernetes, json, sys; from importlib.metadata import version; '
        'print("python %d.%d, ansible-core %s, kubernetes %s, %s" % (sys.version_info[0], sys.version_info[1], '
        'ansible.release.__version__, kubernetes.__version__, ", ".join("%s %s" % (n, version(n)) for n in '
        '("infisicalsdk", "hvac", "boto3", "onepasswordconnectsdk"))))')], text=True).strip()
    with open(os.path.join(windows, 'MANIFEST.json')) as handle:
        report += ', ansible.windows %s' % json.load(handle)['collection_info']['version']
    print('corner %s: %s' % (name, report), flush=True)
    return version


def corner_env(name):
    venv = os.path.join(BUILD, name)
    if not os.path.exists(os.path.join(venv, '.claudeops-corner')):
        sys.exit('corners: .build/corners/%s is not set up (python tests/tools/corners.py setup %s)' % (name, name))
    env = dict(os.environ, PATH=os.path.join(venv, 'bin') + os.pathsep + os.environ['PATH'])
    env.pop('VIRTUAL_ENV', None)
    return env


def corner_python(name):
    """The Python version of a corner that is set up: the first item of its stamp (setup wrote it), so a job does not
    ask every pyenv interpreter its version again."""
    with open(os.path.join(BUILD, name, '.claudeops-corner')) as handle:
        return json.load(handle)[0]


def run_job(name, what, copy):
    """One job of a corner in the test copy ``copy``: its units, or one of TARGETS. strict_run.sh fails a run that
    skipped or collected nothing (ansible-test only warns)."""
    env = corner_env(name)
    version = corner_python(name)
    strict = os.path.join(ROOT, 'tests', 'tools', 'strict_run.sh')
    log = os.path.join(BUILD, name + '-logs', what + '.log')
    if what == 'units':
        run(['bash', strict, '--passed', log, '--', 'ansible-test', 'units', '--python', version, '--color', 'no'],
            cwd=copy, env=env)
    elif what in TARGETS:
        run(lanes.integration_argv(what, version, log), cwd=copy, env=env)
    else:
        sys.exit('corners: unknown job %s (units or one of %s)' % (what, ', '.join(TARGETS)))
    print('corner %s: %s passed' % (name, what), flush=True)


def jobs(names):
    here = os.path.abspath(__file__)
    for name in names:
        corner(name)  # an unknown name fails here
        for what in ('units',) + TARGETS:
            print('corner/%s/%s\t%s %s job %s %s "$LANE_COPY"' % (name, what, sys.executable, here, name, what))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == 'setup':
        for name in sys.argv[2:]:
            setup(name)
    elif len(sys.argv) >= 3 and sys.argv[1] == 'jobs':
        jobs(sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == 'job':
        run_job(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
