# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""roles/login_hook/vars/main.yml rendered by ansible-core's templar: every spelling of a Windows connection or
shell takes the Windows branch (inventory/windows.example.yml names ansible.builtin.winrm)."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

try:
    from ansible.template import trust_as_template  # ansible-core 2.19 and later render only trusted templates
except ImportError:
    def trust_as_template(value):
        return value

VARS = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'roles', 'login_hook', 'vars', 'main.yml')


def windows(host_vars):
    with open(VARS) as handle:
        expression = yaml.safe_load(handle)['_claudeops_login_hook_windows']
    templar = Templar(loader=DataLoader(), variables=host_vars)
    value = templar.template(trust_as_template(expression))
    return value if isinstance(value, bool) else str(value).strip() == 'True'


@pytest.mark.parametrize('host_vars', [
    {'ansible_connection': 'winrm'},
    {'ansible_connection': 'ansible.builtin.winrm'},
    {'ansible_connection': 'ansible.legacy.winrm'},
    {'ansible_connection': 'psrp'},
    {'ansible_connection': 'ansible.builtin.psrp'},
    {'ansible_connection': 'ssh', 'ansible_shell_type': 'powershell'},
    {'ansible_connection': 'ansible.builtin.ssh', 'ansible_shell_type': 'cmd'},
    {'ansible_connection': 'ssh', 'ansible_shell_type': 'ansible.builtin.cmd'},
])
def test_every_spelling_of_a_windows_host_takes_the_windows_branch(host_vars):
    assert windows(host_vars) is True


@pytest.mark.parametrize('host_vars', [
    {}, {'ansible_connection': 'ssh'}, {'ansible_connection': 'local'},
    {'ansible_connection': 'ansible.builtin.ssh', 'ansible_shell_type': 'sh'},
    {'ansible_connection': 'community.docker.docker'},
])
def test_a_posix_host_takes_the_posix_branch(host_vars):
    assert windows(host_vars) is False
