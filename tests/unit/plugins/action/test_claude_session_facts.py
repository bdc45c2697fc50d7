# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin against results of the modules it calls on the target.

The Windows branch replays results of ansible.windows modules written from those modules' sources
(tests/unit/test_data/windows_results.json says how; test_windows_module_contract.py checks their shape); the
process edge, ``_execute_module``, is the only thing replaced. Our own logic runs for real.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from unittest.mock import MagicMock

from ansible.errors import AnsibleActionFail
from ansible.playbook.task import Task
from ansible.plugins.loader import shell_loader

from ansible_collections.claudeops.credentials.plugins.action.claude_session_facts import ActionModule, censors_action_results

DATA = os.path.join(os.path.dirname(__file__), '..', '..', 'test_data', 'windows_results.json')
with open(DATA) as handle:
    RESULTS = json.load(handle)


def expand(value, env):
    """A path as the modules see it on the target: .NET's Environment.ExpandEnvironmentVariables (Ansible.Basic's and
    the legacy util's path type): %NAME% is replaced when NAME is set (any case), left as it is otherwise."""
    def one(match):
        name = match.group(1).lower()
        return next((v for k, v in env.items() if k.lower() == name), match.group(0))
    return re.sub(r'%([^%]+)%', one, value)


class Replay(object):
    """Answers _execute_module from the prepared results, as the target would, and remembers every call with the
    check mode and no_log it ran under. env is the environment of the account the task runs as."""

    def __init__(self, env_key='setup'):
        self.calls = []
        self.modes = []
        self.env = RESULTS[env_key]['ansible_facts']['ansible_env']
        self.action = None

    def __call__(self, module_name, module_args, task_vars=None, **kwargs):
        self.calls.append((module_name, module_args))
        if self.action is not None:
            self.modes.append((module_name.rsplit('.', 1)[-1], self.action._task.check_mode,
                               self.action._play_context.no_log))
        short = module_name.rsplit('.', 1)[-1]
        if short == 'win_user_profile':
            return json.loads(json.dumps(RESULTS[short][module_args['username']]))
        path = module_args.get('path') or module_args.get('src')
        path = path if short == 'win_reg_stat' else expand(path, self.env)
        if path in RESULTS[short]:
            answer = RESULTS[short][path]
            if isinstance(answer, list):  # answered in order, the last one again after that
                seen = sum(1 for name, args in self.calls if name == module_name and args == module_args) - 1
                answer = answer[min(seen, len(answer) - 1)]
            return json.loads(json.dumps(answer))
        if short == 'win_stat':
            return {'changed': False, 'stat': {'exists': False}}
        if short == 'win_reg_stat':
            return {'changed': False, 'exists': False}
        return {'changed': False, 'failed': True, 'msg': 'Path %s is not found' % path}


# The session in the replayed results expires in 2100 (a fixed file): these tests are about reaching it, so they lift
# session_max_lifetime; test_a_session_claiming_decades_is_invalid_with_the_clock_fix keeps the default.
FAR = '30000d'


def run(args, task_vars=None, shell='powershell', env_key='setup', lifetime=FAR, replay=None):
    task = MagicMock(Task)
    task.args = dict(args, session_max_lifetime=lifetime) if lifetime else args
    task.async_val = 0
    task.check_mode = False
    task.no_log = False
    task.diff = False
    task.action = 'claudeops.credentials.claude_session_facts'
    connection = MagicMock()
    connection._shell = shell_loader.get(shell)
    play_context = MagicMock()
    play_context.check_mode = False
    play_context.no_log = False
    action = ActionModule(task, connection, play_context, loader=None, templar=None, shared_loader_obj=None)
    replay = replay or Replay(env_key)
    replay.action = action
    action._execute_module = replay
    result = action.run(task_vars=dict({'inventory_hostname': 'ws1'}, **(task_vars or {})))
    assert (task.check_mode, play_context.no_log) == (False, False), 'the task and play context are restored'
    return result, replay.calls


