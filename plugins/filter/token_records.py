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
    is_expired, needs_refresh, status}) plus C(kind) and C(detail), with status C(healthy), C(warning),
    C(critical), C(expired) or C(missing).
  - Also returns the worst status, a plain-text table, a Markdown report, and one alert event per problem
    (C(firing)) and, with O(resolved), one C(resolved) event per healthy source. Nothing is kept between runs; the
    receiver holds the alert state and closes an alert when its source reports resolved, so this works from AWX,
    where a job keeps no file for the next one.
author:
  - claudeops maintainers (@claudeops)
positional: _input, hostvars, clusters
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
  warning_within:
    description: Duration under which a source is C(warning).
    type: str
    default: 3d
  critical_within:
    description: Duration under which a source is C(critical).
    type: str
    default: 1d
  resolved:
    description: Also send a C(resolved) event for every healthy source.
    type: bool
    default: true
'''

EXAMPLES = r'''
- name: Build the status report
  ansible.builtin.set_fact:
    report: "{{ groups['claude_hosts'] | claudeops.credentials.token_records(hostvars, info.clusters, warning_within='3d') }}"
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
      description: Whether any record is C(critical), C(expired) or C(missing).
      type: bool
    table:
      description: The records as a plain-text table.
      type: str
    markdown:
      description: The records as a Markdown document.
      type: str
    events:
      description: Alert events, C({name, status, severity, description, source, labels}).
      type: list
      elements: dict
'''

import time

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import (
    COLUMNS,
    FAILING,
    events,
    markdown,
    record,
    worst,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._session import (
    DurationError,
    facts_of,
    format_table,
    iso_utc,
    parse_duration,
)


def _host_record(host, facts, now, warning, critical):
    if not facts:
        return record(host, 'host', None, now, warning, critical, present=False,
                      detail='no session facts: host unreachable or the capture failed')
    creds = facts.get('credentials') or {}
    problems = ' '.join(facts.get('problems') or [])
    if facts.get('status') in ('missing', 'invalid'):
        return record(host, 'host', None, now, warning, critical, present=False,
                      detail='%s: %s' % (facts.get('status'), problems))
    return record(host, 'host', creds.get('expires_at'), now, warning, critical)


def _cluster_record(info, now, warning, critical):
    name = info.get('name')
    if info.get('error'):
        return record(name, 'cluster', None, now, warning, critical, present=False, detail=info['error'])
    if not info.get('exists'):
        detail = 'no Secret %s/%s' % (info.get('namespace'), info.get('secret'))
        if info.get('namespace_exists') is False:
            detail += ' (the namespace does not exist)'
        return record(name, 'cluster', None, now, warning, critical, present=False, detail=detail)
    if info.get('status') == 'missing':  # present, but holding no credential key
        return record(name, 'cluster', None, now, warning, critical, present=False,
                      detail=info.get('detail') or 'the Secret holds no credentials')
    stale = ['%s/%s' % (w['kind'], w['name']) for w in info.get('workloads') or [] if not w.get('current')]
    detail = ('pods not on the current credentials: %s' % ', '.join(stale)) if stale else ''
    if not info.get('expires_at'):
        rec = record(name, 'cluster', None, now, warning, critical, detail=detail)
        rec.update(status='warning', needs_refresh=True,
                   detail=('expiry unknown (no claudeops.io/expires-at). ' + detail).strip())
        return rec
    return record(name, 'cluster', info['expires_at'], now, warning, critical, detail=detail)


def _records(hosts, hostvars, clusters, warning_within='3d', critical_within='1d', resolved=True):
    try:
        warning = parse_duration(warning_within, 'warning_within')
        critical = parse_duration(critical_within, 'critical_within')
    except DurationError as exc:
        raise AnsibleFilterError(str(exc))
    now = int(time.time())
    records = []
    for host in hosts or []:
        facts = facts_of(hostvars, host)
        records.append(_host_record(host, facts, now, warning, critical))
    for info in clusters or []:
        records.append(_cluster_record(info, now, warning, critical))
    generated = iso_utc(now)
    return {
        'generated_at': generated,
        'records': records,
        'worst': worst(records),
        'failing': any(r['status'] in FAILING for r in records),
        'table': format_table(records, list(COLUMNS)),
        'markdown': markdown(records, generated),
        'events': events(records, boolean(resolved, strict=False)),
    }


class FilterModule(object):

    def filters(self):
        return {'token_records': _records}
