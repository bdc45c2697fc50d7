# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: token_records
short_description: Turn capture-host facts and cluster Secret info into expiry status records and alert events
version_added: 0.1.0
description:
  - One record per capture host (from its C(claude_session) facts) and per cluster (from
    M(claudeops.credentials.claude_secret_info)), each C({source, expires_at, days_remaining, hours_remaining,
    is_expired, needs_refresh, status}) plus C(kind) (host or cluster), C(credential) (session or token) and
    C(detail), with status C(healthy), C(warning), C(critical), C(stale), C(expired) or C(missing).
  - Each credential is judged by what it is (see docs/operate.md in the collection). A long-lived token by its expiry against O(warning_within) and
    O(critical_within). A session with a refresh token is healthy even after its access token expired (whoever
    holds it renews it); on a cluster it is C(stale) when a capture host has held a newer session for longer than
    O(capture_interval) plus O(capture_grace), or when the last capture that reached it (the
    C(claudeops_last_capture) fact capture-tokens.yml leaves on the source host, which a fact cache such as AWX's
    keeps between jobs) is older than that, so it fails once captures stop. A session without a refresh token by
    its access token against O(session_warning_within) and O(session_critical_within). A session (in a cluster or
    a store) whose expiry lies further ahead than O(session_max_lifetime) is C(critical). A capture host whose
    session's access token expired but which holds a refresh token is C(warning) (idle; Claude Code renews it
    when next used).
  - Also returns the worst status, a plain-text table, a Markdown report, and one alert event per problem
    (C(firing)) and, with O(resolved), one C(resolved) event per healthy source. Nothing is kept between runs; the
    receiver holds the alert state and closes an alert when its source reports resolved, so this works from AWX,
    where a job keeps no file for the next one.
author:
  - claudeops maintainers (@claudeops)
positional: _input, hostvars, clusters
extends_documentation_fragment:
  - claudeops.credentials.thresholds
options:
  _input:
    description: Capture host names, such as C(groups['claude_hosts']).
    type: list
    elements: str
    required: true
  hostvars:
    description: The C(hostvars) magic variable.
    type: dict
    required: true
  clusters:
    description: The C(clusters) list returned by M(claudeops.credentials.claude_secret_info).
    type: list
    elements: dict
    required: true
  prefix:
    description:
      - Put before each option's name in an error, so that it names the variable the value came from (the monitor
        role gives C(claudeops_), and its errors name C(claudeops_warning_within), for example).
    type: str
    default: ''
  capture_interval:
    description:
      - How often the capture job runs. A cluster's session is C(warning) when a capture host has held a newer
        session for longer than this without it being published.
    type: str
    default: 6h
  capture_grace:
    description:
      - Added to O(capture_interval). A cluster's session is C(stale) (failing) when a newer session on a capture
        host has waited longer than the two together; captures have stopped or fail.
    type: str
    default: 2h
  resolved:
    description: Also send a C(resolved) event for every healthy source.
    type: bool
    default: true
  stores:
    description:
      - The C(stores) list returned by M(claudeops.credentials.claude_secret_info); each store gives a record of
        kind C(store).
    type: list
    elements: dict
    default: []
  labels:
    description:
      - Static labels added to every event and to its fingerprint, for example a label C(team) with the value
        C(platform). Names are letters, digits and C(_); values are strings. C(alertname), C(credential_source),
        C(kind) and C(state) are the monitor's own.
    type: dict
    default: {}
'''

EXAMPLES = r'''
- name: Build the status report
  ansible.builtin.set_fact:
    report: "{{ groups['claude_hosts'] | claudeops.credentials.token_records(hostvars, info.clusters, warning_within='30d') }}"
'''

RETURN = r'''
_value:
  description: The report.
  type: dict
  contains:
    generated_at:
      description: When the report was made, ISO 8601 UTC.
      type: str
    records:
      description: One status record per host and per cluster.
      type: list
      elements: dict
    worst:
      description: The worst status.
      type: str
    failing:
      description: Whether any record is C(critical), C(stale), C(expired) or C(missing).
      type: bool
    table:
      description: The records as a plain-text table.
      type: str
    markdown:
      description: The records as a Markdown document.
      type: str
    events:
      description:
        - Alert events, C({name, status, severity, description, source, fingerprint, credential, expires_at,
          labels}). C(fingerprint) is the same for a source in every run and status. The description never holds a
          token, a URL's user and password, or a file path.
        - P(claudeops.credentials.alert_requests#filter) turns them into what a given receiver accepts.
      type: list
      elements: dict
'''

import time

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import (
    COLUMNS,
    FAILING,
    check_labels,
    cluster_record,
    events,
    host_record,
    last_captures,
    markdown,
    overall_status,
    session_sources,
    store_record,
    thresholds,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._session import facts_of, hostvar
from ansible_collections.claudeops.credentials.plugins.module_utils._table import format_table
from ansible_collections.claudeops.credentials.plugins.module_utils._time import iso_utc


def _records(hosts, hostvars, clusters, warning_within='30d', critical_within='7d', session_warning_within='1h',
             session_critical_within='15m', capture_interval='6h', capture_grace='2h', resolved=True, stores=None,
             labels=None, session_max_lifetime='48h', prefix=''):
    given = dict(warning_within=warning_within, critical_within=critical_within,
                 session_warning_within=session_warning_within, session_critical_within=session_critical_within,
                 session_max_lifetime=session_max_lifetime, capture_interval=capture_interval,
                 capture_grace=capture_grace)
    try:
        th = thresholds(given, dict((key, prefix + key) for key in given))
        labels = check_labels(labels)  # before anything is read
    except InputError as exc:
        raise AnsibleFilterError(str(exc))
    now = int(time.time())
    facts = dict((host, facts_of(hostvars, host)) for host in hosts or [])
    records = [host_record(host, facts[host], now, th) for host in hosts or []]
    sources = session_sources(facts)
    captured = last_captures(hostvar(hostvars, host, 'claudeops_last_capture') for host in hosts or [])
    records.extend(cluster_record(info, now, th, sources, captured.get(info.get('name'))) for info in clusters or [])
    records.extend(store_record(info, now) for info in stores or [])
    generated = iso_utc(now)
    return {
        'generated_at': generated,
        'records': records,
        'worst': overall_status(records),
        'failing': any(r['status'] in FAILING for r in records),
        'table': format_table(records, list(COLUMNS)),
        'markdown': markdown(records, generated),
        'events': events(records, boolean(resolved, strict=False), labels),
    }


class FilterModule(object):

    def filters(self):
        return {'token_records': _records}