def test_a_session_claiming_decades_is_invalid_with_the_clock_fix():
    # A workstation clock ahead or a crafted file (expiresAt in 2100): never selected, never published (#25 item 2).
    result, _calls = run({'user': 'alice'}, lifetime=None)
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'invalid' and not facts['credentials']['valid']
    assert 'later than a session lives' in ' '.join(facts['problems'])
    assert 'session_max_lifetime' in ' '.join(facts['problems']) and '2d' in ' '.join(facts['problems'])
    assert 'w32tm /resync' in result['fix'] and 'claudeops_session_max_lifetime' in result['fix']
    with pytest.raises(AnsibleActionFail, match='session_max_lifetime'):
        run({'user': 'alice'}, lifetime='soon')


def test_windows_own_session_two_calls_expanded_on_the_target():
    # No setup: win_stat and slurp expand %USERPROFILE% themselves, for the account the task runs as (#26 item 9).
    result, calls = run({'content': True})
    facts = result['ansible_facts']['claude_session']
    assert [c[0] for c in calls] == ['ansible.windows.win_stat', 'ansible.windows.slurp']
    assert calls[0][1]['path'] == '%USERPROFILE%\\.claude\\.credentials.json'
    assert facts['path'] == 'C:\\Users\\svc-ansible\\.claude' and facts['status'] == 'healthy'
    assert result['remote_calls'] == 2
    assert result['_ansible_no_log'] is True, 'a result carrying content must be censored'


def test_windows_cached_facts_of_another_account_choose_nothing():
    # An AWX fact cache gathered as another account (or before become): its USERPROFILE is never used (#26 item 4).
    other = {'USERPROFILE': 'C:\\Users\\alice', 'USERNAME': 'alice'}
    result, calls = run({}, task_vars={'ansible_facts': {'env': other}, 'ansible_env': other})
    assert calls[0][1]['path'].startswith('%USERPROFILE%')
    assert result['ansible_facts']['claude_session']['path'] == 'C:\\Users\\svc-ansible\\.claude'


@pytest.mark.parametrize('user, folder', [
    ('alice', 'C:\\Users\\alice'),
    ('CORP\\alice', 'C:\\Users\\alice.CORP'),
    ('alice@corp.example.com', 'C:\\Users\\alice.CORP'),
    ('S-1-5-21-1004336348-1177238915-682003330-1107', 'C:\\Users\\alice.CORP'),
])
def test_windows_another_persons_profile_is_the_one_windows_records(user, folder):
    # win_user_profile gives ProfileImagePath for a local name, DOMAIN\\user, UPN or SID; it runs in check mode so it
    # never creates a profile, and the read runs with no_log on the play context (#26 items 1 and 2).
    replay = Replay()
    result, calls = run({'user': user, 'content': True}, replay=replay)
    facts = result['ansible_facts']['claude_session']
    assert [c[0] for c in calls] == ['ansible.windows.win_user_profile', 'ansible.windows.win_stat',
                                     'ansible.windows.slurp']
    assert calls[0][1] == {'username': user, 'state': 'present'}
    assert replay.modes == [('win_user_profile', True, False), ('win_stat', False, False), ('slurp', False, True)]
    assert facts['path'] == folder + '\\.claude' and facts['status'] == 'healthy'
    assert facts['files'][0]['mtime'] == '2025-11-24T00:00:00Z'
    assert facts['credentials']['subscription_type'] == 'max'
    assert set(result['content']) == {'.credentials.json'}
    assert 'CANARYWINDOWS' not in json.dumps(result['ansible_facts'])
    assert 'CANARYWINDOWS' not in result['summary'] + result['fix']


def test_windows_path_given_two_round_trips_no_censoring_without_content():
    result, calls = run({'path': 'C:\\Users\\alice\\.claude'})
    assert [c[0] for c in calls] == ['ansible.windows.win_stat', 'ansible.windows.slurp']
    assert calls[0][1]['get_checksum'] is False
    assert '_ansible_no_log' not in result and 'content' not in result


def test_windows_claude_config_dir_is_asked_when_the_default_holds_nothing():
    result, calls = run({}, env_key='setup_claude_config_dir')
    assert result['ansible_facts']['claude_session']['path'] == 'D:\\claude-config'
    assert [c[1].get('path') or c[1].get('src') for c in calls] == [
        '%USERPROFILE%\\.claude\\.credentials.json', '%CLAUDE_CONFIG_DIR%\\.credentials.json',
        'D:\\claude-config\\.credentials.json']


