# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The runner behind claude_secret: validate everything, build the desired Secret once, then apply the one
decision of ``_secret.decide_secret`` to each target (the manifest file and/or each cluster).

On a cluster every outcome is read from what the cluster holds: a write whose answer was lost is not sent again
blindly, the Secret is read again and the decision made again; workloads are compared with the Secret's
fingerprint on every run, so a restart that failed is made by the next run."""

from __future__ import annotations

import time

from ansible_collections.claudeops.credentials.plugins.module_utils import _manifest
from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import (
    SESSION_MAX_LIFETIME,
    TOKEN_LIFETIME,
    credential_kind,
    credentials_expiry,
    fingerprint,
    parse_expires_at,
    refresh_token_present,
    session_expiry_bounds,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError, TargetError
from ansible_collections.claudeops.credentials.plugins.module_utils._k8s_api import (
    APPLY_PATCH,
    CLUSTER_ARGUMENT_SPEC,
    Cluster,
    FIELD_MANAGER,
    HAS_KUBERNETES,
    MERGE_PATCH,
    check_cluster_options,
    client_side_data_owners,
    clusters_from_params,
    for_each_cluster,
    held_back,
    owned_keys,
    ownership_upgrade,
    parse_workloads,
    read_secret,
    secret_path,
    template_annotation,
    workload_path,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._secret import (
    EXPIRES_AT,
    FINGERPRINT,
    LAST_APPLIED,
    MANAGED_BY,
    MANAGED_BY_LABEL,
    SECRET_TYPE,
    VOLATILE_ANNOTATIONS,
    WORKLOAD_ANNOTATION,
    build_data,
    build_secret,
    decide_secret,
    decode_data,
    desired_metadata,
    in_check_mode,
    is_change,
    masked_view,
    validate_name,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._time import iso_utc

PUBLISH_ARGUMENT_SPEC = dict(
    name=dict(type='str'),
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
    adopt=dict(type='bool', default=False),
    replace_kind=dict(type='bool', default=False),
    restart=dict(type='list', elements='raw', default=[]),
    session_max_lifetime=dict(type='str', default=SESSION_MAX_LIFETIME),
)
PUBLISH_ARGUMENT_SPEC.update(CLUSTER_ARGUMENT_SPEC)
MAX_CONFLICTS = 5


class WantedSecret(object):
    """Everything about the Secret we want, computed once before any target is touched."""

    def __init__(self, params, now):
        # params['name'] and params['namespace'] are validated by run(), before anything else.
        self.name = params['name']
        self.namespace = params['namespace']
        self.data = build_data(params.get('files'), params.get('oauth_token'), params.get('onboarding', True))
        self.kind = credential_kind(self.data)
        expires = credentials_expiry(self.data, now)
        self.carry = VOLATILE_ANNOTATIONS
        if params.get('expires_at'):
            expires = parse_expires_at(params['expires_at'], now)
        elif self.kind == 'token':
            # First publish + one year; a target that already holds this token keeps the expiry it recorded then.
            expires = now + TOKEN_LIFETIME
            self.carry = VOLATILE_ANNOTATIONS + (EXPIRES_AT,)
        self.expires_at, self.ceiling = session_expiry_bounds(self.kind, expires, now, params)
        self.fingerprint = fingerprint(self.data)
        self.labels, self.annotations = desired_metadata(
            self.data, params.get('labels'), params.get('annotations'), params.get('source_host'), expires, now)

    def state(self, annotations=None):
        return {'data': self.data, 'labels': self.labels, 'annotations': annotations or self.annotations,
                'expires_at': self.expires_at, 'kind': self.kind, 'carry': self.carry, 'ceiling': self.ceiling}

    def secret(self, annotations, namespace=None):
        return build_secret(self.name, namespace or self.namespace, self.data, self.labels, annotations)


def _diff(header, existing, desired_state, action, shown=None):
    before = masked_view(existing, shown)
    after = {} if action in ('deleted', 'absent', 'would delete') else masked_view(desired_state, shown)
    if action in ('skipped', 'failed'):
        after = before
    return {'before_header': header, 'after_header': header, 'before': before, 'after': after}


def _entry(name, action, msg, check_mode=False):
    if check_mode:
        action, msg = in_check_mode(action, msg)
    return {'name': name, 'action': action, 'changed': is_change(action), 'msg': msg}


def publish_manifest(desired, params, check_mode):
    """Apply the decision to the manifest file at ``dest``. Returns (entry, diff)."""
    path = params['dest']
    existing = _manifest.read_state(path, params['name'], params['namespace'])
    shown = dict(desired.annotations) if desired else {}
    if params['state'] == 'absent':
        action, msg, _annotations, _changes = decide_secret(existing, None, 'absent')
        if action == 'deleted' and not check_mode:
            _manifest.remove(path)
        return _entry(path, action, msg, check_mode), _diff(path, existing, None, action, shown)
    action, msg, annotations, _changes = decide_secret(existing, desired.state(), 'present', params['prevent_downgrade'])
    if action in ('created', 'updated', 'unchanged'):
        text = _manifest.render(desired.secret(annotations))
        if existing is not None and existing['text'] == text:
            action, msg = 'unchanged', 'manifest already up to date'
        elif action == 'unchanged':
            # Same content and metadata, different layout (hand-edited): rewrite in our canonical form.
            action, msg = 'updated', 'Secret updated (manifest rewritten in canonical form)'
        if action != 'unchanged' and not check_mode:
            _manifest.write_atomic(path, text)
    entry = _entry(path, action, msg, check_mode)
    entry['expires_at'] = (annotations if action != 'skipped' else existing['annotations']).get(EXPIRES_AT)
    return entry, _diff(path, existing, desired.state(annotations), action, shown)


def state_of(obj, adopt=False):
    """A Secret object from the API as the ``existing`` that ``decide_secret`` takes, plus what the cluster path needs.
    ``owned`` is what our manager owns once the fix-up has moved ownership (``fix_up_of``), so that a key the fix-up
    makes ours and we no longer send is seen as stale in the same run."""
    if obj is None:
        return None
    meta = obj.get('metadata') or {}
    fixups, patch = fix_up_of(obj, adopt)
    upgraded = ((patch or {}).get('metadata') or {}).get('managedFields')
    owned = owned_keys({'metadata': {'managedFields': upgraded}} if upgraded is not None else obj)
    return {'data': decode_data(obj.get('data')), 'labels': meta.get('labels') or {},
            'annotations': meta.get('annotations') or {},
            'rv': meta.get('resourceVersion'), 'uid': meta.get('uid'), 'owned': owned,
            'type': obj.get('type') or SECRET_TYPE, 'immutable': bool(obj.get('immutable')),
            'managed': (meta.get('labels') or {}).get(MANAGED_BY_LABEL) == MANAGED_BY,
            'fixups': fixups, 'deleting': meta.get('deletionTimestamp'), 'finalizers': meta.get('finalizers') or []}


def fix_up_of(obj, adopt=False):
    """What apply cannot do on this Secret, as (sentences for the message, the merge patch, or None): remove
    kubectl's last-applied copy of older credentials, and move what our manager owns through Update to Apply (with
    ``adopt``, also the data keys that kubectl's client-side apply owns). The patch carries the resourceVersion it
    was computed from, so it only lands on the object it was computed from."""
    meta = obj.get('metadata') or {}
    fixups, patch = [], {'resourceVersion': meta.get('resourceVersion')}
    if LAST_APPLIED in (meta.get('annotations') or {}):
        fixups.append("remove kubectl's %s (a copy of older credentials)" % LAST_APPLIED)
        patch['annotations'] = {LAST_APPLIED: None}
    upgrade = ownership_upgrade(obj, adopt=adopt)
    if upgrade is not None:
        taken = sorted(set(e.get('manager') for e in client_side_data_owners(obj))) if adopt else []
        fixups.append('move field ownership to server-side apply' + (
            ' (taking over the data keys of %s)' % ', '.join(taken) if taken else ''))
        patch['managedFields'] = upgrade
    return fixups, ({'metadata': patch} if fixups else None)


def deletion_pending(existing, requested_now):
    """(action, msg) for a Secret whose deletion is pending (``deletionTimestamp`` set): ``deleted`` when this run
    asked for it, ``unchanged`` when an earlier request is still pending."""
    held = ('the finalizers %s keep it until their controllers release it' % ', '.join(existing['finalizers'])
            if existing['finalizers'] else 'the API server has not removed it yet')
    if requested_now:
        return 'deleted', 'deletion requested; %s' % held
    return 'unchanged', 'deletion already pending since %s; %s' % (existing['deleting'], held)


# The Secret of each kind when no name is given: a login-triggered capture must not land on the long-lived token.
DEFAULT_NAMES = {'session': 'claude-session', 'token': 'claude-token'}
KINDS = {'session': 'a captured session (.credentials.json)', 'token': 'a long-lived token (CLAUDE_CODE_OAUTH_TOKEN)'}


def kind_refusal(held, kind, where, replace_kind=False):
    """Why a publish of ``kind`` must not replace what ``where`` holds (``held``), or None: a session never replaces a
    long-lived token, nor a token a session, unless replace_kind (their consumers read different keys)."""
    if replace_kind or held == kind or held not in KINDS or kind not in KINDS:
        return None
    return ('%s holds %s; publishing %s would replace it, and what reads the %s would lose it. Publish to another '
            'Secret (name), or set replace_kind: true to replace it.'
            % (where, KINDS[held], KINDS[kind], held))


def _refusal(existing, namespace, name, params, data_changes, kind=None):
    """Why a Secret that exists must be left alone, or None."""
    where = 'Secret %s/%s' % (namespace, name)
    if not existing['managed'] and not params['adopt']:
        return ('%s exists and is not managed by %s (no label %s=%s); left alone: set adopt: true to take it over, '
                'or choose another name.' % (where, MANAGED_BY, MANAGED_BY_LABEL, MANAGED_BY))
    # Between our own publishes only: taking over a Secret someone else made (adopt) replaces whatever it held.
    other = existing['managed'] and kind_refusal(credential_kind(existing.get('data') or {}), kind, where,
                                                 params.get('replace_kind'))
    if other:
        return other
    if existing['type'] != SECRET_TYPE:
        return ("%s has type %s, and Kubernetes cannot change a Secret's type to %s: delete it (kubectl delete secret "
                "-n %s %s) or choose another name." % (where, existing['type'], SECRET_TYPE, namespace, name))
    if existing['immutable'] and data_changes:
        return ('%s is immutable (immutable: true), so its data cannot change: delete it (kubectl delete secret -n %s '
                '%s) and publish again, or choose another name.' % (where, namespace, name))
    return None


def _dry(query, dry):
    if dry:
        query['dryRun'] = 'All'
    return query


def _apply(cluster, namespace, secret, rv, dry):
    body = dict(secret, metadata=dict(secret['metadata'], resourceVersion=rv))
    name = secret['metadata']['name']
    query = _dry({'fieldManager': FIELD_MANAGER, 'force': 'true'}, dry)
    return cluster.request('PATCH', secret_path(namespace, name), query, body, APPLY_PATCH,
                           what='applying Secret %s/%s' % (namespace, name))[1]


def _create(cluster, namespace, secret, dry, create_namespace):
    """Create the Secret with all its data in one request (409 when someone else created it first), so no pod ever
    sees it half-made. The create makes our manager an ``Update`` owner; the fix-up that follows moves that to
    server-side apply."""
    name = secret['metadata']['name']
    what = 'creating Secret %s/%s' % (namespace, name)
    query = _dry({'fieldManager': FIELD_MANAGER}, dry)
    try:
        return cluster.request('POST', secret_path(namespace), query, secret, what=what)[1]
    except TargetError as err:
        if err.status != 404:
            raise
        if not create_namespace:
            raise TargetError("namespace '%s' does not exist: create it, or set create_namespace: true" % namespace, code='namespace_missing')
    try:
        cluster.request('POST', '/api/v1/namespaces', _dry({}, dry),
                        {'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': namespace}},
                        what='creating namespace %s' % namespace)
    except TargetError as ns_err:
        if ns_err.status != 409:
            raise
    if dry:
        return None
    return cluster.request('POST', secret_path(namespace), query, secret, what=what)[1]


def _fix_up(cluster, namespace, name, obj, adopt=False):
    """Send ``fix_up_of(obj)``'s merge patch, when there is one; the object after it."""
    _fixups, patch = fix_up_of(obj, adopt)
    if patch is None:
        return obj
    return cluster.request('PATCH', secret_path(namespace, name), {'fieldManager': FIELD_MANAGER}, patch, MERGE_PATCH,
                           what='fixing up Secret %s/%s' % (namespace, name))[1]


