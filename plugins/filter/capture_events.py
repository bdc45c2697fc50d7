# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: capture_events
short_description: The alert event of a capture that a login signal started
version_added: 0.1.0
description:
  - Returns one alert event per host, in the form of the C(events) of P(claudeops.credentials.token_records#filter),
    for the capture of the hosts given as input. An event is C(firing) (severity C(critical), kind C(capture)) when
    O(failure) says why the capture failed, and C(resolved) when it is empty. Its fingerprint is the same in both, so a capture that succeeds closes the
    alert of one that failed.
  - C(capture-tokens.yml) sends it when C(rulebooks/publish-on-login.yml) started the capture and
    C(claudeops_alert_webhook) is set; give it to P(claudeops.credentials.alert_requests#filter).
  - O(failure) is reduced to plain text, with anything shaped like a token or a path taken out.
author:
  - claudeops maintainers (@claudeops)
positional: _input
options:
  _input:
    description: The capture host's inventory name, or a list of them.
    type: raw
    required: true
  failure:
    description: Why the capture failed; empty when it succeeded.
    type: str
    default: ''
  labels:
    description: The operator's static labels (C(claudeops_alert_labels)), added to the event and its fingerprint.
    type: dict
    default: {}
'''

EXAMPLES = r'''
- name: Tell the receiver that the capture of ws1 failed
  ansible.builtin.uri:
    url: "{{ item.url }}"
    method: POST
    body_format: json
    body: "{{ item.body }}"
  loop: "{{ 'ws1' | claudeops.credentials.capture_events(failure='No capture host has a usable session.')
            | claudeops.credentials.alert_requests('keep', 'https://keep.example.com') }}"
'''

RETURN = r'''
_value:
  description: One event per host, with C(name), C(status), C(severity), C(description), C(source), C(fingerprint) and C(labels).
  type: list
  elements: dict
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import capture_record, events


def _events(hosts, failure='', labels=None):
    hosts = [hosts] if isinstance(hosts, str) else list(hosts or [])
    if not all(isinstance(host, str) and host for host in hosts):
        raise AnsibleFilterError("capture_events: give capture hosts' inventory names, not %r" % (hosts,))
    try:
        return events([capture_record(host, failure or None) for host in hosts], True, labels)
    except InputError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):

    def filters(self):
        return {'capture_events': _events}
