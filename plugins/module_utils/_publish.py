# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The runner behind claude_secret: validate everything, build the desired Secret once, then apply the one
decision of ``_secret.decide`` to each target (the manifest file and/or each cluster)."""

from __future__ import annotations

import time

from ansible_collections.claudeops.credentials.plugins.module_utils import _manifest
from ansible_collections.claudeops.credentials.plugins.module_utils._k8s import (
    CLUSTER_ARGUMENT_SPEC,
    FIELD_MANAGER,
    Cluster,
    ClusterError,
    cluster_inputs,
    for_each_cluster,
    read_secret,
    secret_path,
    workload_path,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._secret import (
    MANAGED_BY,
    MANAGED_BY_LABEL,
    WORKLOAD_ANNOTATION,
    SecretInputError,
    build_data,
    build_secret,
    credentials_expiry,
    decide,
    decode_data,
    desired_metadata,
    fingerprint,
    masked_view,
    refresh_token_present,
    validate_name,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._session import iso_utc, parse_iso_utc

PUBLISH_ARGUMENT_SPEC = dict(
    name=dict(type='str', default='claude-session'),
    namespace=dict(type='str', default='claude'),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    files=dict(type='dict', no_log=True),
    oauth_token=dict(type='str', no_log=True),
    onboarding=dict(type='bool', default=True),
    expires_at=dict(type='str'),
    dest=dict(type='path'),
    labels=dict(type='dict', default={}),
    annotations=dict(type='dict', default={}),
    source_host=dict(type='str'),
    prevent_downgrade=dict(type='bool', default=True),
    create_namespace=dict(type='bool', default=False),
    restart=dict(type='list', elements='raw', default=[]),
)
PUBLISH_ARGUMENT_SPEC.update(CLUSTER_ARGUMENT_SPEC)
MAX_CONFLICTS = 5


class Desired(object):
    """Everything about the Secret we want, computed once before any target is touched."""

    def __init__(self, params, now):
        # params['name'] and params['namespace'] are validated by run(), before anything else.
        self.name = params['name']
        self.namespace = params['namespace']
        self.data = build_data(params.get('files'), params.get('oauth_token'), params.get('onboarding', True))
        expires = credentials_expiry(self.data)
        if params.get('expires_at'):
            expires = parse_iso_utc(params['expires_at'])
            if expires is None:
                raise SecretInputError("expires_at: '%s' is not an ISO 8601 time such as 2027-01-24T06:18:47Z."
                                       % params['expires_at'])
        self.expires_at = expires
        self.fingerprint = fingerprint(self.data)
        self.labels, self.annotations = desired_metadata(
            self.data, params.get('labels'), params.get('annotations'), params.get('source_host'), expires, now)

    def state(self, annotations=None):
        return {'data': self.data, 'labels': self.labels, 'annotations': annotations or self.annotations,
                'expires_at': self.expires_at}

    def secret(self, annotations, namespace=None):
        return build_secret(self.name, namespace or self.namespace, self.data, self.labels, annotations)


def _diff(header, existing, desired_state, action):
    before = masked_view(existing)
    after = {} if action in ('deleted', 'absent') else masked_view(desired_state)
    if action in ('skipped',):
        after = before
    return {'before_header': header, 'after_header': header, 'before': before, 'after': after}


def publish_manifest(desired, params, check_mode):
    """Apply the decision to the manifest file at ``dest``. Returns (entry, diff)."""
    path = params['dest']
    existing = _manifest.read_state(path)
    state = params['state']
    if state == 'absent':
        action, msg, annotations, changes = decide(existing, None, 'absent')
        if action == 'deleted' and not check_mode:
            _manifest.remove(path)
        return _entry(path, action, msg), _diff(path, existing, None, action)
    action, msg, annotations, changes = decide(existing, desired.state(), 'present', params['prevent_downgrade'])
    if action in ('created', 'updated', 'unchanged'):
        text = _manifest.render(desired.secret(annotations))
        if existing is not None and existing['text'] == text:
            action, msg = 'unchanged', 'manifest already up to date'
        elif action == 'unchanged':
            # Same content and metadata, different layout (hand-edited): rewrite in our canonical form.
            action, msg = 'updated', 'manifest rewritten in canonical form'
        if action != 'unchanged' and not check_mode:
            _manifest.write_atomic(path, text)
    return _entry(path, action, msg), _diff(path, existing, desired.state(annotations), action)


def _entry(name, action, msg):
    return {'name': name, 'action': action, 'changed': action in ('created', 'updated', 'deleted'), 'msg': msg}


def state_of(obj):
    """A Secret object from the API as the ``existing`` that ``decide`` takes."""
    if obj is None:
        return None
    meta = obj.get('metadata') or {}
    owned = set()
    for entry in meta.get('managedFields') or []:
        if entry.get('manager') == FIELD_MANAGER:
            owned.update(k[2:] for k in ((entry.get('fieldsV1') or {}).get('f:data') or {}) if k.startswith('f:'))
    return {'data': decode_data(obj.get('data')), 'labels': meta.get('labels') or {},
            'annotations': meta.get('annotations') or {}, 'rv': meta.get('resourceVersion'), 'owned_data': owned}


def _apply(cluster, namespace, secret, rv, dry):
    body = dict(secret, metadata=dict(secret['metadata'], resourceVersion=rv))
    query = {'fieldManager': FIELD_MANAGER, 'force': 'true'}
    if dry:
        query['dryRun'] = 'All'
    name = secret['metadata']['name']
    return cluster.request('PATCH', secret_path(namespace, name), query, body, 'application/apply-patch+yaml',
                           what='applying Secret %s/%s' % (namespace, name))


def _create(cluster, namespace, secret, dry, create_namespace):
    """Reserve the name with a data-less POST (409 when someone else created it first), then apply the data with
    server-side apply on that resourceVersion, so the data keys belong to our apply field manager alone."""
    name = secret['metadata']['name']
    what = 'creating Secret %s/%s' % (namespace, name)
    placeholder = {'apiVersion': 'v1', 'kind': 'Secret', 'type': 'Opaque',
                   'metadata': {'name': name, 'namespace': namespace, 'labels': {MANAGED_BY_LABEL: MANAGED_BY}}}
    query = {'fieldManager': FIELD_MANAGER}
    if dry:
        query['dryRun'] = 'All'
    for attempt in (1, 2):
        try:
            if dry:
                return cluster.request('POST', secret_path(namespace), query, secret, what=what)
            created = cluster.request('POST', secret_path(namespace), query, placeholder, what=what)[1]
            return _apply(cluster, namespace, secret, created['metadata']['resourceVersion'], dry)
        except ClusterError as err:
            if err.status != 404 or attempt == 2:
                raise
            if not create_namespace:
                raise ClusterError("namespace '%s' does not exist: create it, or set create_namespace: true"
                                   % namespace)
            ns_query = {'dryRun': 'All'} if dry else {}
            try:
                cluster.request('POST', '/api/v1/namespaces', ns_query,
                                {'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': namespace}},
                                what='creating namespace %s' % namespace)
            except ClusterError as ns_err:
                if ns_err.status != 409:
                    raise
            if dry:
                return None, None


def _restart(cluster, namespace, workloads, fp, dry):
    patch = {'spec': {'template': {'metadata': {'annotations': {WORKLOAD_ANNOTATION: fp}}}}}
    done = []
    for plural, name in workloads:
        query = {'fieldManager': FIELD_MANAGER}
        if dry:
            query['dryRun'] = 'All'
        cluster.request('PATCH', workload_path(namespace, plural, name), query, patch, 'application/merge-patch+json',
                        what='restarting %s/%s' % (plural[:-1], name))
        done.append('%s/%s' % (plural[:-1], name))
    return done


def publish_cluster(spec, desired, params, check_mode, workloads):
    """Apply the decision to one cluster. Never raises: a failure is this cluster's ``failed`` entry."""
    cluster = Cluster(spec, params['request_timeout'], params['retries'])
    namespace = spec.get('namespace') or params['namespace']
    name = params['name']
    header = 'cluster %s: Secret %s/%s' % (spec['name'], namespace, name)
    existing = None
    try:
        for _attempt in range(MAX_CONFLICTS):
            existing = state_of(read_secret(cluster, namespace, name))
            if params['state'] == 'absent':
                action, msg, _ann, _changes = decide(existing, None, 'absent')
                if action == 'deleted':
                    if existing['labels'].get(MANAGED_BY_LABEL) != MANAGED_BY:
                        raise ClusterError('Secret %s/%s exists but is not managed by %s; left alone'
                                           % (namespace, name, MANAGED_BY))
                    query = {'dryRun': 'All'} if check_mode else {}
                    try:
                        cluster.request('DELETE', secret_path(namespace, name), query,
                                        {'kind': 'DeleteOptions', 'apiVersion': 'v1',
                                         'preconditions': {'resourceVersion': existing['rv']}},
                                        what='deleting Secret %s/%s' % (namespace, name))
                    except ClusterError as err:
                        if err.status == 409:
                            continue
                        if err.status != 404:
                            raise
                return _cluster_entry(spec, cluster, action, msg), _diff(header, existing, None, action)
            action, msg, annotations, _changes = decide(existing, desired.state(), 'present',
                                                        params['prevent_downgrade'])
            if action in ('unchanged', 'skipped'):
                return _cluster_entry(spec, cluster, action, msg), _diff(header, existing, desired.state(), action)
            secret = desired.secret(annotations, namespace)
            try:
                if existing is None:
                    _create(cluster, namespace, secret, check_mode, params['create_namespace'])
                else:
                    _apply(cluster, namespace, secret, existing['rv'], check_mode)
            except ClusterError as err:
                if err.status == 409:
                    continue  # someone wrote in between: read again and decide again
                raise
            entry = _cluster_entry(spec, cluster, action, msg)
            if workloads:
                try:
                    entry['restarted'] = _restart(cluster, namespace, workloads, desired.fingerprint, check_mode)
                except ClusterError as err:
                    entry.update(action='failed', msg='%s, but the restart failed: %s' % (msg, err))
            entry['requests'] = cluster.requests
            return entry, _diff(header, existing, desired.state(annotations), action)
        raise ClusterError('%d writes in a row conflicted with other writers; run again' % MAX_CONFLICTS)
    except ClusterError as err:
        entry = _cluster_entry(spec, cluster, 'failed', str(err))
        return entry, _diff(header, existing, existing, 'failed')


