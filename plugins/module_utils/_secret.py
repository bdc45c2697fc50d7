# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The Kubernetes Secret we publish: its data built from the content options, its names, labels and annotations,
the object, masked diffs and the never-go-backwards decision (:func:`decide_secret`). Pure functions, shared by the
manifest writer and the cluster publisher. What the credentials are (their parser, expiry rules and fingerprint) is
in ``_credentials``. Values are handled as bytes and leave this module only inside the Secret's ``data``
(base64)."""

from __future__ import annotations

import base64
import binascii
import re

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import (
    CREDENTIALS_FILE,
    TOKEN_KEY,
    fingerprint,
    token_shape_error,
    value_digest,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._time import iso_utc, parse_iso_utc

MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'
MANAGED_BY = 'claudeops.credentials'
PREFIX = 'claudeops.io/'
EXPIRES_AT = PREFIX + 'expires-at'
FINGERPRINT = PREFIX + 'fingerprint'
SOURCE_HOST = PREFIX + 'source-host'
CAPTURED_AT = PREFIX + 'captured-at'
# Annotations that change on every run without the credentials changing: never a reason to write.
VOLATILE_ANNOTATIONS = (CAPTURED_AT,)
WORKLOAD_ANNOTATION = PREFIX + 'credentials-fingerprint'
# kubectl's client-side apply copies the whole object, data included, into this annotation.
LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'
SECRET_TYPE = 'Opaque'

ONBOARDING_KEY = '.claude.json'
ONBOARDING_VALUE = b'{"hasCompletedOnboarding": true}'
MAX_DATA_SIZE = 1024 * 1024

_DATA_KEY_RE = re.compile(r'^[-._a-zA-Z0-9]+$')
_NAME_RE = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')
_NAMESPACE_RE = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')
# Kubernetes qualified names (label and annotation keys) and label values.
_NAME_PART_RE = re.compile(r'^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$')
_LABEL_VALUE_RE = re.compile(r'^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$')


def validate_name(name, namespace):
    if not name or len(name) > 253 or not _NAME_RE.match(name):
        raise InputError("name: '%s' is not a valid Secret name. Use lower-case letters, digits, '-' and '.', "
                         "starting and ending with a letter or digit (for example claude-session)." % name)
    if not namespace or len(namespace) > 63 or not _NAMESPACE_RE.match(namespace):
        raise InputError("namespace: '%s' is not a valid namespace name. Use lower-case letters, digits and "
                         "'-', at most 63 characters (for example claude)." % namespace)


def validate_key(key, option):
    # kube-apiserver's rule (apimachinery IsConfigMapKey): a key that starts with '..' is refused with 422, since
    # the kubelet's atomic writer keeps its own '..' entries in a Secret volume
    if not isinstance(key, str) or not key or len(key) > 253 or not _DATA_KEY_RE.match(key) or key.startswith('..') \
            or key == '.':
        raise InputError("%s: '%s' is not a valid Secret data key. Keys may contain only letters, digits, "
                         "'-', '_' and '.', must not be '.' and must not start with '..', for example "
                         ".credentials.json." % (option, key))


def build_data(files=None, oauth_token=None, onboarding=True):
    """Return ``{key: bytes}`` from the content options, validated."""
    data = {}
    if files:
        if not isinstance(files, dict):
            raise InputError('files must be a dictionary of key: base64 content, as slurp returns it.')
        for key in sorted(files):
            validate_key(key, 'files')
            value = files[key]
            if not isinstance(value, str):
                raise InputError("files['%s'] must be a base64 string, as ansible.builtin.slurp returns it."
                                 % key)
            try:
                data[key] = base64.b64decode(value.strip(), validate=True)
            except (binascii.Error, ValueError):
                raise InputError("files['%s'] is not valid base64. Pass the content as slurp returns it "
                                 "(its content field), or use b64encode." % key)
    if oauth_token is not None:
        problem = token_shape_error(oauth_token)
        if problem:
            raise InputError(problem)
        data[TOKEN_KEY] = oauth_token.encode('ascii')
    if not data:
        raise InputError('No content to publish: give files (a captured session) or oauth_token (from '
                         '`claude setup-token`).')
    if onboarding:
        data.setdefault(ONBOARDING_KEY, ONBOARDING_VALUE)
    total = sum(len(k) + len(v) for k, v in data.items())
    if total > MAX_DATA_SIZE:
        raise InputError('The Secret data is %d bytes, over the 1 MiB limit Kubernetes enforces. Publish only '
                         'the session files Claude Code needs (.credentials.json).' % total)
    return data


def encode_data(data):
    return dict((k, base64.b64encode(v).decode('ascii')) for k, v in sorted(data.items()))


def decode_data(encoded):
    """Decode a Secret's ``data``; undecodable values become a marker that never equals real content."""
    out = {}
    for key, value in (encoded or {}).items():
        try:
            out[key] = base64.b64decode(value or '', validate=True)
        except (binascii.Error, ValueError, TypeError):
            out[key] = b'\0undecodable\0'
    return out


