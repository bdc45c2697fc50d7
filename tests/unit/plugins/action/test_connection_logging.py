# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""No session at -vvvvv: claude_session_facts through ansible-core's real winrm, psrp and ssh connection plugins.

The action plugin runs for real: it builds the real ansible.windows win_stat and slurp payloads and hands them to the
real connection plugin, which logs at verbosity 5 what the module printed, unless the play context says no_log. Only
the wire is replaced: for winrm, pywinrm's HTTP transport (``winrm.transport.Transport.send_message``) answers the
WS-Management messages as a Windows host would (a shell, a command, its stdout); for psrp, pypsrp's PowerShell
pipeline (no HTTP stand-in for the PSRP protocol runs here) returns the output a host would; for ssh (Windows
OpenSSH, PowerShell as its shell), the ssh executable is a script that prints what the host would. The module output they
answer with is what win_stat and slurp return for a session file of canaries (tests/unit/test_data). The plugin's
no_log for the read is proven by running once with it taken away, which must print the file's base64.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.plugins import loader as plugin_loader
from ansible.plugins.loader import become_loader, connection_loader, shell_loader
from ansible.template import Templar
from ansible.utils.display import Display

from ansible_collections.claudeops.credentials.plugins.action import claude_session_facts as plugin

winrm = pytest.importorskip('winrm')
pypsrp_powershell = pytest.importorskip('pypsrp.powershell')

SESSION = json.dumps({'claudeAiOauth': {
    'accessToken': 'sk-ant-oat01-CANARYCONNLOG-access-0123456789',
    'refreshToken': 'sk-ant-ort01-CANARYCONNLOG-refresh-0123456789',
    'expiresAt': 4102444800000, 'scopes': ['user:inference'], 'subscriptionType': 'max'}}).encode()
ENCODED = base64.b64encode(SESSION).decode()
PATH = 'C:\\Users\\alice\\.claude'
STAT = {'changed': False, 'stat': {'exists': True, 'isdir': False, 'isreg': True, 'islnk': False, 'isjunction': False,
                                   'size': len(SESSION), 'lastwritetime': 1763942400.5,
                                   'path': PATH + '\\.credentials.json'}}
SLURP = {'changed': False, 'content': ENCODED, 'encoding': 'base64'}
# Each answer in the order the plugin asks: win_stat, then slurp.
ANSWERS = [STAT, SLURP]


def leaked(text):
    """Whether text shows the session: its base64 (at any alignment, 16 characters are enough) or a token."""
    if 'CANARYCONNLOG' in text:
        return True
    for start in range(3):
        piece = base64.b64encode(SESSION[start:start + 60]).decode()[4:20]
        if piece in text:
            return True
    return False


class WSMan(object):
    """The Windows host's WS-Management answers to pywinrm, one per message, as the wire would carry them."""

    NS = ('xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
          'xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" '
          'xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"')

    def __init__(self, answers):
        self.answers = list(answers)
        self.command = 0
        self.stdin = b''

    def envelope(self, message, body):
        relates = re.search(r'<a:MessageID>(.*?)</a:MessageID>', message).group(1)
        return ('<s:Envelope %s><s:Header><a:RelatesTo>%s</a:RelatesTo></s:Header><s:Body>%s</s:Body></s:Envelope>'
                % (self.NS, relates, body)).encode()

    def __call__(self, transport, message):
        action = re.search(r'<a:Action[^>]*>(.*?)</a:Action>', message).group(1).rsplit('/', 1)[-1]
        if action == 'Create':
            return self.envelope(message, '<w:SelectorSet><w:Selector Name="ShellId">SHELL-1</w:Selector>'
                                          '</w:SelectorSet>')
        if action == 'Command':
            self.command += 1
            return self.envelope(message, '<rsp:CommandResponse><rsp:CommandId>CMD-%d</rsp:CommandId>'
                                          '</rsp:CommandResponse>' % self.command)
        if action == 'Send':
            for chunk in re.findall(r'<rsp:Stream[^>]*>([^<]*)</rsp:Stream>', message):
                self.stdin += base64.b64decode(chunk)
        if action == 'Receive':
            stdout = base64.b64encode(json.dumps(self.answers.pop(0)).encode()).decode()
            return self.envelope(message, '<rsp:ReceiveResponse><rsp:Stream Name="stdout" CommandId="CMD-%d">%s'
                                          '</rsp:Stream><rsp:CommandState CommandId="CMD-%d" State="http://schemas.'
                                          'microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"><rsp:ExitCode>'
                                          '0</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse>'
                                 % (self.command, stdout, self.command))
        return self.envelope(message, '')  # Send, Signal, Delete


