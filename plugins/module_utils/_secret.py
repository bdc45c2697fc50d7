# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The Secret we publish: validation of its content, the object, its fingerprint, masked diffs and the
never-go-backwards decision. Pure functions, shared by the manifest writer and the cluster publisher.
Values are handled as bytes and leave this module only inside the Secret's ``data`` (base64)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re

from ansible_collections.claudeops.credentials.plugins.module_utils._session import (
    CREDENTIALS_FILE,
    SESSION_MAX_LIFETIME,
    DurationError,
    expires_at_defect,
    iso_utc,
    parse_duration,
    parse_iso_utc,
    too_far_ahead,
)

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
TOKEN_KEY = 'CLAUDE_CODE_OAUTH_TOKEN'
TOKEN_PREFIX = 'sk-ant-oat01-'
# The keys that hold credentials; a Secret with neither holds nothing a consumer can use.
CREDENTIAL_KEYS = (CREDENTIALS_FILE, TOKEN_KEY)
MAX_DATA_SIZE = 1024 * 1024
# No Claude credential lives longer than a year (setup-token); anything past this is a damaged value or a typo.
MAX_LIFETIME = 400 * 86400
# A `claude setup-token` token lives one year from when it was made; its expiry is not inside the token.
TOKEN_LIFETIME = 365 * 86400

_KEY_RE = re.compile(r'^[-._a-zA-Z0-9]+$')
_TOKEN_RE = re.compile(r'^sk-ant-oat01-[A-Za-z0-9_-]{8,}$')
_NAME_RE = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')
_NAMESPACE_RE = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')
# Kubernetes qualified names (label and annotation keys) and label values.
_NAME_PART_RE = re.compile(r'^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$')
_LABEL_VALUE_RE = re.compile(r'^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$')


class SecretInputError(ValueError):
    """Bad input, found before any request or write. The message names what, where, and the fix."""


def validate_name(name, namespace):
    if not name or len(name) > 253 or not _NAME_RE.match(name):
        raise SecretInputError("name: '%s' is not a valid Secret name. Use lower-case letters, digits, '-' and '.', "
                               "starting and ending with a letter or digit (for example claude-session)." % name)
    if not namespace or len(namespace) > 63 or not _NAMESPACE_RE.match(namespace):
        raise SecretInputError("namespace: '%s' is not a valid namespace name. Use lower-case letters, digits and "
                               "'-', at most 63 characters (for example claude)." % namespace)


def validate_key(key, option):
    # kube-apiserver's rule (apimachinery IsConfigMapKey): a key that starts with '..' is refused with 422, since
    # the kubelet's atomic writer keeps its own '..' entries in a Secret volume
    if not isinstance(key, str) or not key or len(key) > 253 or not _KEY_RE.match(key) or key.startswith('..') \
            or key == '.':
        raise SecretInputError("%s: '%s' is not a valid Secret data key. Keys may contain only letters, digits, "
                               "'-', '_' and '.', must not be '.' and must not start with '..', for example "
                               ".credentials.json." % (option, key))


def token_shape_error(token):
    """None when ``token`` looks like a ``claude setup-token`` token, else a sentence that does not quote it."""
    if not isinstance(token, str) or not token:
        return 'oauth_token is empty. Run `claude setup-token` and pass the token it prints.'
    if token != token.strip():
        return 'oauth_token has leading or trailing white space; strip it (a copied newline is a common cause).'
    if not token.startswith(TOKEN_PREFIX):
        return ("oauth_token does not start with '%s': it is not a long-lived token from `claude setup-token` "
                '(session access tokens and refresh tokens are not accepted here).' % TOKEN_PREFIX)
    if not _TOKEN_RE.match(token):
        return ('oauth_token has characters a Claude token never has, or is too short; copy it again from '
                '`claude setup-token`.')
    return None


def build_data(files=None, oauth_token=None, onboarding=True):
    """Return ``{key: bytes}`` from the content options, validated."""
    data = {}
    if files:
        if not isinstance(files, dict):
            raise SecretInputError('files must be a dictionary of key: base64 content, as slurp returns it.')
        for key in sorted(files):
            validate_key(key, 'files')
            value = files[key]
            if not isinstance(value, str):
                raise SecretInputError("files['%s'] must be a base64 string, as ansible.builtin.slurp returns it."
                                       % key)
            try:
                data[key] = base64.b64decode(value.strip(), validate=True)
            except (binascii.Error, ValueError):
                raise SecretInputError("files['%s'] is not valid base64. Pass the content as slurp returns it "
                                       "(its content field), or use b64encode." % key)
    if oauth_token is not None:
        problem = token_shape_error(oauth_token)
        if problem:
            raise SecretInputError(problem)
        data[TOKEN_KEY] = oauth_token.encode('ascii')
    if not data:
        raise SecretInputError('No content to publish: give files (a captured session) or oauth_token (from '
                               '`claude setup-token`).')
    if onboarding:
        data.setdefault(ONBOARDING_KEY, ONBOARDING_VALUE)
    total = sum(len(k) + len(v) for k, v in data.items())
    if total > MAX_DATA_SIZE:
        raise SecretInputError('The Secret data is %d bytes, over the 1 MiB limit Kubernetes enforces. Publish only '
                               'the session files Claude Code needs (.credentials.json).' % total)
    return data