def desired_metadata(data, labels=None, annotations=None, source_host=None, expires_at=None, captured_at=None):
    """Labels and annotations we own. ``expires_at`` and ``captured_at`` are epoch seconds."""
    all_labels = dict(labels or {})
    all_labels[MANAGED_BY_LABEL] = MANAGED_BY
    all_annotations = dict(annotations or {})
    for option, keys in (('labels', all_labels), ('annotations', all_annotations)):
        for key in keys:
            if not _qualified_name(key):
                raise InputError("%s: '%s' is not a valid key. Use an optional DNS prefix and '/', then at most "
                                 "63 letters, digits, '-', '_' or '.', starting and ending with a letter or "
                                 "digit (for example team or example.com/team)." % (option, key))
    all_annotations[FINGERPRINT] = fingerprint(data)
    if expires_at is not None:
        all_annotations[EXPIRES_AT] = iso_utc(expires_at)
    if source_host:
        all_annotations[SOURCE_HOST] = str(source_host)
    if captured_at is not None:
        all_annotations[CAPTURED_AT] = iso_utc(captured_at)
    for key, value in list(all_labels.items()) + list(all_annotations.items()):
        if not isinstance(value, str):
            raise InputError("The value of label or annotation '%s' must be a string; quote it." % key)
    for key, value in all_labels.items():
        if len(value) > 63 or not _LABEL_VALUE_RE.match(value):
            raise InputError("labels: the value of '%s' is not a valid label value: at most 63 letters, digits, "
                             "'-', '_' or '.', starting and ending with a letter or digit." % key)
    return all_labels, all_annotations


def _qualified_name(key):
    if not isinstance(key, str):
        return False
    prefix, slash, name = key.rpartition('/')
    if slash and (not prefix or len(prefix) > 253 or not _NAME_RE.match(prefix)):
        return False
    return bool(name) and len(name) <= 63 and bool(_NAME_PART_RE.match(name))


def build_secret(name, namespace, data, labels, annotations):
    return {
        'apiVersion': 'v1',
        'kind': 'Secret',
        'metadata': {
            'name': name,
            'namespace': namespace,
            'labels': dict(sorted(labels.items())),
            'annotations': dict(sorted(annotations.items())),
        },
        'type': 'Opaque',
        'data': encode_data(data),
    }


def carry_volatile(existing_annotations, desired_annotations, keys=VOLATILE_ANNOTATIONS):
    """When the fingerprint is unchanged, keep the existing values of ``keys`` so nothing looks changed:
    ``captured-at`` always, and a long-lived token's ``expires-at`` that was recorded when it was first published."""
    existing_annotations = existing_annotations or {}
    if existing_annotations.get(FINGERPRINT) != desired_annotations.get(FINGERPRINT):
        return desired_annotations
    merged = dict(desired_annotations)
    for key in keys:
        if key in existing_annotations:
            merged[key] = existing_annotations[key]
    return merged


def differences(existing, data, labels, annotations):
    """What would change: ``{'data': [keys], 'labels': [keys], 'annotations': [keys], 'fixups': [sentences]}``.

    ``existing`` is None or ``{'data': {k: bytes}, 'labels', 'annotations', 'owned', 'fixups'}``. ``owned`` is
    ``{'data', 'labels', 'annotations'}``, the keys our field manager owns on a cluster, or None for a manifest file,
    which is ours entirely. Keys we send are compared by value; keys we own and no longer send are stale (server-side
    apply removes them); keys owned by someone else are theirs and are left alone. ``fixups`` are changes that are
    not ours to send by apply (the removal of kubectl's copy of old credentials, moving field ownership).
    """
    if existing is None:
        return {'data': sorted(data), 'labels': sorted(labels), 'annotations': sorted(annotations), 'fixups': []}
    owned = existing.get('owned')

    def changed(part, new, skip=()):
        old = existing.get(part) or {}
        stale = set(old) - set(new) if owned is None else (set(owned.get(part) or ()) - set(new)) & set(old)
        return sorted(set(k for k in new if k not in skip and old.get(k) != new[k]) | (stale - set(skip)))

    return {
        'data': changed('data', data),
        'labels': changed('labels', labels),
        'annotations': changed('annotations', annotations, VOLATILE_ANNOTATIONS),
        'fixups': list(existing.get('fixups') or []),
    }