def _cluster_entry(spec, cluster, action, msg):
    entry = _entry(spec['name'], action, msg)
    entry['requests'] = cluster.requests
    return entry


def run(module):
    """Entry point for the claude_secret module."""
    params = module.params
    clusters, workloads = cluster_inputs(module, 'restart')
    if not params.get('dest') and not clusters:
        module.fail_json(msg='Nothing to publish to: give clusters (or kubeconfig/context/host for one cluster), '
                             'dest (a manifest path), or both.')
    if params.get('dest') and not _manifest.HAS_YAML:
        module.fail_json(msg='PyYAML is required on the controller to write the manifest; install it with pip.')
    if params['state'] == 'present' and not params.get('files') and not params.get('oauth_token'):
        module.fail_json(msg='state=present needs content: give files (a captured session, as slurp returns it) '
                             'or oauth_token (from `claude setup-token`).')
    if params['parallel'] < 1:
        module.fail_json(msg='parallel must be 1 or more.')
    result = {'changed': False, 'clusters': []}
    diffs = []
    try:
        validate_name(params['name'], params['namespace'])
        for cluster in clusters:
            if cluster.get('namespace'):
                validate_name(params['name'], cluster['namespace'])
        desired = Desired(params, int(time.time())) if params['state'] == 'present' else None
        if desired is not None:
            result.update(fingerprint=desired.fingerprint,
                          expires_at=iso_utc(desired.expires_at) if desired.expires_at is not None else None)
        if params.get('dest'):
            entry, diff = publish_manifest(desired, params, module.check_mode)
            result['manifest'] = entry
            diffs.append(diff)
    except SecretInputError as exc:
        module.fail_json(msg=str(exc))
    if desired is not None and len(clusters) > 1 and refresh_token_present(desired.data):
        module.warn('One OAuth session (with its refresh token) is going to %d clusters. Refresh tokens are single-use '
                    'and rotate, so the consumers of these copies race and the losers are logged out. Use a '
                    'long-lived token from `claude setup-token` for more than one consumer '
                    '(playbooks/publish-oauth-token.yml).' % len(clusters))
    outcomes = for_each_cluster(clusters, params['parallel'],
                                lambda c: publish_cluster(c, desired, params, module.check_mode, workloads))
    for entry, diff in outcomes:
        result['clusters'].append(entry)
        diffs.append(diff)
    entries = ([result['manifest']] if 'manifest' in result else []) + result['clusters']
    result['changed'] = any(e['changed'] for e in entries)
    result['msg'] = '; '.join('%s: %s' % (e['name'], e['msg']) for e in entries)
    if module._diff:
        result['diff'] = diffs
    failed = [e for e in result['clusters'] if e['action'] == 'failed']
    if failed:
        result['msg'] = '%d of %d clusters failed: %s' % (len(failed), len(clusters), '; '.join(
            '%s: %s' % (e['name'], e['msg']) for e in failed))
        module.fail_json(**result)
    module.exit_json(**result)