def _restart(cluster, namespace, workloads, fp, dry):
    """Set the fingerprint annotation on every workload whose pod template does not carry ``fp`` yet. Returns
    (annotated, restarted, pending): the workloads this run wrote the annotation to; of those, the ones whose
    controller now replaces their pods; and, as ``KIND/NAME: why (what to do)``, the workloads whose pods stay on
    the old credentials although their template carries ``fp`` (a paused Deployment, ``updateStrategy: OnDelete``),
    whether this run or an earlier one set it."""
    patch = {'spec': {'template': {'metadata': {'annotations': {WORKLOAD_ANNOTATION: fp}}}}}
    annotated, done, pending = [], [], []
    for plural, name in workloads:
        label = '%s/%s' % (plural[:-1], name)
        current = cluster.request('GET', workload_path(namespace, plural, name), what='reading %s' % label)[1]
        wrote = template_annotation(current, WORKLOAD_ANNOTATION) != fp
        if wrote:
            current = cluster.request('PATCH', workload_path(namespace, plural, name),
                                      _dry({'fieldManager': FIELD_MANAGER}, dry), patch, MERGE_PATCH,
                                      what='restarting %s' % label)[1] or current
            annotated.append(label)
        why = held_back(plural, current)
        if why:
            pending.append('%s: %s' % (label, why))
        elif wrote:
            done.append(label)
    return annotated, done, pending


