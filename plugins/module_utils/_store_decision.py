# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""What to write to one secret store, decided from one read: the value and its companion keys
(:class:`WantedStoreValue`), never going backwards (:func:`decide_store`), never touching a secret that is not ours
(:func:`ours`), and never putting a session and a token in one secret (:func:`shared_with`). Pure functions; the
requests are in ``_store_publish`` and the backend modules."""

from __future__ import annotations

import base64

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import (
    CREDENTIALS_FILE,
    TOKEN_KEY,
    TOKEN_LIFETIME,
    credential_kind,
    credentials_expiry,
    expiry_seconds,
    fingerprint,
    oauth_of_base64,
    parse_expires_at,
    session_expiry_bounds,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._secret import build_data
from ansible_collections.claudeops.credentials.plugins.module_utils._store_backend import (
    META_EXPIRES_AT,
    META_FINGERPRINT,
    META_SOURCE_HOST,
    SESSION_KEY,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._time import iso_utc, parse_iso_utc


class WantedStoreValue(object):
    """The value to store and what is kept beside it, computed and validated before any store is touched."""

    def __init__(self, params, now):
        files = params.get('files')
        if files and CREDENTIALS_FILE not in files:
            raise InputError("files has no '%s': a store holds the session file (or give oauth_token)."
                             % CREDENTIALS_FILE, 'files')
        if files:
            files = {CREDENTIALS_FILE: files[CREDENTIALS_FILE]}
        data = build_data(files, params.get('oauth_token'), onboarding=False)
        self.kind = credential_kind(data)
        if self.kind == 'session':
            self.value = base64.b64encode(data[CREDENTIALS_FILE]).decode('ascii')
            self.default_key = SESSION_KEY
            expires = credentials_expiry(data, now)
        else:
            self.value = data[TOKEN_KEY].decode('ascii')
            self.default_key = TOKEN_KEY
            expires = None
        self.carry_expiry = False
        if params.get('expires_at'):
            expires = parse_expires_at(params['expires_at'], now)
        elif self.kind == 'token':
            expires = now + TOKEN_LIFETIME  # a store that already holds this token keeps the expiry it recorded
            self.carry_expiry = True
        self.expires_at, self.ceiling = session_expiry_bounds(self.kind, expires, now, params)
        self.fingerprint = fingerprint({'value': self.value.encode('ascii')})
        self.source_host = params.get('source_host') or ''

    def meta(self, expires_at=None):
        return {META_FINGERPRINT: self.fingerprint, META_EXPIRES_AT: iso_utc(expires_at or self.expires_at),
                META_SOURCE_HOST: self.source_host}


def stored_expiry(value, meta):
    """The expiry (epoch seconds) of what a store holds: its recorded claudeops_expires_at, else, for a session, the
    expiresAt inside the stored value; None when unknown."""
    recorded = parse_iso_utc((meta or {}).get(META_EXPIRES_AT))
    if recorded is not None:
        return recorded
    return expiry_seconds(oauth_of_base64(value))


def decide_store(existing, desired, prevent_downgrade=True):
    """(action, msg, meta to write or None) for a store holding ``existing`` ({value, meta} or None).

    ``unchanged`` when the stored value and its recorded fingerprint equal ours; ``skipped`` when the store holds
    newer credentials and prevent_downgrade is on; else ``created`` or ``updated``."""
    if existing is None:
        return 'created', 'stored', desired.meta()
    value = existing.get('value')
    meta = existing.get('meta') or {}
    same_value = value is not None and fingerprint({'value': value.encode('utf-8')}) == desired.fingerprint
    if same_value and meta.get(META_FINGERPRINT) == desired.fingerprint and meta.get(META_EXPIRES_AT):
        if desired.carry_expiry or parse_iso_utc(meta.get(META_EXPIRES_AT)) == desired.expires_at:
            return 'unchanged', 'already holds these credentials', None
    if same_value and desired.carry_expiry and parse_iso_utc(meta.get(META_EXPIRES_AT)):
        return 'updated', 'recorded the fingerprint beside the value', desired.meta(
            parse_iso_utc(meta.get(META_EXPIRES_AT)))
    current = stored_expiry(value, meta)
    if prevent_downgrade and not same_value and current is not None and desired.expires_at is not None \
            and current > desired.expires_at and not (desired.ceiling is not None and current > desired.ceiling):
        return ('skipped', 'the store holds newer credentials (expires %s) than these (expires %s); left alone '
                'because prevent_downgrade is true' % (iso_utc(current), iso_utc(desired.expires_at)), None)
    return 'updated', 'stored', desired.meta()


def ours(existing):
    """Whether what a store holds was written by claudeops.credentials: its claudeops_fingerprint is there (the
    companion key, field or Infisical comment every write of ours records)."""
    return bool(((existing or {}).get('meta') or {}).get(META_FINGERPRINT))


def foreign_message(entry, removing):
    what = 'item' if entry['backend'] == 'onepassword_connect' else 'secret'
    return ('this %s exists and was not written by claudeops.credentials (it has no %s); left alone: %s, or give '
            'this entry a %s of its own' % (what, META_FINGERPRINT, 'set adopt: true to remove our key from it'
                                            if removing else 'set adopt: true to take it over',
                                            'item' if what == 'item' else 'path'))


def shared_with(existing, key):
    """The other credential's key when the secret read (``existing``) holds it beside ours: writing would put two
    values under one set of claudeops_* keys. Infisical keeps one key per secret, so it never reports keys."""
    held = (existing or {}).get('keys') or ()
    return next((other for other in (SESSION_KEY, TOKEN_KEY) if other != key and other in held), None)


def hide_values(text, secrets):
    """``text`` with every secret in ``secrets`` replaced, on one line and cut short, for messages from a client."""
    text = ' '.join(str(text).split())
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, '<hidden>')
    return text if len(text) < 400 else text[:397] + '...'


def shared_message(backend, other):
    item = backend == 'onepassword_connect'
    return ('this %s already holds %s beside the claudeops_* keys; a session and a token never share one (each keeps '
            'its own fingerprint and expiry there): give this entry its own %s (the defaults are %s)'
            % ('item' if item else 'secret', other, 'item' if item else 'path',
               "'Claude session' and 'Claude token'" if item else 'claude/session and claude/oauth-token'))