class Pipeline(object):
    """pypsrp's PowerShell pipeline as the host would run it: its output is the module's JSON."""

    answers = []

    def __init__(self, runspace_pool):
        self.output, self.had_errors, self.state = [], False, 'Completed'
        self.streams = MagicMock(error=[])

    def add_script(self, script, use_local_scope=None):
        return self

    def add_cmdlet(self, *args, **kwargs):
        return self

    def add_parameters(self, *args, **kwargs):
        return self

    def add_argument(self, *args, **kwargs):
        return self

    def invoke(self, input=None, **kwargs):  # pylint: disable=redefined-builtin
        self.output = [json.dumps(Pipeline.answers.pop(0))]

    def stop(self):
        pass


def action_over(name, options, monkeypatch, no_log_read=True, become_user=None):
    play_context = PlayContext()
    play_context.verbosity = 5
    connection = connection_loader.get(name, play_context, None, shell=shell_loader.get('powershell'))
    connection.set_options(var_options=dict(options, _extras={}))
    task = Task()
    task.args = {'path': PATH, 'session_max_lifetime': '30000d'}
    if become_user:
        # As the task executor sets it up for become: true, become_method: runas, become_user: ... on the host.
        play_context.become, play_context.become_method, play_context.become_user = True, 'runas', become_user
        become = become_loader.get('runas')
        become.set_options(direct={'become_user': become_user})
        connection.set_become_plugin(become)
        task.args = {'session_max_lifetime': '30000d'}
    task.action = 'claudeops.credentials.claude_session_facts'
    loader = DataLoader()
    # The plugin loaders, as the task executor gives them (ansible-core before 2.19 finds modules through them).
    action = plugin.ActionModule(task, connection, play_context, loader=loader, templar=Templar(loader=loader),
                                 shared_loader_obj=plugin_loader)
    if not no_log_read:
        real = plugin.ActionModule._call
        monkeypatch.setattr(plugin.ActionModule, '_call',
                            lambda self, kind, args, check_mode=False, no_log=False: real(self, kind, args, check_mode))
    return action


def run_logged(action, capsys, verbosity=5):
    display = Display()
    saved = display.verbosity
    display.verbosity = verbosity
    try:
        result = action.run(task_vars={'inventory_hostname': 'ws1'})
    finally:
        display.verbosity = saved
    out = capsys.readouterr()
    return result, out.out + out.err


WINRM = {'ansible_host': 'ws1.corp.example.com', 'ansible_user': 'svc-ansible', 'ansible_password': 'not-a-secret',
         'ansible_winrm_transport': ['basic'], 'ansible_winrm_scheme': 'http', 'ansible_port': 5985}
PSRP = {'ansible_host': 'ws1.corp.example.com', 'ansible_user': 'svc-ansible', 'ansible_password': 'not-a-secret',
        'ansible_psrp_protocol': 'http', 'ansible_port': 5985}


def over_winrm(monkeypatch, capsys, no_log_read=True):
    host = WSMan(ANSWERS)

    def send_message(transport, message):  # a method of the transport: the instance comes first
        return host(transport, message)

    monkeypatch.setattr(winrm.transport.Transport, 'send_message', send_message)
    return run_logged(action_over('winrm', WINRM, monkeypatch, no_log_read), capsys)


def over_psrp(monkeypatch, capsys, no_log_read=True):
    from ansible.plugins.connection import psrp
    Pipeline.answers = list(ANSWERS)
    monkeypatch.setattr(psrp, 'PowerShell', Pipeline)
    monkeypatch.setattr(psrp, 'RunspacePool', MagicMock())
    return run_logged(action_over('psrp', PSRP, monkeypatch, no_log_read), capsys)


FAKE_SSH = """#!%s
# The host at the other end of ssh: prints the next module answer (stdin, the module, is read and dropped).
import json, os, sys
sys.stdin.read()
answers = json.load(open(%r))
count_file = %r
n = int(open(count_file).read()) if os.path.exists(count_file) else 0
open(count_file, 'w').write(str(n + 1))
sys.stdout.write(json.dumps(answers[n]))
"""