def test_windows_nothing_at_home_nor_in_claude_config_dir():
    replay = Replay()
    replay.env = {'USERPROFILE': 'C:\\Users\\svc-moved', 'USERNAME': 'svc-moved'}
    result, calls = run({}, replay=replay)
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'missing'
    assert facts['problems'] == ['The session directory %USERPROFILE%\\.claude does not exist.']
    assert len(calls) == 3


def test_windows_no_session_for_existing_user():
    result, calls = run({'user': 'bob'})
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'missing'
    assert facts['problems'] == ['The session directory C:\\Users\\bob\\.claude does not exist.']
    assert 'claude login' in result['fix'] and 'bob' not in result['fix'].split('on ws1')[1]


def test_windows_account_unknown_to_windows():
    result, calls = run({'user': 'nobody'})
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'missing'
    assert "Windows on this host knows no account 'nobody' (argument for username" in facts['problems'][0]
    assert 'CORP\\alice, alice@corp.example.com or a SID' in facts['problems'][0]
    assert [c[0] for c in calls] == ['ansible.windows.win_user_profile'], 'nothing is guessed after it'
    assert 'claudeops_session_user' in result['fix']


def test_windows_account_without_a_profile():
    # Check mode reports the profile win_user_profile would create (changed): that path is never read.
    result, calls = run({'user': 'newhire'})
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'missing' and len(calls) == 1
    assert "Account 'newhire' has no profile on this host: it has never logged on here" in facts['problems'][0]


def test_windows_profile_recorded_but_its_folder_gone():
    result, calls = run({'user': 'gone'})
    facts = result['ansible_facts']['claude_session']
    assert "User 'gone' has no profile directory (C:\\Users\\gone)" in facts['problems'][0]


def test_windows_directory_in_place_of_file_is_not_read():
    result, calls = run({'user': 'dave'})
    assert result['ansible_facts']['claude_session']['status'] == 'invalid'
    assert 'ansible.windows.slurp' not in [c[0] for c in calls]


def test_windows_huge_file_is_not_read():
    result, calls = run({'user': 'erin'})
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'invalid'
    assert 'over the 1 MiB limit' in facts['problems'][0]
    assert 'ansible.windows.slurp' not in [c[0] for c in calls]


def test_windows_file_vanishing_before_read_is_reported():
    result, calls = run({'user': 'frank'})
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'invalid'
    assert 'is not readable: Path C:\\Users\\frank\\.claude\\.credentials.json is not found' in facts['problems'][0]


@pytest.mark.parametrize('shell', ['powershell', 'cmd'])
def test_every_windows_shell_takes_the_windows_path(shell):
    # ansible_shell_type cmd (Windows OpenSSH's default shell) is a Windows shell too (#26 item 6).
    result, calls = run({'user': 'CORP\\alice'}, shell=shell)
    assert calls[0][0] == 'ansible.windows.win_user_profile'
    assert result['ansible_facts']['claude_session']['status'] == 'healthy'


@pytest.mark.parametrize('args, needle', [
    ({'files': ['..\\x']}, 'not a plain file name'),
    ({'files': ['*.json']}, 'not a plain file name'),
    ({'user': 'a\\b\\c'}, 'is not an account name'),
    ({'user': 'a/b'}, 'is not an account name'),
    ({'user': 'CORP\\'}, 'is not an account name'),
    ({'expiry_warning': 'soon'}, 'is not a duration'),
])
def test_bad_arguments(args, needle):
    with pytest.raises(AnsibleActionFail) as err:
        run(args)
    assert needle in str(err.value)