def has_differences(diff):
    return any(diff.values())


def downgrade_reason(existing_annotations, new_expires_at, ceiling=None):
    """A sentence when writing would replace newer credentials with older ones, else None. An existing expiry past
    ``ceiling`` (now plus session_max_lifetime) is a claim no session makes, a clock ahead or a forged file, and
    protects nothing."""
    if new_expires_at is None or not existing_annotations:
        return None
    current = parse_iso_utc(existing_annotations.get(EXPIRES_AT))
    if current is not None and ceiling is not None and current > ceiling:
        return None
    if current is not None and current > new_expires_at:
        return ('the existing Secret holds newer credentials (expires %s) than these (expires %s); '
                'left alone because prevent_downgrade is true'
                % (existing_annotations.get(EXPIRES_AT), iso_utc(new_expires_at)))
    return None


def masked_view(state, shown_annotations=None):
    """A diff-safe view of ``{'data','labels','annotations'}``: data values become digests, and so do the values of
    annotations that are not ours. Ours are ``claudeops.io/*`` and, from ``shown_annotations`` (the operator's own
    annotations, key to value), a key whose value is the one the operator gives: a value someone else put under a
    key the operator names is not shown. kubectl's last-applied copy (it holds the old credentials) and any value
    that holds a Claude token are never shown, whoever names them."""
    if state is None:
        return {}
    shown = shown_annotations or {}
    annotations = {}
    for key, value in sorted((state.get('annotations') or {}).items()):
        ours = key.startswith(PREFIX) or (key in shown and shown[key] == value)
        clear = ours and key != LAST_APPLIED and 'sk-ant-' not in str(value)
        annotations[key] = value if clear else value_digest(str(value).encode('utf-8'))
    return {
        'data': dict((k, value_digest(v)) for k, v in sorted((state.get('data') or {}).items())),
        'labels': dict(sorted((state.get('labels') or {}).items())),
        'annotations': annotations,
    }


CHANGING = ('created', 'updated', 'deleted')
_CHECK_ACTIONS = {'created': 'would create', 'updated': 'would update', 'deleted': 'would delete'}
_CHECK_WORDS = {'Secret created': 'Secret would be created', 'Secret updated': 'Secret would be updated',
                'Secret removed': 'Secret would be removed'}


def in_check_mode(action, msg):
    """What check mode reports for a planned ``action``: ``would create``, ``would update``, ``would delete``."""
    if action not in _CHECK_ACTIONS:
        return action, msg
    for done, planned in _CHECK_WORDS.items():
        if msg.startswith(done):
            msg = planned + msg[len(done):]
            break
    return _CHECK_ACTIONS[action], msg


def is_change(action):
    return action in CHANGING or action in _CHECK_ACTIONS.values()


def decide_secret(existing, desired, state='present', prevent_downgrade=True):
    """The one decision for every target (manifest file or cluster).

    ``existing``: None or the state that :func:`differences` takes. ``desired``: ``{'data', 'labels', 'annotations',
    'expires_at'}``. Returns ``(action, msg, annotations, diff)`` where ``action`` is one of created, updated,
    unchanged, skipped, deleted, absent and ``annotations`` is what to write.
    """
    if state == 'absent':
        if existing is None:
            return 'absent', 'no Secret to remove', None, None
        return 'deleted', 'Secret removed', None, None
    annotations = desired['annotations']
    if existing is None:
        return 'created', 'Secret created', annotations, differences(None, desired['data'], desired['labels'], annotations)
    # Never backwards applies to sessions, whose expiry is read from the credentials themselves; a different
    # long-lived token is a rotation and always applies.
    sessions = desired.get('kind', 'session') == 'session' and CREDENTIALS_FILE in (existing.get('data') or {})
    reason = downgrade_reason(existing.get('annotations'), desired.get('expires_at'), desired.get('ceiling')) \
        if prevent_downgrade and sessions else None
    if reason:
        return 'skipped', reason, None, None
    annotations = carry_volatile(existing.get('annotations'), annotations, desired.get('carry', VOLATILE_ANNOTATIONS))
    diff = differences(existing, desired['data'], desired['labels'], annotations)
    if not has_differences(diff):
        return 'unchanged', 'Secret already up to date', annotations, diff
    parts = ['%s %s' % (part, ', '.join(keys)) for part, keys in sorted(diff.items()) if keys and part != 'fixups']
    return 'updated', 'Secret updated (%s)' % '; '.join(parts + diff['fixups']), annotations, diff
