# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The runner behind claude_secret_info: what each cluster holds, read-only, never a data value."""

from __future__ import annotations

import base64
import binascii
import time

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import (
    CREDENTIALS_FILE,
    CREDENTIAL_KEYS,
    SESSION_MAX_LIFETIME,
    credential_kind,
    refresh_token_present,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError, TargetError
from ansible_collections.claudeops.credentials.plugins.module_utils._k8s_api import (
    CLUSTER_ARGUMENT_SPEC,
    Cluster,
    FIELD_MANAGER,
    HAS_KUBERNETES,
    MERGE_PATCH,
    check_cluster_options,
    clusters_from_params,
    for_each_cluster,
    held_back,
    parse_workloads,
    read_secret,
    secret_path,
    template_annotation,
    workload_path,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import (
    expiry_status,
    session_status,
    thresholds,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._secret import (
    EXPIRES_AT,
    FINGERPRINT,
    MANAGED_BY,
    MANAGED_BY_LABEL,
    PREFIX,
    WORKLOAD_ANNOTATION,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._store_entries import STORE_SPEC
from ansible_collections.claudeops.credentials.plugins.module_utils._store_info import info_entries, inspect_stores
from ansible_collections.claudeops.credentials.plugins.module_utils._time import parse_iso_utc

INFO_ARGUMENT_SPEC = dict(
    name=dict(type='str', default='claude-session'),
    namespace=dict(type='str', default='claude'),
    workloads=dict(type='list', elements='raw', default=[]),
    warning_within=dict(type='str', default='30d'),
    critical_within=dict(type='str', default='7d'),
    session_warning_within=dict(type='str', default='1h'),
    session_critical_within=dict(type='str', default='15m'),
    session_max_lifetime=dict(type='str', default=SESSION_MAX_LIFETIME),
    check_write=dict(type='bool', default=False),
    stores=dict(type='list', elements='dict', options=STORE_SPEC),
)
INFO_ARGUMENT_SPEC.update(CLUSTER_ARGUMENT_SPEC)


def inspect_cluster(spec, params, workloads, now, th):
    """What one cluster holds. Never raises: a failure is in the entry's ``error``."""
    cluster = Cluster(spec, params['request_timeout'], params['retries'])
    namespace = spec.get('namespace') or params['namespace']
    out = {'name': spec['name'], 'namespace': namespace, 'secret': params['name'], 'reachable': False,
           'exists': False, 'namespace_exists': None, 'managed': False, 'annotations': {}, 'keys': [],
           'kind': None, 'refreshable': None, 'expires_at': None, 'expires_in': None, 'status': 'missing',
           'fingerprint': None, 'workloads': [],
           'can_write': None, 'error': None, 'error_code': None, 'http_status': None, 'detail': None}
    try:
        _inspect(cluster, out, params, workloads, now, th)
    except TargetError as err:
        out.update(error=str(err), error_code=err.code, http_status=err.status)
    except Exception as exc:  # a bug or an unforeseen answer: this cluster's error, not a traceback
        out.update(error='unexpected %s: %s' % (type(exc).__name__, exc), error_code='unexpected')
    if out['error'] and not out['reachable']:
        out['status'] = 'unreachable'
    out['requests'] = cluster.requests
    return out


def _session_bytes(obj):
    """The published ``.credentials.json`` (bytes, kept in this process only), or None."""
    raw = (obj.get('data') or {}).get(CREDENTIALS_FILE)
    try:
        return base64.b64decode(raw, validate=True) if isinstance(raw, str) else None
    except (binascii.Error, ValueError):
        return None


def _inspect(cluster, out, params, workloads, now, th):
    namespace, name = out['namespace'], out['secret']
    obj = read_secret(cluster, namespace, name)
    out['reachable'] = True
    if obj is not None:
        _describe_secret(out, obj, now, th)
    else:
        out['namespace_exists'] = _namespace_exists(cluster, namespace)
    for plural, wname in workloads:
        out['workloads'].append(_workload(cluster, namespace, plural, wname, out['fingerprint']))
    if params['check_write']:
        out['can_write'] = _can_write(cluster, namespace, name, obj is not None)


def _describe_secret(out, obj, now, th):
    """``out`` completed from the Secret read: ours or not, its kind, expiry and status; never a value."""
    meta = obj.get('metadata') or {}
    annotations = meta.get('annotations') or {}
    out.update(exists=True, namespace_exists=True,
               managed=(meta.get('labels') or {}).get(MANAGED_BY_LABEL) == MANAGED_BY,
               annotations=dict((k, v) for k, v in annotations.items() if k.startswith(PREFIX)),
               keys=sorted(obj.get('data') or {}), fingerprint=annotations.get(FINGERPRINT))
    expires = parse_iso_utc(annotations.get(EXPIRES_AT))
    if expires is not None:
        out.update(expires_at=annotations.get(EXPIRES_AT), expires_in=expires - now)
    if not set(out['keys']) & set(CREDENTIAL_KEYS):
        # Present but holding no credentials (emptied, or made by someone else): nothing a consumer can use.
        out['status'] = 'missing'
        out['detail'] = 'the Secret has no credential key (%s)' % ' or '.join(CREDENTIAL_KEYS)
        return
    out['kind'] = credential_kind(dict.fromkeys(out['keys']))
    if out['kind'] == 'session':
        raw = _session_bytes(obj)
        out['refreshable'] = raw is not None and refresh_token_present({CREDENTIALS_FILE: raw})
    if expires is None:
        out['status'] = 'unknown'  # a long-lived token without a known expiry is present, not missing
    elif out['kind'] == 'token':
        out['status'] = expiry_status(expires, now, th['warning_within'], th['critical_within'])
    else:
        out['status'], why = session_status(expires, now, out['refreshable'], th)
        out['detail'] = why or None


def _namespace_exists(cluster, namespace):
    """Whether the namespace exists (None when this account may not tell)."""
    try:
        cluster.request('GET', '/api/v1/namespaces/%s' % namespace, what='reading namespace %s' % namespace)
        return True
    except TargetError as err:
        if err.status == 404:
            return False
        if err.status == 403:
            return None
        raise


def _workload(cluster, namespace, plural, wname, fingerprint):
    """Whether a workload's pods are on the credentials of ``fingerprint``."""
    entry = {'kind': plural[:-1], 'name': wname, 'exists': False, 'fingerprint': None, 'current': False,
             'held': None}
    try:
        wobj = cluster.request('GET', workload_path(namespace, plural, wname),
                               what='reading %s/%s' % (plural[:-1], wname))[1]
        entry['exists'] = True
        entry['fingerprint'] = template_annotation(wobj, WORKLOAD_ANNOTATION)
        # a template that carries the fingerprint restarts nothing while the controller holds the pods back
        entry['held'] = held_back(plural, wobj)
        entry['current'] = (entry['fingerprint'] is not None and entry['fingerprint'] == fingerprint
                            and not entry['held'])
    except TargetError as err:
        if err.status != 404:
            entry.update(error=str(err), error_code=err.code, http_status=err.status)
    return entry


def _can_write(cluster, namespace, name, exists):
    """Whether this account may write the Secret, asked with a server-side dry run (nothing is written)."""
    body = {'apiVersion': 'v1', 'kind': 'Secret', 'type': 'Opaque',
            'metadata': {'name': name, 'namespace': namespace, 'labels': {MANAGED_BY_LABEL: MANAGED_BY}}}
    try:
        if exists:
            cluster.request('PATCH', secret_path(namespace, name), {'fieldManager': FIELD_MANAGER, 'dryRun': 'All'},
                            {'metadata': {'labels': {MANAGED_BY_LABEL: MANAGED_BY}}}, MERGE_PATCH,
                            what='dry-run write of Secret %s/%s' % (namespace, name))
        else:
            cluster.request('POST', secret_path(namespace), {'fieldManager': FIELD_MANAGER, 'dryRun': 'All'}, body,
                            what='dry-run create of Secret %s/%s' % (namespace, name))
        return True
    except TargetError as err:
        if err.status in (401, 403):
            return False
        if err.status == 404:
            return None  # the namespace is missing: permission cannot be told
        raise


def run(params):
    """claude_secret_info: the result. Raises InputError for bad input, before any request."""
    check_cluster_options(params)
    clusters = clusters_from_params(params)
    workloads = parse_workloads(params.get('workloads'), 'workloads')
    th = thresholds(params)
    stores = params.get('stores') or []
    entries = info_entries(stores)
    if not clusters and not stores:
        raise InputError('Give clusters, or kubeconfig/context/host for one cluster (or set K8S_AUTH_KUBECONFIG), '
                         'or stores.')
    if clusters and not HAS_KUBERNETES:
        raise InputError('The kubernetes Python package is required on the controller: pip install kubernetes.')
    now = int(time.time())
    results = for_each_cluster(clusters, params['parallel'],
                               lambda c: inspect_cluster(c, params, workloads, now, th))
    out = {'changed': False, 'clusters': results}
    if stores:
        out['stores'] = inspect_stores(entries, params['request_timeout'], now,
                                       lambda kind, expires, refreshable: _store_status(kind, expires, refreshable,
                                                                                        now, th))
    return out


def _store_status(kind, expires, refreshable, now, th):
    if kind == 'token':
        return expiry_status(expires, now, th['warning_within'], th['critical_within']), None
    status, why = session_status(expires, now, refreshable, th)
    return status, why or None