class Publisher(object):
    """The work on one cluster. ``run()`` never raises: a failure is this cluster's ``failed`` entry."""

    def __init__(self, spec, desired, params, check_mode, workloads):
        self.spec, self.desired, self.params, self.check_mode, self.workloads = spec, desired, params, check_mode, workloads
        self.cluster = Cluster(spec, params['request_timeout'], params['retries'])
        self.namespace = spec.get('namespace') or params['namespace']
        self.name = params['name']
        self.what = 'Secret %s/%s' % (self.namespace, self.name)
        self.header = 'cluster %s: %s' % (spec['name'], self.what)
        self.shown = dict(desired.annotations) if desired else {}
        self.first = self.existing = None
        self.reads = 0
        self.attempts = 0

    def run(self):
        try:
            if self.params['state'] == 'absent':
                entry, diff = self.remove()
            else:
                entry, diff = self.publish()
        except TargetError as err:
            entry, diff = self.failed(str(err))
        except Exception as exc:  # a bug or an unforeseen answer fails this cluster alone, with its reason
            entry, diff = self.failed('unexpected %s: %s' % (type(exc).__name__, exc))
        entry['requests'] = self.cluster.requests
        return entry, diff

    def failed(self, msg):
        return (_entry(self.spec['name'], 'failed', msg),
                _diff(self.header, self.existing, self.existing, 'failed', self.shown))

    def read(self):
        obj = read_secret(self.cluster, self.namespace, self.name)
        self.existing = state_of(obj, self.params.get('adopt', False))
        if self.reads == 0:
            self.first = self.existing  # what the cluster held before this run: the diff's "before"
        self.reads += 1
        return obj

    def retry_after(self, err):
        """A write failed: return to read again and decide again (a conflict, or a fault after which the write may
        or may not have landed); raise when that is not worth it or the attempts are spent."""
        self.attempts += 1
        if err.status == 409 and self.attempts < MAX_CONFLICTS:
            return
        if err.transient and self.attempts <= self.cluster.retries:
            self.cluster.backoff(self.attempts, err)
            return
        if err.status == 409:
            raise TargetError('%d writes in a row conflicted with other writers; run again' % MAX_CONFLICTS, code='conflict')
        raise err

    def publish(self):
        desired, params, dry = self.desired, self.params, self.check_mode
        planned = []  # the first decision that needed a write: what this run did, once its write is there
        while True:
            obj = self.read()
            existing = self.existing
            action, msg, annotations, changes = decide_secret(existing, desired.state(), 'present', params['prevent_downgrade'])
            if existing is not None and action != 'skipped':
                refusal = _refusal(existing, self.namespace, self.name, params, bool(changes['data']), desired.kind)
                if refusal:
                    raise TargetError(refusal, code='kind')
            if action in ('unchanged', 'skipped'):
                if action == 'unchanged' and planned:
                    action, msg = planned[0], planned[1]  # our write is there, although its answer was lost
                break
            planned = planned or [action, msg]
            try:
                self.write(obj, existing, desired.secret(annotations, self.namespace), changes)
            except TargetError as err:
                self.retry_after(err)
                continue
            action, msg = planned[0], planned[1]
            break
        entry = _entry(self.spec['name'], action, msg, dry)
        entry['expires_at'] = (annotations if action != 'skipped' else existing['annotations']).get(EXPIRES_AT)
        holds = desired.fingerprint if action != 'skipped' else existing['annotations'].get(FINGERPRINT)
        if self.workloads:
            entry['restarted'], entry['pending'] = [], []
        if self.workloads and holds:
            try:
                annotated, entry['restarted'], entry['pending'] = _restart(self.cluster, self.namespace,
                                                                           self.workloads, holds, dry)
                if annotated and not entry['changed']:  # the Secret was current, its consumers were not
                    entry.update(changed=True, msg='%s; %s %s' % (entry['msg'], 'would annotate' if dry else
                                                                  'annotated the pod template of', ', '.join(annotated)))
                if entry['pending']:
                    entry['msg'] = '%s; not restarted: %s' % (entry['msg'], '; '.join(entry['pending']))
            except TargetError as err:
                entry.update(action='failed', msg='%s, but the restart failed (the next run retries it): %s'
                             % (entry['msg'], err))
        return entry, _diff(self.header, self.first, desired.state(annotations), action, self.shown)

    def write(self, obj, existing, secret, changes):
        """Create, then move the create's ownership to apply; or move ownership first (so that the apply removes
        the keys it made ours and we no longer send), then apply what differs."""
        dry, adopt = self.check_mode, self.params['adopt']
        if existing is None:
            obj = _create(self.cluster, self.namespace, secret, dry, self.params['create_namespace'])
            if not dry and obj is not None:
                _fix_up(self.cluster, self.namespace, self.name, obj)
            return
        rv = existing['rv']
        if not dry:
            rv = (_fix_up(self.cluster, self.namespace, self.name, obj, adopt).get('metadata') or {}).get(
                'resourceVersion', rv)
        if changes['data'] or changes['labels'] or changes['annotations']:
            _apply(self.cluster, self.namespace, secret, rv, dry)

    def remove(self):
        deleting = False
        while True:
            self.read()
            existing = self.existing
            if existing is None:
                action, msg = ('deleted', 'Secret removed') if deleting else ('absent', 'no Secret to remove')
                break
            if not existing['managed'] and not self.params['adopt']:
                raise TargetError('%s exists but is not managed by %s; left alone: set adopt: true to remove it all '
                                  'the same' % (self.what, MANAGED_BY), code='not_ours')
            if existing['deleting']:
                # kube-apiserver answered the DELETE with 200 and kept the object: a finalizer holds it until its
                # controller releases it. Asking again changes nothing, so this is the outcome, not a retry.
                action, msg = deletion_pending(existing, deleting)
                break
            action, msg = 'deleted', 'Secret removed'
            # kube-apiserver takes a DELETE's options from its body when it has one and then ignores the query
            # (apiserver/pkg/endpoints/handlers/delete.go): dryRun goes in the body with the preconditions, or a check
            # run would delete for real.
            options = {'kind': 'DeleteOptions', 'apiVersion': 'v1',
                       'preconditions': {'resourceVersion': existing['rv'], 'uid': existing['uid']}}
            if self.check_mode:
                options['dryRun'] = ['All']
            try:
                self.cluster.request('DELETE', secret_path(self.namespace, self.name), None, options,
                                     what='deleting %s' % self.what)
            except TargetError as err:
                if err.status != 404:
                    self.retry_after(err)
                    deleting = True
                    continue
            if self.check_mode:
                break
            deleting = True  # read again: the outcome is what the cluster holds
        return (_entry(self.spec['name'], action, msg, self.check_mode),
                _diff(self.header, self.first, None, action, self.shown))


