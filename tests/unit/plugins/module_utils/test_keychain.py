# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""#30: a Mac's session in the login Keychain: the service name Claude Code uses, security's output and statuses."""

from __future__ import annotations

import pytest

from ansible_collections.claudeops.credentials.plugins.module_utils._keychain import (
    EXIT_STATUSES,
    fix,
    handoff_bytes,
    password_bytes,
    refusal,
    service_name,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._session import PROBLEM_CODES, suggest_fix


@pytest.mark.parametrize('environ, service', [
    ({}, 'Claude Code-credentials'),
    # Vectors published with a public reimplementation of Claude Code's builder; a trailing slash is another item.
    ({'CLAUDE_CONFIG_DIR': '/Users/test/.claude-work'}, 'Claude Code-credentials-03abf0ee'),
    ({'CLAUDE_CONFIG_DIR': '/Users/test/.claude-work/'}, 'Claude Code-credentials-8bd6f0f5'),
    # CLAUDE_SECURESTORAGE_CONFIG_DIR replaces it as the hashed directory; set empty, it gives the plain name.
    ({'CLAUDE_CONFIG_DIR': '/x', 'CLAUDE_SECURESTORAGE_CONFIG_DIR': '/Users/test/.claude-work'},
     'Claude Code-credentials-03abf0ee'),
    ({'CLAUDE_CONFIG_DIR': '/Users/test/.claude-work', 'CLAUDE_SECURESTORAGE_CONFIG_DIR': ''},
     'Claude Code-credentials'),
])
def test_the_service_is_the_one_claude_code_uses(environ, service):
    assert service_name(environ) == service


def test_the_directory_is_hashed_in_its_nfc_form():
    decomposed = {'CLAUDE_CONFIG_DIR': '/Users/jose\u0301/.claude'}
    composed = {'CLAUDE_CONFIG_DIR': '/Users/jos\u00e9/.claude'}
    assert service_name(decomposed) == service_name(composed) != service_name({'CLAUDE_CONFIG_DIR': '/Users/jose'})


def test_securitys_output_is_read_as_it_prints_it():
    assert password_bytes('{"claudeAiOauth": {}}\n') == b'{"claudeAiOauth": {}}'
    # security prints hex when any byte is not printable (a non-ASCII character in the JSON).
    raw = '{"subscriptionType": "pr\u00f3"}'.encode('utf-8')
    assert password_bytes(raw.hex() + '\n') == raw
    assert handoff_bytes(raw.hex().encode() + b'\n') == raw
    assert handoff_bytes(b'{"claudeAiOauth": {}}\n') == b'{"claudeAiOauth": {}}\n'


@pytest.mark.parametrize('rc, code', [(44, 'keychain_item_missing'), (36, 'keychain_locked'), (51, 'keychain_denied'),
                                      (128, 'keychain_denied'), (25, 'keychain_error'), (None, 'keychain_error')])
def test_each_status_of_security_is_its_own_problem_with_a_fix(rc, code):
    problem = refusal(rc, 'Claude Code-credentials', 'alice', 'security: sk-ant-oat01-CANARYKC leaked?')
    assert problem.code == code and code in PROBLEM_CODES
    assert problem.text.startswith('keychain:Claude Code-credentials (account alice): ')
    assert 'CANARYKC' not in problem.text
    facts = {'status': 'invalid', 'problem_codes': [code],
             'keychain': {'service': 'Claude Code-credentials', 'account': 'alice'}}
    assert suggest_fix(facts, 'mac1') == fix(code, 'Claude Code-credentials', 'alice', 'mac1')
    assert 'mac1' in suggest_fix(facts, 'mac1')


def test_every_status_table_entry_has_a_fix():
    for code, _what in EXIT_STATUSES.values():
        assert fix(code, 's', 'a', 'h')
    assert fix('file_missing', 's', 'a', 'h') is None
