# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What claude_session_facts sends to and reads from ansible.windows, checked against the ansible.windows installed
beside these tests (its modules' own DOCUMENTATION and RETURN). make test runs this with the newest ansible.windows
(from the ansible package) and with the oldest that galaxy.yml declares (the corners), so a module option or return
value we use that a declared release lacks fails here."""

from __future__ import annotations

import ast
import json
import os
import sys

import pytest
import yaml

from ansible_collections.claudeops.credentials.plugins.action.claude_session_facts import _MODULES

# The arguments the plugin sends (see ActionModule._stat_raw, _read and _environment) and the result paths it reads.
SENT = {
    'win_stat': {'path', 'get_checksum', 'follow', 'get_size'},
    'slurp': {'src'},
    'win_user_profile': {'username', 'state'},
    'win_reg_stat': {'path', 'name'},
}
READ = {
    'win_stat': {'stat.exists', 'stat.isdir', 'stat.isreg', 'stat.islnk', 'stat.isjunction', 'stat.lnk_source',
                 'stat.lnk_target', 'stat.size', 'stat.lastwritetime', 'stat.path'},
    'slurp': {'content'},
    'win_user_profile': {'path'},
    'win_reg_stat': {'exists', 'raw_value'},
}


def windows_root():
    for entry in sys.path:
        root = os.path.join(entry, 'ansible_collections', 'ansible', 'windows')
        if os.path.isfile(os.path.join(root, 'MANIFEST.json')):
            return root
    pytest.fail('ansible.windows is not installed, yet galaxy.yml declares it; install the ansible package')


def documentation(module):
    base = os.path.join(windows_root(), 'plugins', 'modules', module)
    if os.path.exists(base + '.yml'):
        with open(base + '.yml') as handle:
            doc = yaml.safe_load(handle)
        return doc.get('DOCUMENTATION') or {}, yaml.safe_load(doc['RETURN']) if isinstance(doc.get('RETURN'), str) \
            else doc.get('RETURN') or {}
    with open(base + '.py') as handle:
        tree = ast.parse(handle.read())
    strings = dict((node.targets[0].id, node.value.value) for node in tree.body
                   if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant))
    return yaml.safe_load(strings['DOCUMENTATION']), yaml.safe_load(strings.get('RETURN') or '{}') or {}


def installed_version():
    with open(os.path.join(windows_root(), 'MANIFEST.json')) as handle:
        return json.load(handle)['collection_info']['version']


def test_the_plugin_calls_the_modules_checked_here():
    assert _MODULES['windows'] == {'stat': 'ansible.windows.win_stat', 'slurp': 'ansible.windows.slurp',
                                   'profile': 'ansible.windows.win_user_profile',
                                   'registry': 'ansible.windows.win_reg_stat'}


def declared_floor():
    with open(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'galaxy.yml')) as handle:
        spec = yaml.safe_load(handle)['dependencies']['ansible.windows']
    return tuple(int(p) for p in spec.lstrip('>=').split('.'))


@pytest.mark.parametrize('module', sorted(SENT))
def test_the_declared_floor_has_every_module_we_call(module):
    doc, _returns = documentation(module)
    added = tuple(int(p) for p in str(doc.get('version_added') or '0.0.0').split('.'))
    assert added <= declared_floor(), '%s was added in ansible.windows %s, after the floor galaxy.yml declares' % (
        module, doc.get('version_added'))


def test_the_profile_lookup_can_run_in_check_mode():
    # The plugin runs win_user_profile in check mode so that it never creates a profile: the module must support it
    # (read from its source: Ansible.Basic fails a module without supports_check_mode when asked for check mode).
    with open(os.path.join(windows_root(), 'plugins', 'modules', 'win_user_profile.ps1')) as handle:
        source = handle.read()
    assert 'supports_check_mode = $true' in source
    assert 'if ($module.CheckMode)' in source, 'check mode must skip CreateProfile'


@pytest.mark.parametrize('module', sorted(SENT))
def test_every_argument_we_send_is_an_option_of_the_installed_module(module):
    doc, _returns = documentation(module)
    options = set(doc.get('options') or {})
    for option in (doc.get('options') or {}).values():
        options.update(option.get('aliases') or [])
    missing = SENT[module] - options
    assert not missing, 'ansible.windows %s: %s has no option %s' % (installed_version(), module, sorted(missing))


@pytest.mark.parametrize('module', sorted(READ))
def test_every_result_we_read_is_documented_by_the_installed_module(module):
    _doc, returns = documentation(module)
    for path in READ[module]:
        node = returns
        for part in path.split('.'):
            assert part in node, 'ansible.windows %s: %s does not return %s' % (installed_version(), module, path)
            node = node[part].get('contains') or {}


# What every module result may carry besides its documented return values (Ansible.Basic and the wrapper add them).
COMMON = ('changed', 'failed', 'msg', 'ansible_facts', 'invocation', 'warnings', 'deprecations', 'exception')


def keys_documented(result, returns, where):
    for key, value in result.items():
        if key in COMMON:
            continue
        assert key in returns, '%s: %s is not a return value of the installed ansible.windows %s' % (
            where, key, installed_version())
        contains = returns[key].get('contains')
        if isinstance(value, dict) and contains:
            keys_documented(value, contains, '%s.%s' % (where, key))


def test_the_prepared_windows_results_have_the_shape_the_modules_return():
    data_path = os.path.join(os.path.dirname(__file__), '..', '..', 'test_data', 'windows_results.json')
    with open(data_path) as handle:
        data = json.load(handle)
    assert 'nothing here was recorded' in data['_comment']
    for module in ('win_stat', 'slurp', 'win_user_profile', 'win_reg_stat'):
        doc, returns = documentation(module)
        for path, results in data[module].items():
            for result in results if isinstance(results, list) else [results]:  # a list: answers in order
                keys_documented(result, returns, '%s %s' % (module, path))
                args = (result.get('invocation') or {}).get('module_args') or {}
                options = set(doc.get('options') or {})
                assert set(args) <= options, '%s %s: invocation holds %s, not options of the installed module' % (
                    module, path, sorted(set(args) - options))
                if module not in ('slurp', 'win_reg_stat') and not (result.get('failed') and 'unable to convert' in result.get('msg', '')):
                    assert set(args) == options, '%s %s: Ansible.Basic gives every option in invocation' % (module, path)
    for key in ('setup', 'setup_claude_config_dir'):
        assert set(data[key]['ansible_facts']['ansible_env']) >= {'USERPROFILE'}
