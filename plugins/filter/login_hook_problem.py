# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: login_hook_problem
short_description: Check the login_hook role's settings against the listener's own rules
version_added: 0.1.0
description:
  - Returns an empty string when the settings are usable, else one sentence that names the variable to fix. The
    rules are those of the C(claudeops.credentials.login_signal) listener (the bearer token's length, the names it
    accepts), so the wrapper is never installed with settings the listener refuses.
  - The token is never quoted.
author:
  - claudeops maintainers (@claudeops)
positional: _input, token, host, user, windows
options:
  _input:
    description: The listener's URL, C(https://HOST:PORT/login); plain C(http://) only to loopback.
    type: str
    required: true
  token:
    description: The listener's bearer token.
    type: str
    required: true
  host:
    description: The inventory name the wrapper signals.
    type: str
    required: true
  user:
    description: The person who runs C(claude login) on the host.
    type: str
    default: ''
  windows:
    description: Whether the host is Windows, where O(user) is required.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Stop before anything is written when the settings would not work
  ansible.builtin.fail:
    msg: "{{ _problem }}"
  when: _problem | length > 0
  vars:
    _problem: >-
      {{ claudeops_login_hook_url | claudeops.credentials.login_hook_problem(claudeops_login_hook_token,
         inventory_hostname) }}
'''

RETURN = r'''
_value:
  description: An empty string, or the sentence that says what to fix.
  type: str
'''

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.claudeops.credentials.plugins.module_utils._signal import hook_problem


def _login_hook_problem(url, token, host, user='', windows=False):
    return hook_problem(url, token, host, user or '', boolean(windows, strict=False)) or ''


class FilterModule(object):

    def filters(self):
        return {'login_hook_problem': _login_hook_problem}
