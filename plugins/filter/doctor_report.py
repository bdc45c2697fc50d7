# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: doctor_report
short_description: Turn capture-host facts and cluster info into the doctor's checks, each failing one with its fix
version_added: 0.1.0
description:
  - Rows for each capture host (reachable, session usable) and each cluster (reachable and readable, namespace,
    permission to write the Secret, Secret present, Secret fresh, workloads on the current credentials), and each
    secret store (reachable with its client, credentials stored, credentials fresh).
  - Each row is C({check, target, result, detail, fix}), C(result) being C(ok), C(warn) or C(FAIL).
author:
  - claudeops maintainers (@claudeops)
positional: _input, hostvars, clusters
options:
  _input:
    description: Capture host names.
    type: list
    elements: str
    required: true
  hostvars:
    description: The C(hostvars) magic variable.
    type: dict
    required: true
  clusters:
    description: The C(clusters) list of M(claudeops.credentials.claude_secret_info) run with C(check_write=true).
    type: list
    elements: dict
    required: true
  stores:
    description: The C(stores) list of M(claudeops.credentials.claude_secret_info).
    type: list
    elements: dict
    default: []
'''

EXAMPLES = r'''
- name: Build the doctor's table
  ansible.builtin.set_fact:
    doctor: "{{ groups['claude_hosts'] | claudeops.credentials.doctor_report(hostvars, info.clusters) }}"
'''

RETURN = r'''
_value:
  description: The checks.
  type: dict
  contains:
    rows:
      description: One row per check.
      type: list
      elements: dict
    failed:
      description: Number of failing checks.
      type: int
    table:
      description: The rows as a plain-text table.
      type: str
