# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: alert_requests
short_description: Turn the monitor's alert events into the requests a Keep, Alertmanager or plain webhook accepts
version_added: 0.1.0
description:
  - Takes the C(events) of P(claudeops.credentials.token_records#filter) and returns the HTTP requests that deliver
    them, each C({url, body, label}). C(label) says what the request carries, for task output; it holds nothing
    secret.
  - C(keep) sends one C(POST /alerts/event) per event, with the fields Keep's API requires (C(id), C(name),
    C(status), C(lastReceived), C(source) as a list) and the event's C(fingerprint). A later C(lastReceived) with
    C(status=resolved) closes the alert.
  - C(alertmanager) sends one C(POST /api/v2/alerts) with every event. The labels are C(alertname),
    C(credential_source), C(kind) and the static labels, so Alertmanager's fingerprint (the label set) is stable per
    source; severity, state and the description are annotations. A firing alert carries C(startsAt) now and
    C(endsAt) O(ttl) from now; a resolved one C(endsAt) now.
  - C(generic) sends one POST per event, the event as it is.
  - When O(url) names only a server (no path), the receiver's API path is added (C(/alerts/event),
    C(/api/v2/alerts)).
author:
  - claudeops maintainers (@claudeops)
positional: _input, format, url
options:
  _input:
    description: The C(events) list of P(claudeops.credentials.token_records#filter).
    type: list
    elements: dict
    required: true
  format:
    description: The receiver's API.
    type: str
    choices: [keep, alertmanager, generic]
    required: true
  url:
    description: The receiver's URL, or its server's (then the API path is added).
    type: str
    required: true
  ttl:
    description:
      - C(alertmanager) only. How long a firing alert stays firing without being sent again, as a duration such as
        C(25h). Make it longer than the monitor's schedule, or the alert resolves between two runs.
    type: str
    default: 25h
'''

EXAMPLES = r'''
- name: Deliver the monitor's events to Alertmanager
  ansible.builtin.uri:
    url: "{{ item.url }}"
    method: POST
    body_format: json
    body: "{{ item.body }}"
  loop: "{{ report.events | claudeops.credentials.alert_requests('alertmanager', 'http://alertmanager:9093') }}"
  loop_control:
    label: "{{ item.label }}"
'''

RETURN = r'''
_value:
  description: The requests, C({url, body, label}), in the order to send them.
  type: list
  elements: dict
'''

import time

from ansible.errors import AnsibleFilterError

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import alert_requests
from ansible_collections.claudeops.credentials.plugins.module_utils._time import parse_duration


def _requests(events, format, url, ttl='25h'):  # pylint: disable=redefined-builtin
    try:
        seconds = parse_duration(ttl, 'claudeops_alert_ttl')
        if seconds <= 0:
            raise InputError('claudeops_alert_ttl must be longer than 0, such as 25h (longer than the '
                             "monitor's schedule).")
        return alert_requests(events or [], format, url, time.time(), seconds)
    except InputError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):

    def filters(self):
        return {'alert_requests': _requests}