def _checked(params):
    """The clusters and workloads of ``params``, each option checked before anything is written: InputError
    otherwise. Sets the default Secret name of the content's kind."""
    check_cluster_options(params)
    clusters = clusters_from_params(params)
    workloads = parse_workloads(params.get('restart'))
    if clusters and not HAS_KUBERNETES:
        raise InputError('The kubernetes Python package is required on the controller for clusters: '
                         'pip install kubernetes.', code='missing_client')
    if not params.get('dest') and not clusters:
        raise InputError('Nothing to publish to: give clusters (or kubeconfig/context/host for one cluster, or set '
                         'K8S_AUTH_KUBECONFIG), dest (a manifest path), or both.', 'clusters')
    if params.get('dest') and not _manifest.HAS_YAML:
        raise InputError('PyYAML is required on the controller to write the manifest; install it with pip.',
                         'dest', 'missing_client')
    if params['state'] == 'present' and not params.get('files') and not params.get('oauth_token'):
        raise InputError('state=present needs content: give files (a captured session, as slurp returns it) '
                         'or oauth_token (from `claude setup-token`).', 'files')
    # The two kinds never share a Secret by default (#27): their consumers read different keys.
    params['name'] = params.get('name') or DEFAULT_NAMES['token' if params.get('oauth_token') else 'session']
    validate_name(params['name'], params['namespace'])
    for cluster in clusters:
        if cluster.get('namespace'):
            validate_name(params['name'], cluster['namespace'])
    return clusters, workloads