def test_posix_user_uses_tilde_without_setup():
    # A POSIX target replayed the same way: ~alice is expanded by ansible.builtin.stat on the target.
    class PosixReplay(Replay):
        def __call__(self, module_name, module_args, task_vars=None, **kwargs):
            self.calls.append((module_name, module_args))
            return {'stat': {'exists': False}}
    task = MagicMock(Task)
    task.args = {'user': 'alice'}
    task.async_val = 0
    connection = MagicMock()
    connection._shell = shell_loader.get('sh')
    action = ActionModule(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    replay = PosixReplay()
    action._execute_module = replay
    result = action.run(task_vars={'inventory_hostname': 'lin1'})
    # No file and no facts: one probe asks whether this is a Mac, whose session would be in the login Keychain (#30).
    assert [c[0] for c in replay.calls] == ['ansible.builtin.stat', 'ansible.builtin.setup'] + ['ansible.builtin.stat'] * 2
    assert replay.calls[1][1] == {'gather_subset': ['!all', '!min', 'platform']}
    assert replay.calls[0][1]['path'] == '~alice/.claude/.credentials.json'
    assert "User 'alice' has no profile directory" in result['ansible_facts']['claude_session']['problems'][0]


@pytest.mark.parametrize('version, censors', [
    ('2.16.0', False), ('2.16.12', False), ('2.16.13', True), ('2.16.19', True),
    ('2.17.0', False), ('2.17.5', False), ('2.17.6', True), ('2.18.0', True), ('2.19.4', True), ('2.21.0rc1', True),
])
def test_which_cores_honour_an_action_plugins_own_censoring(version, censors):
    # Read from each release's executor/task_executor.py: before the fix it sets result['_ansible_no_log'] = no_log.
    assert censors_action_results(version) is censors


def test_content_on_a_core_that_would_print_it_needs_no_log(monkeypatch):
    # The installed ansible-core is the process edge here: pretend it is one of the releases before the fix.
    from ansible_collections.claudeops.credentials.plugins.action import claude_session_facts as plugin
    monkeypatch.setattr(plugin, 'ANSIBLE_CORE_VERSION', '2.16.0')
    task = MagicMock(Task)
    task.args = {'content': True, 'path': 'C:\\Users\\alice\\.claude'}
    task.no_log = False
    task.async_val = 0
    task.action = 'claudeops.credentials.claude_session_facts'
    action = ActionModule(task, MagicMock(), MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    action._execute_module = Replay()
    with pytest.raises(AnsibleActionFail, match=r'ansible-core 2\.16\.0 would print them at -v.*Set no_log: true'):
        action.run(task_vars={'inventory_hostname': 'ws1'})
    assert action._execute_module.calls == []


def test_windows_directories_are_stated_without_summing_their_size():
    # win_stat's get_size defaults to summing every file below a directory: minutes on a real profile.
    result, calls = run({'user': 'gone'})
    stats = [args for module, args in calls if module == 'ansible.windows.win_stat']
    assert [a.get('get_size') for a in stats] == [None, False, False]


class LinkReplay(Replay):
    """The prepared answers, plus a .credentials.json that is a symbolic link to the first of ``chain``, each a link
    to the next, as win_stat answers: with follow false the link itself (lnk_source: LinkUtil's AbsolutePath of its
    first hop); with follow true, the file the whole chain ends on (Get-FileInfo follows link after link)."""

    def __init__(self, chain):
        super(LinkReplay, self).__init__()
        self.chain = chain

    def __call__(self, module_name, module_args, task_vars=None, **kwargs):
        if module_name.endswith('win_stat') and module_args['path'].endswith('.credentials.json'):
            self.calls.append((module_name, module_args))
            stat = dict(RESULTS['win_stat']['C:\\Users\\alice\\.claude\\.credentials.json']['stat'])
            if module_args.get('follow'):
                stat.update(path=self.chain[-1], filename=self.chain[-1].rsplit('\\', 1)[-1])
            else:
                stat.update(islnk=True, isreg=False, lnk_source=self.chain[0], lnk_target=self.chain[0])
            return {'changed': False, 'stat': stat}
        return super(LinkReplay, self).__call__(module_name, module_args, task_vars, **kwargs)


@pytest.mark.parametrize('chain, status, why', [
    (['C:\\Windows\\System32\\config\\SAM'], 'invalid', 'outside the session directory'),
    (['C:\\Users\\alice\\.claude-evil\\x.json'], 'invalid', 'outside the session directory'),
    (['c:\\users\\ALICE\\.claude\\real-credentials.json'], 'healthy', ''),
    # A first hop inside that is itself a link out (#26 item 7): the end of the chain decides.
    (['C:\\Users\\alice\\.claude\\hop.json', 'C:\\Windows\\System32\\config\\SAM'], 'invalid',
     'chain of links that ends at C:\\Windows'),
    (['C:\\Users\\alice\\.claude\\hop.json', 'C:\\Users\\alice\\.claude\\real.json'], 'healthy', ''),
    # LinkUtil leaves a link to \\\\srv\\share as UNC\\srv\\share: relative-looking, so it once counted as inside.
    (['UNC\\srv\\share\\alice\\.credentials.json'], 'invalid', 'a link to a network share'),
])
def test_windows_links_are_read_only_inside_the_session_directory(chain, status, why):
    task = MagicMock(Task)
    task.args = {'path': 'C:\\Users\\alice\\.claude', 'session_max_lifetime': FAR}
    task.async_val, task.check_mode, task.diff = 0, False, False
    task.action = 'claudeops.credentials.claude_session_facts'
    connection = MagicMock()
    connection._shell = shell_loader.get('powershell')
    action = ActionModule(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    action._execute_module = replay = LinkReplay(chain)
    facts = action.run(task_vars={'inventory_hostname': 'ws1'})['ansible_facts']['claude_session']
    assert facts['status'] == status, facts['problems']
    slurped = [c for c in replay.calls if c[0].endswith('slurp')]
    if status == 'invalid':
        assert why in facts['problems'][0] and 'it was not read' in facts['problems'][0] and not slurped
    else:
        assert len(slurped) == 1


def test_windows_reparse_point_it_cannot_classify_is_not_read():
    # LinkUtil knows symbolic links and junctions; for another reparse tag (a OneDrive placeholder) win_stat warns
    # ("Failed to check/get link info for file: Invalid Reparse Tag: ...") and calls the file regular.
    class Placeholder(Replay):
        def __call__(self, module_name, module_args, task_vars=None, **kwargs):
            answer = super(Placeholder, self).__call__(module_name, module_args, task_vars, **kwargs)
            if module_name.endswith('win_stat') and answer['stat'].get('isreg'):
                answer['stat']['attributes'] = 'Archive, ReparsePoint, Offline'
                answer['warnings'] = ['Failed to check/get link info for file: Invalid Reparse Tag: 2684354586']
            return answer
    result, calls = run({'path': 'C:\\Users\\alice\\.claude'}, replay=Placeholder())
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'invalid' and 'reparse point win_stat cannot classify' in facts['problems'][0]
    assert [c[0] for c in calls] == ['ansible.windows.win_stat']


@pytest.fixture
def no_sleep(monkeypatch):
    from ansible_collections.claudeops.credentials.plugins.action import claude_session_facts as plugin
    waits = []
    monkeypatch.setattr(plugin.time, 'sleep', waits.append)
    return waits


def test_windows_profile_it_may_not_look_into_is_access_denied_not_missing():
    # #26 item 3: win_stat calls an unreadable folder absent; the profile's missing owner tells why.
    result, _calls = run({'user': 'henry'})
    facts = result['ansible_facts']['claude_session']
    assert 'access is denied to the account the task runs as' in facts['problems'][0]
    assert 'does not exist' not in ' '.join(facts['problems'])
    assert 'runas' in result['fix'] and 'claude login` as' not in result['fix']


def test_windows_file_it_may_not_read_is_access_denied():
    result, _calls = run({'user': 'ivan'})
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'invalid'
    assert facts['problems'] == ['C:\\Users\\ivan\\.claude\\.credentials.json is not readable: access is denied '
                                 'to the account the task runs as.']
    assert 'become_method runas' in result['fix']


def _modules(calls):
    """The short names of the modules the plugin called, in order."""
    return [c[0].rsplit('.', 1)[-1] for c in calls]


def test_windows_file_held_open_by_claude_code_is_busy_not_invalid(no_sleep):
    # #26 item 8: read twice, a second apart; still held, it is busy and the fix says try again.
    result, calls = run({'user': 'judy'})
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'busy' and no_sleep == [1]
    assert _modules(calls) == ['win_user_profile', 'win_stat', 'slurp', 'win_stat', 'slurp']
    assert 'was being written while it was read, twice' in facts['problems'][0]
    assert 'next capture reads' in result['fix']


def test_windows_file_changed_while_read_is_read_again_once(no_sleep):
    result, calls = run({'user': 'kate'})
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'healthy' and no_sleep == [1]
    assert _modules(calls) == ['win_user_profile', 'win_stat', 'slurp', 'win_stat', 'slurp']
    assert calls[3][1]['follow'] is True


def test_windows_byte_order_mark_names_its_usual_cause():
    result, _calls = run({'user': 'mia'})
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'invalid'
    assert 'UTF-8 byte-order mark' in facts['problems'][0] and 'PowerShell 5.1' in facts['problems'][0]


def test_windows_directory_stat_that_fails_is_not_called_absent():
    # ansible.windows up to 3.3.0: a non-administrator's directory stat fails in the Win32_Share query.
    replay = Replay()
    replay.env = {'USERPROFILE': 'C:\\Users\\leo', 'USERNAME': 'leo'}
    result, _calls = run({}, replay=replay)
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'missing'
    assert 'could not be examined (Unhandled exception while executing module: Access denied)' in facts['problems'][0]
    assert 'whether it exists is not known' in facts['problems'][0]


def test_windows_persons_own_claude_config_dir_from_their_registry_hive():
    # #26 item 5: asked only when the profile's .claude holds nothing; %USERPROFILE% in it is hers, not the
    # connecting account's (win_reg_stat's value is expanded there; raw_value is as stored).
    result, calls = run({'user': 'nina'})
    facts = result['ansible_facts']['claude_session']
    assert facts['status'] == 'healthy' and facts['path'] == 'C:\\Users\\nina\\claude-config'
    called = _modules(calls)
    assert called == ['win_user_profile', 'win_stat', 'win_reg_stat', 'win_stat', 'slurp']
    assert calls[2][1] == {'path': 'HKU:\\S-1-5-21-1004336348-1177238915-682003330-1201\\Environment',
                           'name': 'CLAUDE_CONFIG_DIR'}


def test_windows_user_with_a_session_in_the_profile_costs_three_calls():
    _result, calls = run({'user': 'CORP\\alice'})
    assert len(calls) == 3, 'the registry is asked only when the profile holds no session'


class MacReplay(Replay):
    """A Mac (its facts say Darwin): security answers with ``answer``; the session file does not exist."""

    def __init__(self, answer):
        super(MacReplay, self).__init__()
        self.answer = answer

    def __call__(self, module_name, module_args, task_vars=None, **kwargs):
        self.calls.append((module_name, module_args))
        self.modes.append((module_name.rsplit('.', 1)[-1], self.action._task.check_mode,
                           self.action._play_context.no_log))
        if module_name == 'ansible.builtin.command':
            return dict(self.answer)
        if module_name == 'ansible.builtin.setup':
            return {'ansible_facts': {'ansible_env': {'USER': 'alice', 'HOME': '/Users/alice'}}}
        return {'stat': {'exists': False}}


@pytest.mark.parametrize('answer, code, said', [
    ({'rc': 0, 'stdout': json.dumps({'claudeAiOauth': {'accessToken': 'sk-ant-oat01-CANARYMACUNIT',
                                                       'refreshToken': 'sk-ant-ort01-CANARYMACUNIT',
                                                       'expiresAt': 4102444800000}})}, None, ''),
    ({'rc': 36, 'failed': True, 'stdout': '', 'stderr': '', 'msg': 'non-zero return code'}, 'keychain_locked',
     'User interaction is not allowed'),
    # security missing: the command module itself fails, with the errno as rc and its message.
    ({'rc': 2, 'failed': True, 'msg': "[Errno 2] No such file or directory: b'security'"}, 'keychain_error',
     'No such file or directory'),
])
def test_a_mac_is_read_from_its_login_keychain_under_no_log(answer, code, said):
    replay = MacReplay(answer)
    result, calls = run({'path': '/Users/alice/.claude', 'content': True}, shell='sh', replay=replay,
                        task_vars={'ansible_system': 'Darwin'})
    facts = result['ansible_facts']['claude_session']
    argv = [args['argv'] for name, args in calls if name == 'ansible.builtin.command'][0]
    assert argv == ['security', 'find-generic-password', '-s', 'Claude Code-credentials', '-a', 'alice', '-w']
    assert ('command', False, True) in replay.modes  # the read ran under no_log
    assert facts['keychain'] == {'service': 'Claude Code-credentials', 'account': 'alice', 'result': code or 'found'}
    if code is None:
        assert facts['source'] == 'keychain' and facts['status'] == 'healthy'
        assert '.credentials.json' in result['content'] and result['_ansible_no_log']
    else:
        assert facts['problem_codes'] == [code] and facts['status'] == 'invalid'
        assert said in facts['problems'][0]
    assert 'CANARYMACUNIT' not in json.dumps(facts) + result['summary'] + result['fix']