'''

from ansible_collections.claudeops.credentials.plugins.module_utils._session import facts_of, suggest_fix
from ansible_collections.claudeops.credentials.plugins.module_utils._store_entries import BACKENDS
from ansible_collections.claudeops.credentials.plugins.module_utils._table import format_table

_CAPTURE = 'run playbooks/capture-tokens.yml (or playbooks/publish-oauth-token.yml for the long-lived token)'


def _row(check, target, result, detail='', fix=''):
    return {'check': check, 'target': target, 'result': result, 'detail': detail, 'fix': fix if result != 'ok' else ''}


def _host_rows(host, facts):
    if not facts:
        return [_row('host reachable', host, 'FAIL', 'no answer, or the inspection failed',
                     'check the connection variables (WinRM port, credentials, certificate) and that the host is up')]
    rows = [_row('host reachable', host, 'ok', facts.get('path', ''))]
    status = facts.get('status')
    result = 'ok' if status == 'healthy' else 'warn' if status == 'expiring' else 'FAIL'
    problems = ' '.join(facts.get('problems') or [])
    expires = (facts.get('credentials') or {}).get('expires_at')
    detail = '%s: %s' % (status, problems) if problems else '%s, expires %s' % (status, expires) if expires else status
    rows.append(_row('session usable', host, result, detail, suggest_fix(facts, host)))
    return rows


# The fix for a cluster that could not be reached, by claude_secret_info's error_code.
_UNREACHABLE_FIXES = {'tls': 'fix ca_cert or the kubeconfig CA', 'unauthorized': 'fix the token or kubeconfig user'}


def _cluster_rows(info):
    name = info.get('name')
    error = info.get('error') or ''
    code = info.get('error_code')
    if not info.get('reachable'):
        fix = _UNREACHABLE_FIXES.get(code, 'check the API server address and the network from the controller')
        return [_row('cluster reachable', name, 'FAIL', error, fix)]
    rows = [_row('cluster reachable', name, 'ok')]
    if code == 'forbidden':
        rows.append(_row('can read Secret', name, 'FAIL', error, 'grant get on secrets in the namespace'))
        return rows
    rows.append(_row('can read Secret', name, 'ok'))
    ns = '%s/%s' % (info.get('namespace'), info.get('secret'))
    if info.get('namespace_exists') is False:
        rows.append(_row('namespace exists', name, 'FAIL', info.get('namespace'),
                         'create it (kubectl create namespace %s) or set create_namespace: true when publishing'
                         % info.get('namespace')))
    can_write = info.get('can_write')
    rows.append(_row('can write Secret', name, 'ok' if can_write else 'FAIL' if can_write is False else 'warn',
                     'dry-run write %s' % ('allowed' if can_write else 'refused' if can_write is False else 'not decidable'),
                     'grant create, patch and delete on secrets in namespace %s to the publishing account'
                     % info.get('namespace')))
    if not info.get('exists'):
        rows.append(_row('Secret present', name, 'FAIL', 'no Secret %s' % ns, _CAPTURE))
        return rows
    if info.get('status') == 'missing':
        why = info.get('detail') or 'holds no credentials'
        rows.append(_row('Secret present', name, 'FAIL', '%s exists but %s' % (ns, why), _CAPTURE))
        return rows
    rows.append(_row('Secret present', name, 'ok', ns))
    status = info.get('status')
    result = {'healthy': 'ok', 'warning': 'warn', 'unknown': 'warn'}.get(status, 'FAIL')
    rows.append(_row('Secret fresh', name, result, '%s, expires %s' % (status, info.get('expires_at') or 'unknown'),
                     _CAPTURE))
    for work in info.get('workloads') or []:
        target = '%s %s/%s' % (name, work.get('kind'), work.get('name'))
        if not work.get('exists'):
            rows.append(_row('workload exists', target, 'FAIL', work.get('error') or 'not found',
                             'fix the workload name in claudeops_restart'))
        elif work.get('held'):
            # the template carries the fingerprint, but the controller does not replace the pods: the fix is its own
            rows.append(_row('workload on current credentials', target, 'FAIL', 'pods not replaced: %s'
                             % work['held'].split(' (', 1)[0], work['held'].rsplit(' (', 1)[-1].rstrip(')')))
        else:
            rows.append(_row('workload on current credentials', target, 'ok' if work.get('current') else 'FAIL',
                             'fingerprint %s' % ('current' if work.get('current') else 'stale or unset'),
                             'publish again with claudeops_restart, or kubectl rollout restart %s/%s'
                             % (work.get('kind'), work.get('name'))))
    return rows


def _store_rows(info):
    name = info.get('name')
    error = info.get('error') or ''
    if not info.get('reachable'):
        fix = ('pip install %s' % BACKENDS[info['backend']][0].CLIENT[0]
               if info.get('error_code') == 'missing_client' and info.get('backend') in BACKENDS else
               'check the store\'s url, its token or client credentials, and the policy in docs/stores.md')
        return [_row('store reachable', name, 'FAIL', error, fix)]
    rows = [_row('store reachable', name, 'ok', info.get('backend') or '')]
    if not info.get('exists'):
        rows.append(_row('credentials stored', name, 'FAIL', info.get('detail') or 'nothing stored',
                         _CAPTURE + ' with claudeops_stores'))
        return rows
    rows.append(_row('credentials stored', name, 'ok', info.get('kind') or ''))
    status = info.get('status')
    result = 'ok' if status == 'healthy' else 'warn' if status in ('warning', 'unknown') else 'FAIL'
    rows.append(_row('stored credentials fresh', name, result, '%s, expires %s' % (status, info.get('expires_at')),
                     _CAPTURE + ' with claudeops_stores'))
    return rows


def _report(hosts, hostvars, clusters, stores=None):
    rows = []
    for host in hosts or []:
        facts = facts_of(hostvars, host)
        rows.extend(_host_rows(host, facts))
    for info in clusters or []:
        rows.extend(_cluster_rows(info))
    for info in stores or []:
        rows.extend(_store_rows(info))
    columns = [('result', 'RESULT'), ('check', 'CHECK'), ('target', 'TARGET'), ('detail', 'DETAIL'), ('fix', 'FIX')]
    return {'rows': rows, 'failed': sum(1 for r in rows if r['result'] == 'FAIL'), 'table': format_table(rows, columns)}


class FilterModule(object):

    def filters(self):
        return {'doctor_report': _report}
