# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: select_session
short_description: Pick the capture host whose Claude Code session expires last
version_added: 0.1.0
description:
  - Takes a list of host names and the C(hostvars) of the play and reads each host's C(claude_session) facts
    (from M(claudeops.credentials.claude_session_facts)).
  - Among the hosts whose status is C(healthy) or C(expiring), the one with the latest C(expires_at) wins; ties go
    to the host name that sorts first. Hosts without facts (unreachable, or the capture failed) are reported as
    C(unreachable).
  - A host whose C(claudeops_capture_verdict) fact (set by the C(claudeops.credentials.capture) role) says it failed a
    capture check, such as C(claudeops_min_valid_for), is never chosen, whatever its session status.
  - Never reads or returns any token.
author:
  - claudeops maintainers (@claudeops)
positional: _input, hostvars
options:
  _input:
    description: Host names to choose from, for example C(groups['claude_hosts']).
    type: list
    elements: str
    required: true
  hostvars:
    description: The C(hostvars) magic variable.
    type: dict
    required: true
'''

EXAMPLES = r'''
- name: Choose the freshest session
  ansible.builtin.set_fact:
    selection: "{{ groups['claude_hosts'] | claudeops.credentials.select_session(hostvars) }}"
'''

RETURN = r'''
_value:
  description: The choice and the reasons.
  type: dict
  contains:
    winner:
      description: The chosen host, or null when no host has a usable session.
      type: str
    expires_at:
      description: Expiry of the chosen session, ISO 8601 UTC.
      type: str
    reasons:
      description: For each host, why it won or lost.
      type: dict
    rows:
      description: One row per host, with C(host), C(status), C(expires_at), C(problems), C(usable) and C(idle).
      type: list
      elements: dict
    idle:
      description:
        - The idle host whose session expires last, or null. Idle means its access token expired but it holds a
          refresh token; Claude Code there renews it when next used. Capture does not publish it.
      type: str
    idle_expires_at:
      description: Expiry of that idle session's access token, ISO 8601 UTC, or null.
      type: str
    table:
      description: The rows as a plain-text table, for the job log.
      type: str
'''

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.claudeops.credentials.plugins.module_utils._session import facts_of, hostvar, select_session
from ansible_collections.claudeops.credentials.plugins.module_utils._table import format_table


def _verdict(hostvars, host):
    """The capture role's ``claudeops_capture_verdict`` of ``host`` ({passed, problem}), or {} when it has none."""
    verdict = hostvar(hostvars, host, 'claudeops_capture_verdict')
    if not isinstance(verdict, dict):
        return {}
    # Templated values may arrive as the strings 'True'/'False' on older cores.
    return {'passed': boolean(verdict.get('passed'), strict=False), 'problem': verdict.get('problem')}


def _select(hosts, hostvars):
    if not isinstance(hosts, (list, tuple)):
        raise AnsibleFilterError('select_session expects a list of host names, such as groups[\'claude_hosts\'].')
    candidates = []
    for host in hosts:
        facts = facts_of(hostvars, host) or {}
        creds = facts.get('credentials') or {}
        verdict = _verdict(hostvars, host)
        candidates.append({'host': host, 'status': facts.get('status'), 'expires_at': creds.get('expires_at'),
                           'problems': facts.get('problems') or [], 'passed': verdict.get('passed'),
                           'refreshable': bool(creds.get('has_refresh_token')),
                           'failed_check': verdict.get('problem')})
    choice = select_session(candidates)
    rows = [dict(row, reason=choice['reasons'][row['host']]) for row in choice['rows']]
    choice['table'] = format_table(rows, [('host', 'HOST'), ('status', 'STATUS'), ('expires_at', 'EXPIRES AT'),
                                          ('reason', 'DECISION')])
    return choice


class FilterModule(object):

    def filters(self):
        return {'select_session': _select}
