# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: to_seconds
short_description: Convert a duration such as 3d, 12h or 90m to seconds
version_added: 0.1.0
description:
  - Accepts a number followed by C(w), C(d), C(h), C(m) or C(s), combinations such as C(1d12h), or a plain number
    of seconds. This is the duration syntax of every C(*_within), C(expiry_warning) and C(min_valid_for) setting
    of this collection.
author:
  - claudeops maintainers (@claudeops)
positional: _input, name
options:
  _input:
    description: The duration.
    type: raw
    required: true
  name:
    description: The name of the setting the duration came from, so that an error names it.
    type: str
    default: duration
'''

EXAMPLES = r'''
- name: Twelve hours in seconds (43200)
  ansible.builtin.debug:
    msg: "{{ '12h' | claudeops.credentials.to_seconds }}"

- name: A variable's duration; a bad value fails naming the variable
  ansible.builtin.debug:
    msg: "{{ claudeops_min_valid_for | claudeops.credentials.to_seconds('claudeops_min_valid_for') }}"
'''

RETURN = r'''
_value:
  description: The duration in seconds.
  type: int
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._time import parse_duration


def _to_seconds(value, name='duration'):
    try:
        return parse_duration(value, name)
    except InputError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):

    def filters(self):
        return {'to_seconds': _to_seconds}
