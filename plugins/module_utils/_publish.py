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
from ansible_collections.claudeops.credentials.plugins.module_utils._secret import (
    SecretInputError,
    build_data,
    build_secret,
    credentials_expiry,
    decide,
    desired_metadata,
    fingerprint,
    masked_view,
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
)


class Desired(object):
    """Everything about the Secret we want, computed once before any target is touched."""

    def __init__(self, params, now):
        validate_name(params['name'], params['namespace'])
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


def run(module):
    """Entry point for the claude_secret module."""
    params = module.params
    if not _manifest.HAS_YAML:
        module.fail_json(msg='PyYAML is required on the controller to write the manifest; install it with pip.')
    if params['state'] == 'present' and not params.get('files') and not params.get('oauth_token'):
        module.fail_json(msg='state=present needs content: give files (a captured session, as slurp returns it) '
                             'or oauth_token (from `claude setup-token`).')
    if not params.get('dest'):
        module.fail_json(msg='Give dest (the manifest path to write).')
    try:
        desired = Desired(params, int(time.time())) if params['state'] == 'present' else None
        result = {'changed': False}
        if desired is not None:
            result.update(fingerprint=desired.fingerprint,
                          expires_at=iso_utc(desired.expires_at) if desired.expires_at is not None else None)
        entry, diff = publish_manifest(desired, params, module.check_mode)
    except SecretInputError as exc:
        module.fail_json(msg=str(exc))
    result['manifest'] = entry
    result['changed'] = entry['changed']
    result['msg'] = '%s: %s' % (entry['name'], entry['msg'])
    if module._diff:
        result['diff'] = diff
    module.exit_json(**result)