def credentials_expiry(data, now):
    """Expiry of the session in ``.credentials.json`` as epoch seconds, or None when there is no session file."""
    raw = data.get(CREDENTIALS_FILE)
    if raw is None:
        return None
    try:
        oauth = json.loads(raw.decode('utf-8')).get('claudeAiOauth') or {}
        expires = oauth.get('expiresAt')
    except (ValueError, AttributeError, UnicodeDecodeError):
        raise SecretInputError("files['.credentials.json'] is not a Claude Code credentials file (not JSON with a "
                               'claudeAiOauth object). Capture it again with claude_session_facts.')
    where = "files['.credentials.json']: claudeAiOauth.expiresAt"
    relogin = 'Run `claude logout` then `claude login` on the source host and capture again.'
    defect = expires_at_defect(expires)
    if defect in ('missing', 'not a number', 'zero'):
        raise SecretInputError("%s is missing or not a number (blanked or damaged session). %s" % (where, relogin))
    if defect in ('negative', 'not finite'):
        raise SecretInputError('%s is not a time (%s). %s' % (where, defect, relogin))
    if defect == 'in seconds':
        raise SecretInputError('%s is %d, which reads as seconds; Claude Code writes milliseconds since 1970. The '
                               'file was not written by `claude login`. %s' % (where, expires, relogin))
    # What is left (past the year 9999 included) is a time: check_expiry refuses it when it is implausibly far.
    return check_expiry(int(expires // 1000), now, where)


def check_expiry(expires_at, now, where):
    """``expires_at`` (epoch seconds), or SecretInputError when it has passed or lies implausibly far ahead."""
    if expires_at <= now:
        raise SecretInputError('%s: the credentials already expired (%s); publishing them would hand consumers dead '
                               'credentials. Log in again on the source host (`claude login`) and capture again.'
                               % (where, iso_utc(expires_at)))
    if expires_at - now > MAX_LIFETIME:
        raise SecretInputError('%s: %s is more than %d days ahead, longer than any Claude credential lives (a session '
                               'hours, a `claude setup-token` token one year). Give the real expiry.'
                               % (where, _when(expires_at), MAX_LIFETIME // 86400))
    return expires_at


def session_lifetime_limit(params):
    """The ``session_max_lifetime`` option in seconds (SecretInputError when it is not a duration)."""
    try:
        return parse_duration(params.get('session_max_lifetime') or SESSION_MAX_LIFETIME, 'session_max_lifetime')
    except DurationError as exc:
        raise SecretInputError(str(exc))


def session_expiry_bounds(kind, expires_at, now, params):
    """``(expires_at, ceiling)`` for what a publish writes. A session (``kind``) whose expiry lies further ahead than
    session_max_lifetime is refused, before any write: SecretInputError with the reason and the fix. ``ceiling``
    (now plus session_max_lifetime, None for a long-lived token, which keeps its year): an existing session that
    claims to expire later is no newer session, and is replaced."""
    limit = session_lifetime_limit(params)
    if kind != 'session':
        return expires_at, None
    if expires_at is not None:
        where = 'expires_at' if params.get('expires_at') else "files['.credentials.json'] (claudeAiOauth.expiresAt)"
        far = too_far_ahead(where, expires_at, now, limit, 'Nothing was written.')
        if far:
            raise SecretInputError(far)
    return expires_at, now + limit


def _when(epoch):
    try:
        return iso_utc(epoch)
    except (OverflowError, OSError, ValueError):
        return 'a time past the year 9999'


def parse_expires_at(text, now):
    """The ``expires_at`` option as epoch seconds, checked like an expiry read from a session."""
    try:
        expires = parse_iso_utc(text)
    except (OverflowError, OSError, ValueError):
        expires = None
    if expires is None:
        raise SecretInputError("expires_at: '%s' is not an ISO 8601 time such as 2027-01-24T06:18:47Z." % text)
    return check_expiry(expires, now, 'expires_at')


def credential_kind(data):
    """``session`` (a captured .credentials.json), ``token`` (a long-lived setup-token token) or ``none``."""
    if CREDENTIALS_FILE in data:
        return 'session'
    if TOKEN_KEY in data:
        return 'token'
    return 'none'


def refresh_token_present(data):
    raw = data.get(CREDENTIALS_FILE)
    if raw is None:
        return False
    try:
        oauth = json.loads(raw.decode('utf-8')).get('claudeAiOauth') or {}
    except (ValueError, AttributeError, UnicodeDecodeError):
        return False
    return isinstance(oauth.get('refreshToken'), str) and bool(oauth.get('refreshToken'))


def value_digest(value):
    return 'sha256:' + hashlib.sha256(value).hexdigest()


def fingerprint(data):
    """``sha256:`` over the sorted keys and the SHA-256 of each value. Reveals nothing about the values."""
    digest = hashlib.sha256()
    for key in sorted(data):
        digest.update(key.encode('utf-8') + b'\0' + hashlib.sha256(data[key]).hexdigest().encode('ascii') + b'\n')
    return 'sha256:' + digest.hexdigest()


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
                raise SecretInputError("%s: '%s' is not a valid key. Use an optional DNS prefix and '/', then at most "
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
            raise SecretInputError("The value of label or annotation '%s' must be a string; quote it." % key)
    for key, value in all_labels.items():
        if len(value) > 63 or not _LABEL_VALUE_RE.match(value):
            raise SecretInputError("labels: the value of '%s' is not a valid label value: at most 63 letters, digits, "
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


def decide(existing, desired, state='present', prevent_downgrade=True):
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
