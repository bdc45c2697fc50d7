# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Controller side of claudeops.credentials.claude_session_facts.

Dispatches on the connection's shell: a Windows shell (powershell or cmd, over winrm, psrp or ssh) is read with
ansible.windows.{win_stat,slurp} and, for another person's profile, win_user_profile; every other target with
ansible.builtin.{setup,stat,slurp}, and on a Mac the login Keychain through ansible.builtin.command running
``security`` (module_utils._keychain). All interpretation happens here on the controller, in module_utils._session.

Windows paths are given to the modules as ``%USERPROFILE%\\.claude\\...``: both expand environment variables on the
target (Ansible.Basic's and the legacy util's ``path`` type), as the account the task runs as, become included. So
the common case costs two calls (win_stat, slurp) and no cached fact of another account can choose the profile.
Another person's profile is the one Windows records (win_user_profile, run in check mode so it never creates one).
The read runs with no_log on the play context, so no connection plugin prints the module's output (the file's
base64) at any verbosity.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import ntpath
import posixpath
import re
import time

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.release import __version__ as ANSIBLE_CORE_VERSION
from ansible.utils.display import Display

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import (
    CREDENTIALS_FILE,
    SESSION_MAX_LIFETIME,
    Problem,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._keychain import (
    handoff_bytes,
    label,
    password_bytes,
    refusal,
    service_name,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._session import (
    MAX_FILE_SIZE,
    evaluate_session,
    suggest_fix,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._time import parse_duration

ARGUMENT_SPEC = dict(
    path=dict(type='str'),
    user=dict(type='str'),
    files=dict(type='list', elements='str', default=[CREDENTIALS_FILE]),
    expiry_warning=dict(type='raw', default='1h'),
    session_max_lifetime=dict(type='raw', default=SESSION_MAX_LIFETIME),
    content=dict(type='bool', default=False),
    keychain_service=dict(type='str'),
    handoff=dict(type='str'),
)

_MODULES = {
    'windows': {'stat': 'ansible.windows.win_stat', 'slurp': 'ansible.windows.slurp',
                'profile': 'ansible.windows.win_user_profile', 'registry': 'ansible.windows.win_reg_stat'},
    'posix': {'setup': 'ansible.builtin.setup', 'stat': 'ansible.builtin.stat', 'slurp': 'ansible.builtin.slurp',
              'command': 'ansible.builtin.command'},
}
# Expanded by win_stat and slurp on the target, for the account the task runs as.
WINDOWS_DEFAULT = '%USERPROFILE%\\.claude'
WINDOWS_CONFIG_DIR = '%CLAUDE_CONFIG_DIR%'
_BAD_NAME_CHARS = set('/\\*?[]<>|":')
# A Windows account as win_user_profile resolves it: name, DOMAIN\name, name@domain (UPN) or a SID.
_WINDOWS_ACCOUNT = re.compile(r'([^\\/:*?"<>|\x00-\x1f]+\\)?[^\\/:*?"<>|\x00-\x1f]+')


def censors_action_results(version):
    """Whether this ansible-core honours ``_ansible_no_log`` set by an action plugin: 2.16.13 and later 2.16, 2.17.6
    and later; the releases before overwrite it with the task's no_log and print the result at -v."""
    parts = []
    for piece in version.split('.')[:3]:
        digits = ''.join(c for c in piece if c.isdigit()) or '0'
        parts.append(int(digits))
    major, minor, patch = (parts + [0, 0, 0])[:3]
    if (major, minor) == (2, 16):
        return patch >= 13
    if (major, minor) == (2, 17):
        return patch >= 6
    return (major, minor) > (2, 17)


def connection_censors(connection):
    """Whether the connection plugin in use leaves a module's output out of its -vvvvv log under no_log. winrm and psrp
    do since ansible/ansible#86919 (backported to 2.18 to 2.21 in May 2026 and to 2.16 in July 2026); before it they
    print it whatever no_log says. Read from the plugin's own source: a release number cannot tell a backport."""
    if getattr(connection, 'transport', None) not in ('winrm', 'psrp'):
        return True  # ssh censors at -vvv in every release we declare; the others do not log a module's output
    try:
        return 'censored due to no log' in inspect.getsource(type(connection))
    except (OSError, TypeError):
        return False


def _plain_name(name):
    """A file or account name with no path, wildcard or quoting characters in it."""
    return bool(name and name.strip()) and name not in ('.', '..') and not set(name) & _BAD_NAME_CHARS


# What .NET says (through slurp's unhandled-exception message, "Unhandled exception while executing module: ...")
# when another process holds the file open for writing, and when the account may not read it.
_BEING_WRITTEN = 'being used by another process'
_ACCESS_DENIED = 'Access to the path'


def _unc(path):
    """A Windows path on a network share: \\\\server\\share, or UNC\\server\\share as LinkUtil leaves a link's."""
    lowered = path.replace('/', '\\').lower()
    return lowered.startswith('\\\\') or lowered.startswith('unc\\') or lowered.startswith('\\??\\unc\\')


def _module_msg(res, default=''):
    """A module result's message on one line, at most 300 characters."""
    return ' '.join(str(res.get('msg') or default).split())[:300]


def _decode_handoff(observations, contents):
    """The hand-off file holds what security printed: hex when the session has a byte that is not printable."""
    for obs in observations:
        if obs['name'] == CREDENTIALS_FILE and obs.get('data') is not None:
            obs['data'] = handoff_bytes(obs['data'])
            contents[CREDENTIALS_FILE] = base64.b64encode(obs['data']).decode('ascii')


def _absent(name, path):
    return {'name': name, 'path': path, 'exists': False, 'isdir': False, 'size': 0, 'mtime': None, 'data': None,
            'read_error': None, 'resolved': None}


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        args, warning, max_lifetime = self._checked_args()
        user = args['user']
        self._modules = _MODULES['windows' if self._windows else 'posix']
        self._pathmod = ntpath if self._windows else posixpath
        self._calls = 0
        self._task_vars = task_vars
        self._sid = None
        self._env, self._keychain, self._source = None, None, 'file'
        directory, profile, no_profile, observations = self._observe(args, user)
        contents = {}
        if not self._windows:
            observations = self._from_keychain(args, user, observations, contents)
        directory, directory_exists, absent_reason = self._absence(directory, profile, user, no_profile, observations)
        for obs in observations:
            if obs['exists'] and not obs['isdir'] and not obs.get('skip_read') and obs['size'] <= MAX_FILE_SIZE:
                self._read(obs, contents)
        if self._source == 'handoff':
            _decode_handoff(observations, contents)

        facts = evaluate_session(directory, observations, time.time(), warning,
                                 directory_exists=directory_exists, absent_reason=absent_reason,
                                 max_lifetime=max_lifetime)
        facts.update(source=self._source, keychain=self._keychain)
        host = task_vars.get('inventory_hostname', 'this host')
        detail = (': ' + ' '.join(facts['problems'])) if facts['problems'] else ''
        result.update(changed=False, remote_calls=self._calls, ansible_facts={'claude_session': facts},
                      summary='%s: session at %s is %s%s' % (host, facts['path'], facts['status'], detail),
                      fix=suggest_fix(facts, host, user or task_vars.get('ansible_user')))
        if args['content']:
            result['content'] = contents
            # The content is the credentials: censor this whole result, whatever the task says.
            result['_ansible_no_log'] = True
        return result

    def _checked_args(self):
        """(args, expiry_warning and session_max_lifetime in seconds), every argument checked; sets ``_windows``."""
        validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        del validation
        try:
            warning = parse_duration(args['expiry_warning'], 'expiry_warning')
            max_lifetime = parse_duration(args['session_max_lifetime'], 'session_max_lifetime')
        except InputError as exc:
            raise AnsibleActionFail(str(exc))
        for name in args['files']:
            if not _plain_name(name):
                raise AnsibleActionFail(
                    "files: '%s' is not a plain file name. List names inside the session directory, such as "
                    "'.credentials.json'; set the directory with the path option." % name)
        if args['content'] and not self._task.no_log and not censors_action_results(ANSIBLE_CORE_VERSION):
            raise AnsibleActionFail(
                'content: true returns the credentials, and ansible-core %s would print them at -v: it ignores the '
                'censoring this plugin asks for (fixed in 2.16.13 and 2.17.6). Set no_log: true on this task, or '
                'upgrade ansible-core.' % ANSIBLE_CORE_VERSION)
        user = args['user']
        # Any Windows shell (powershell, cmd) over any connection (winrm, psrp, ssh) takes the Windows path.
        self._windows = bool(getattr(self._connection._shell, '_IS_WINDOWS', False))
        if user is not None and not (_WINDOWS_ACCOUNT.fullmatch(user) if self._windows else _plain_name(user)):
            raise AnsibleActionFail("user: '%s' is not an account name. Give the account of the person who ran "
                                    "`claude login`: %s." % (user, "alice, CORP\\alice, alice@corp.example.com or a "
                                                             "SID" if self._windows else "their login name, such as "
                                                             "'alice'"))

        if Display().verbosity >= 5 and not connection_censors(self._connection):
            raise AnsibleActionFail(
                'ansible-core %s: its %s connection plugin prints a module\'s output at -vvvvv even under no_log (fixed '
                'by ansible/ansible#86919 in the releases of May 2026 and later), so reading the session would print '
                'it. Run at -vvvv or lower, or upgrade ansible-core.' % (ANSIBLE_CORE_VERSION, self._connection.transport))
        return args, warning, max_lifetime

    def _observe(self, args, user):
        """(session directory, profile, why there is no profile, observations of the files): the default directory,
        else the CLAUDE_CONFIG_DIR Claude Code uses there."""
        directory, profile, no_profile = self._resolve_directory(args['path'], user)
        if no_profile:
            observations = [_absent(name, self._join(directory, name)) for name in args['files']]
        else:
            observations = [self._stat(name, self._join(directory, name)) for name in args['files']]
        if self._windows and directory == WINDOWS_DEFAULT and not any(o['exists'] for o in observations):
            # Claude Code keeps the session in CLAUDE_CONFIG_DIR when it is set; an unset %VAR% stays as it is and
            # names nothing. Asked only when the default holds nothing, so the common case stays at two calls.
            moved = self._holding(WINDOWS_CONFIG_DIR, args['files'])
            if moved:
                observations = moved
                directory = next(ntpath.dirname(o['resolved']) for o in moved if o['resolved'])
        elif self._windows and profile and not args['path'] and not any(o['exists'] for o in observations):
            # The person's own CLAUDE_CONFIG_DIR, from their registry hive (loaded while they are logged on).
            moved_dir = self._config_dir_of(profile)
            moved = self._holding(moved_dir, args['files']) if moved_dir else None
            if moved:
                observations, directory = moved, moved_dir
        if directory[:1] in '~%':
            # POSIX `~user/.claude` and Windows `%USERPROFILE%\\.claude` are expanded on the target: take the
            # expansion from a file it found.
            directory = next((self._pathmod.dirname(o['resolved']) for o in observations if o['resolved']), directory)
        return directory, profile, no_profile, observations

    def _absence(self, directory, profile, user, no_profile, observations):
        """(directory, whether it exists, why the session is absent or None), asked only when a file is missing."""
        if no_profile:
            return directory, False, no_profile
        if all(obs['exists'] or obs.get('absent') for obs in observations):
            return directory, True, None
        # Only on the failure path: tell "no session here" apart from "no such profile".
        dir_stat = self._stat_raw(directory, follow=True, directory=True)
        if dir_stat.get('exists') and dir_stat.get('isdir'):
            return (dir_stat.get('path') or directory) if directory[:1] in '~%' else directory, True, None
        return directory, False, self._why_absent(directory, profile, user, dir_stat)

    def _why_absent(self, directory, profile, user, dir_stat):
        """Why the session directory is not there: no such directory, no profile, or a profile we may not see."""
        reason = 'The session directory %s does not exist.' % directory
        if dir_stat.get('error'):
            # ansible.windows up to 3.3.0 fails every directory stat of an account that is not an administrator (its
            # Win32_Share query): the file is missing, the directory unknown.
            reason = Problem('unexamined', 'No session file in %s, and the directory could not be examined (%s), so '
                                           'whether it exists is not known.' % (directory, dir_stat['error']))
        if profile is None:
            return reason
        folder = self._stat_raw(profile, follow=True, directory=True)
        if not folder.get('exists'):
            return Problem('no_profile', "User '%s' has no profile directory (%s) on this host: check the user option "
                                         "(claudeops_session_user), or set path to the session directory."
                           % (user, profile))
        if self._windows and folder.get('owner') is None:
            # win_stat reads the owner with GetAccessControl() and gives null when that is refused: this account may
            # not read the profile's security, so win_stat cannot see inside it either.
            return Problem('access_denied', 'The profile %s of %s is there, but access is denied to the account the '
                                            'task runs as: win_stat cannot see inside it, so the session may well be '
                                            'there.' % (profile, user))
        return reason

    # -- remote calls ---------------------------------------------------------------------------

    def _call(self, kind, module_args, check_mode=False, no_log=False):
        """One module on the target. check_mode runs it in check mode whatever the task says; no_log sets no_log on
        the play context for this call, which every connection plugin honours when it logs a module's output and
        the module honours for its own logging."""
        self._calls += 1
        saved = self._task.check_mode, self._play_context.no_log
        try:
            if check_mode:
                self._task.check_mode = True
            if no_log:
                self._play_context.no_log = True
            return self._execute_module(module_name=self._modules[kind], module_args=module_args,
                                        task_vars=self._task_vars)
        finally:
            self._task.check_mode, self._play_context.no_log = saved

    def _join(self, *parts):
        return self._pathmod.join(*parts)

    def _environment(self):
        if self._env is None:
            self._env = self._gather_environment()
        return self._env

    def _gather_environment(self):
        facts = self._task_vars.get('ansible_facts') or {}
        env = facts.get('env') or facts.get('ansible_env') or self._task_vars.get('ansible_env')
        if isinstance(env, dict) and env:
            return env
        res = self._call('setup', {'gather_subset': ['!all', '!min', 'env']})
        if res.get('failed'):
            raise AnsibleActionFail('Could not read the environment of the connecting account to find the session '
                                    'directory: %s. Set the path option to skip this step.' % res.get('msg'))
        gathered = res.get('ansible_facts') or {}
        return gathered.get('ansible_env') or gathered.get('env') or {}

    def _resolve_directory(self, path, user):
        """Return (session directory, profile directory of ``user`` or None, why there is no profile or None)."""
        if path:
            return path, None, None
        if self._windows:
            if user:
                profile, missing = self._profile(user)
                if missing:
                    return ntpath.join(profile or user, '.claude'), profile, missing
                return ntpath.join(profile, '.claude'), profile, None
            return WINDOWS_DEFAULT, None, None
        if user:
            return '~%s/.claude' % user, '~%s' % user, None
        env = self._environment()
        home = env.get('HOME')
        if not home:
            raise AnsibleActionFail('HOME is not set for the connecting account; set the path option to '
                                    'the session directory, e.g. /home/alice/.claude.')
        config_dir = env.get('CLAUDE_CONFIG_DIR')
        if config_dir:
            return config_dir, None, None
        return self._join(home, '.claude'), None, None

    def _holding(self, directory, files):
        """The observations of ``files`` in ``directory`` when it holds any of them, else None."""
        observations = [self._stat(name, self._join(directory, name)) for name in files]
        return observations if any(o['exists'] for o in observations) else None

    def _profile(self, user):
        """(profile folder, None) of a Windows account, as Windows records it (ProfileList\\<SID>\\ProfileImagePath),
        or (None, why not). win_user_profile runs in check mode: for an account without a profile it reports the
        profile it would create (changed), and creates nothing."""
        res = self._call('profile', {'username': user, 'state': 'present'}, check_mode=True)
        msg = _module_msg(res)
        if res.get('failed'):
            if any(key in res for key in ('module_stderr', 'module_stdout')) or res.get('unreachable'):
                raise AnsibleActionFail('%s could not run on this host to find the profile of %s: %s (it needs '
                                        'ansible.windows 2.7.0 or later)' % (self._modules['profile'], user, msg))
            return None, Problem('no_account', "Windows on this host knows no account '%s' (%s). Give the account as "
                                 "Windows names it: alice, CORP\\alice, alice@corp.example.com or a SID "
                                 "(claudeops_session_user)." % (user, msg))
        # Ansible.Basic converted the name to its SID before the module ran, and shows it in invocation.
        self._sid = ((res.get('invocation') or {}).get('module_args') or {}).get('username')
        if res.get('changed') or not res.get('path'):
            return None, Problem('never_logged_on', "Account '%s' has no profile on this host: it has never logged "
                                 "on here, so there is no session to read. Check the user option "
                                 "(claudeops_session_user), or set path to the session directory." % user)
        return res['path'], None

    def _config_dir_of(self, profile):
        """CLAUDE_CONFIG_DIR of the account whose profile this is, from HKU\\<SID>\\Environment, or None. Windows
        shows another account's environment only while its registry hive is loaded (the person is logged on);
        %USERPROFILE% in it is theirs, so it is put in here (the modules would expand the connecting account's)."""
        sid = self._sid
        if not sid or not re.match(r'S-1-[0-9-]+$', sid):
            return None
        res = self._call('registry', {'path': 'HKU:\\%s\\Environment' % sid, 'name': 'CLAUDE_CONFIG_DIR'})
        raw = res.get('raw_value') if res.get('exists') and not res.get('failed') else None
        if not isinstance(raw, str) or not raw.strip():
            return None
        return re.sub(r'(?i)%USERPROFILE%', lambda match: profile, raw.strip())

    def _stat_raw(self, path, follow=False, directory=False):
        """The stat of ``path`` itself (``follow`` to look through a link). A stat that the target could not run at
        all (no interpreter, no module) fails this host; a stat that ran and failed is this path's error."""
        if self._windows:
            args = {'path': path, 'get_checksum': False, 'follow': follow}
            if directory:
                args['get_size'] = False  # its default sums every file below, minutes on a real profile
        else:
            args = {'path': path, 'follow': follow, 'get_checksum': False, 'get_mime': False, 'get_attributes': False}
        res = self._call('stat', args)
        if res.get('failed'):
            msg = _module_msg(res, 'stat failed')
            if any(key in res for key in ('module_stderr', 'module_stdout')) or res.get('unreachable'):
                raise AnsibleActionFail('%s could not run on this host to examine %s: %s'
                                        % (self._modules['stat'], path, msg))
            return {'exists': False, 'error': msg}
        return res.get('stat') or {'exists': False}

    def _stat(self, name, path):
        st = self._stat_raw(path)
        obs = dict(_absent(name, path), exists=bool(st.get('exists')), isdir=bool(st.get('isdir')),
                   size=st.get('size') or 0, resolved=st.get('path'))
        if path[:1] in '~%' and obs['resolved']:
            obs['path'] = path = obs['resolved']
        if st.get('error'):
            obs['exists'] = True
            obs['read_error'] = Problem('unexamined', '%s could not be examined: %s' % (path, st['error']))
            obs['skip_read'] = True
            return obs
        if obs['exists'] and self._windows and not (st.get('islnk') or st.get('isjunction')) \
                and 'ReparsePoint' in str(st.get('attributes') or ''):
            # LinkUtil classifies symbolic links and junctions only; for any other reparse tag win_stat warns and
            # calls the file regular. A OneDrive placeholder is one: reading it would fetch it from the cloud.
            obs.update(not_regular='%s is a reparse point win_stat cannot classify (a OneDrive placeholder or another '
                                   'cloud file?); it was not read.' % path, skip_read=True)
            return obs
        if obs['exists'] and (st.get('islnk') or st.get('isjunction')):
            st = self._follow(obs, st, path)
            if st is None:
                return obs
        if obs['exists'] and not obs['isdir'] and not st.get('isreg'):
            kind = next((what for key, what in (('isfifo', 'a FIFO'), ('ischr', 'a character device'),
                                                ('isblk', 'a block device'), ('issock', 'a socket'))
                         if st.get(key)), 'something other than a file')
            obs.update(not_regular='%s is %s, not a regular file; it was not read.' % (path, kind), skip_read=True)
        mtime = st.get('lastwritetime') if self._windows else st.get('mtime')
        if isinstance(mtime, (int, float)):
            obs['mtime'] = mtime
        return obs

    def _follow(self, obs, st, path):
        """The stat of the file a link leads to, or None (and ``obs`` says why) when the link leaves the session
        directory or leads to a share: such a file is never read."""
        target = st.get('lnk_source') or st.get('lnk_target') or ''
        # dirname(path) is the session directory, expanded when it was ~user (file names are plain names).
        directory = self._real_directory(self._pathmod.dirname(path))
        if self._windows and _unc(target):
            # LinkUtil strips \??\ from a link's target, so a share is left as UNC\server\share\...
            obs.update(not_regular=Problem('outside_directory', '%s is a link to a network share (%s); it was '
                                                                'not read.' % (path, target)), skip_read=True)
            return None
        if not self._inside(target, directory):
            obs.update(not_regular=Problem('outside_directory', '%s is a link to %s, outside the session '
                                                                'directory; it was not read.'
                                           % (path, target or 'an unknown target')), skip_read=True)
            return None
        st = self._stat_raw(path, follow=True)
        final = st.get('path') or ''
        # win_stat follows a whole chain of links and gives the path it ends on, which must be inside the directory
        # too (on POSIX, stat's lnk_source is already the end of the chain: os.path.realpath).
        if self._windows and st.get('exists') and (not final or _unc(final) or not self._inside(final, directory)):
            obs.update(not_regular=Problem('outside_directory', '%s is a chain of links that ends at %s, outside '
                                                                'the session directory; it was not read.'
                                           % (path, final or 'an unknown target')), skip_read=True)
            return None
        obs.update(exists=bool(st.get('exists')), isdir=bool(st.get('isdir')), size=st.get('size') or 0)
        return st

    # -- macOS: the login Keychain -------------------------------------------------------------------

    def _is_macos(self, missing):
        """Whether the host is a Mac: from its facts when they were gathered (or ansible_system is set), else, only
        when the session file is ``missing``, from one probe (the platform facts)."""
        facts = self._task_vars.get('ansible_facts') or {}
        system = facts.get('system') or self._task_vars.get('ansible_system')
        if system or not missing:
            return system == 'Darwin'
        res = self._call('setup', {'gather_subset': ['!all', '!min', 'platform']})
        return ((res.get('ansible_facts') or {}).get('ansible_system')) == 'Darwin'

    def _from_keychain(self, args, user, observations, contents):
        """On a Mac, the session file's observation replaced by the login Keychain's item, as Claude Code keeps it
        there; the file stays when the Keychain has no such item (Claude Code's own fallback). When the Keychain
        refuses, the login hook's hand-off file (``handoff``), else the refusal with its code."""
        index = next((i for i, o in enumerate(observations) if o['name'] == CREDENTIALS_FILE), None)
        if index is None or not self._is_macos(not observations[index]['exists']):
            return observations
        env = {} if user else self._environment()
        service = args['keychain_service'] or service_name(env)
        account = user or env.get('USER') or env.get('LOGNAME') or self._user_id()
        data, problem = self._read_keychain(service, account)
        self._keychain = {'service': service, 'account': account, 'result': problem.code if problem else 'found'}
        found = list(observations)
        cred = found[index]
        if data is not None:
            found[index] = self._keychain_observation(label(service, account), data, contents)
            self._source = 'keychain'
        elif problem.code == 'keychain_item_missing':
            if not cred['exists']:
                cred['absent'] = Problem(problem.code, '%s, and %s does not exist either.'
                                         % (problem.text[:-1], cred['path']))
        else:
            handoff = self._stat(CREDENTIALS_FILE, args['handoff']) if args['handoff'] else None
            if handoff and handoff['exists']:
                found[index], self._source = handoff, 'handoff'
            else:
                found[index] = dict(_absent(CREDENTIALS_FILE, label(service, account)), exists=True,
                                    read_error=problem, skip_read=True)
        return found

    def _user_id(self):
        """The login name of the account the task runs as, when its environment has no USER (one setup call)."""
        res = self._call('setup', {'gather_subset': ['!all', '!min', 'user']})
        return (res.get('ansible_facts') or {}).get('ansible_user_id') or None

    def _read_keychain(self, service, account):
        """(the item's bytes, None), or (None, the Problem): security prints it on its standard output, which stays
        in this process (the call is no_log, and its result is never returned)."""
        argv = ['security', 'find-generic-password', '-s', service] + (['-a', account] if account else []) + ['-w']
        res = self._call('command', {'argv': argv}, no_log=True)
        rc = res.get('rc')
        if rc == 0:
            return password_bytes(res.get('stdout') or ''), None
        if not isinstance(rc, int):  # security could not even be run
            return None, refusal(None, service, account, _module_msg(res, 'security could not be run'))
        return None, refusal(rc, service, account, res.get('stderr') or _module_msg(res))

    def _keychain_observation(self, where, data, contents):
        obs = dict(_absent(CREDENTIALS_FILE, where), exists=True, size=len(data), skip_read=True)
        if len(data) <= MAX_FILE_SIZE:
            obs['data'] = data
            contents[CREDENTIALS_FILE] = base64.b64encode(data).decode('ascii')
        return obs

    def _real_directory(self, directory):
        """The directory as the target resolves it, when it is itself a link (one more stat, only for links)."""
        st = self._stat_raw(directory, directory=True)
        if st.get('islnk') or st.get('isjunction'):
            return st.get('lnk_source') or directory
        return st.get('path') or directory

    def _inside(self, target, directory):
        norm = self._pathmod.normpath
        if self._windows:
            target, directory = target.lower(), directory.lower()
        if not self._pathmod.isabs(target):
            target = self._pathmod.join(directory, target)
        return norm(target).startswith(norm(directory).rstrip(self._pathmod.sep) + self._pathmod.sep)

    def _read(self, obs, contents, again=True):
        """slurp the file. A file being written (Windows: "used by another process"; or bytes that do not match the
        size its stat gave) is stated and read once more after a second; twice so, it is ``busy``."""
        if obs.get('skip_read'):
            return
        res = self._call('slurp', {'src': obs['path']}, no_log=True)
        msg = _module_msg(res, 'slurp failed')
        data = None
        if not res.get('failed'):
            try:
                data = base64.b64decode(res.get('content') or '', validate=True)
            except (binascii.Error, ValueError):
                obs['read_error'] = '%s could not be decoded after reading it.' % obs['path']
                return
        written = (res.get('failed') and _BEING_WRITTEN in msg) or (
            data is not None and obs['size'] and len(data) != obs['size'])
        if written and again:
            time.sleep(1)
            st = self._stat_raw(obs['path'], follow=True)
            obs.update(size=st.get('size') or 0, exists=bool(st.get('exists')))
            if obs['exists']:
                self._read(obs, contents, again=False)
            return
        if written:
            obs['busy'] = ('%s was being written while it was read, twice (Claude Code refreshing the session?); '
                           'it was not used this time.' % obs['path'])
            return
        if res.get('failed'):
            if _ACCESS_DENIED in msg:
                obs['read_error'] = Problem('access_denied', '%s is not readable: access is denied to the account '
                                                             'the task runs as.' % obs['path'])
            else:
                obs['read_error'] = '%s is not readable: %s' % (obs['path'], msg)
            return
        obs['data'] = data
        contents[obs['name']] = res.get('content') or ''