def _summary(result, entries, clusters, desired):
    """``result`` completed from the manifest and cluster entries: expiry, changed, msg and failed."""
    recorded = sorted(e['expires_at'] for e in entries if e.get('expires_at') and e['action'] != 'failed')
    if desired is not None and recorded:
        result['expires_at'] = recorded[0]  # a long-lived token's recorded expiry, the earliest if targets differ
    result['changed'] = any(e['changed'] for e in entries)
    result['msg'] = '; '.join('%s: %s' % (e['name'], e['msg']) for e in entries)
    failed = [e for e in result['clusters'] if e['action'] == 'failed']
    result['failed'] = bool(failed)
    if failed:
        result['msg'] = '%d of %d clusters failed: %s' % (len(failed), len(clusters), '; '.join(
            '%s: %s' % (e['name'], e['msg']) for e in failed))
    return result


def run(params, check_mode, diff_mode, warn):
    """claude_secret: returns the result, with ``failed`` when any cluster failed. Raises InputError
    for bad input, before anything is written."""
    clusters, workloads = _checked(params)
    result = {'changed': False, 'clusters': []}
    diffs = []
    desired = WantedSecret(params, int(time.time())) if params['state'] == 'present' else None
    if desired is not None:
        result.update(fingerprint=desired.fingerprint,
                      expires_at=iso_utc(desired.expires_at) if desired.expires_at is not None else None)
    if params.get('dest'):
        entry, diff = publish_manifest(desired, params, check_mode)
        result['manifest'] = entry
        diffs.append(diff)
    if desired is not None and len(clusters) > 1 and refresh_token_present(desired.data):
        warn('One OAuth session (with its refresh token) is going to %d clusters. Refresh tokens are single-use '
             'and rotate, so the consumers of these copies race and the losers are logged out. Use a '
             'long-lived token from `claude setup-token` for more than one consumer '
             '(playbooks/publish-oauth-token.yml).' % len(clusters))
    outcomes = for_each_cluster(clusters, params['parallel'],
                                lambda c: Publisher(c, desired, params, check_mode, workloads).run())
    for entry, diff in outcomes:
        result['clusters'].append(entry)
        diffs.append(diff)
    if diff_mode:
        result['diff'] = diffs
    entries = ([result['manifest']] if 'manifest' in result else []) + result['clusters']
    return _summary(result, entries, clusters, desired)