def over_ssh(monkeypatch, capsys, no_log_read=True, tmp=None):
    import sys
    answers, count, fake = tmp / 'answers.json', tmp / 'count', tmp / 'ssh'
    answers.write_text(json.dumps(ANSWERS))
    fake.write_text(FAKE_SSH % (sys.executable, str(answers), str(count)))
    fake.chmod(0o700)
    options = {'ansible_host': 'ws1.corp.example.com', 'ansible_user': 'svc-ansible', 'ansible_ssh_executable': str(fake),
               'ansible_ssh_retries': 0}
    return run_logged(action_over('ssh', options, monkeypatch, no_log_read), capsys)


class Over(object):
    """Runs the read over one connection plugin (called like over_winrm); ``name`` is the plugin."""

    def __init__(self, name, tmp_path):
        self.name, self.tmp_path = name, tmp_path

    def __call__(self, monkeypatch, capsys, no_log_read=True):
        if self.name == 'ssh':
            return over_ssh(monkeypatch, capsys, no_log_read, self.tmp_path)
        return (over_winrm if self.name == 'winrm' else over_psrp)(monkeypatch, capsys, no_log_read)


@pytest.fixture(params=['winrm', 'psrp', 'ssh'])
def over(request, tmp_path):
    return Over(request.param, tmp_path)


def test_the_session_is_read_and_never_printed_at_verbosity_5(over, monkeypatch, capsys):
    # On an ansible-core whose winrm/psrp plugin predates ansible/ansible#86919 (the floor corner's 2.16.13), the
    # plugin refuses the read at -vvvvv instead: nothing is read, nothing printed.
    censors = {}
    real = plugin.connection_censors
    monkeypatch.setattr(plugin, 'connection_censors', lambda conn: censors.setdefault('value', real(conn)))
    try:
        result, log = over(monkeypatch, capsys)
    except plugin.AnsibleActionFail as exc:
        assert censors['value'] is False and 'even under no_log' in str(exc)
        assert not leaked(capsys.readouterr().out)
        return
    assert result['ansible_facts']['claude_session']['status'] == 'healthy', log[-2000:]
    assert result['remote_calls'] == 2
    assert 'censored due to no log' in log, 'the read went through the connection plugin censored'
    assert not leaked(log)


def test_without_no_log_on_the_read_the_connection_plugin_prints_it(over, monkeypatch, capsys):
    # The check above can fail: with the read's no_log (and the refusal of an uncensoring plugin) taken away, the
    # same run prints the session's base64.
    monkeypatch.setattr(plugin, 'connection_censors', lambda conn: True)
    _result, log = over(monkeypatch, capsys, no_log_read=False)
    assert leaked(log)


def test_no_log_alone_keeps_the_session_out_exactly_where_the_plugin_censors(over, monkeypatch, capsys):
    # Why the refusal: where the installed winrm/psrp plugin predates ansible/ansible#86919 (the floor corner's
    # 2.16.13), no_log on the read does not keep the session out of the -vvvvv log; where it censors, it does.
    probe = connection_loader.get(over.name, PlayContext(), None, shell=shell_loader.get('powershell'))
    censors = plugin.connection_censors(probe)
    monkeypatch.setattr(plugin, 'connection_censors', lambda conn: True)
    _result, log = over(monkeypatch, capsys)
    assert leaked(log) is (not censors), 'ansible-core %s, %s' % (plugin.ANSIBLE_CORE_VERSION, over.name)


def test_become_runas_reads_the_persons_own_profile(monkeypatch, capsys):
    # #26 item 4: with become runas (the recommended way), the modules run as the person and are asked for
    # %USERPROFILE%\\.claude, which they expand in that person's environment; nothing about the connecting account
    # chooses the path. Each module the plugin sends over winrm is wrapped for runas as CORP\\carol.
    host = WSMan(ANSWERS)

    def send_message(transport, message):
        return host(transport, message)

    monkeypatch.setattr(winrm.transport.Transport, 'send_message', send_message)
    action = action_over('winrm', WINRM, monkeypatch, become_user='CORP\\carol')
    result, log = run_logged(action, capsys, verbosity=4)  # -vvvv: allowed on every ansible-core we declare
    assert result['ansible_facts']['claude_session']['status'] == 'healthy', log[-2000:]
    sent = host.stdin.decode('utf-8', 'replace')
    # The wrapper's JSON holds the become user once per module (JSON-escaped), the stat's path as the plugin gave it.
    assert sent.count('CORP\\\\carol') == 2, 'both modules run as carol'
    assert '%USERPROFILE%\\\\.claude\\\\.credentials.json' in sent
    assert not leaked(log)
