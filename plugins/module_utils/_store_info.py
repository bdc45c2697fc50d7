# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""What secret stores hold, read-only, for claude_secret_info (beside ``_secret_info``, which reads the
clusters): never a value, only its kind, expiry, fingerprint and source host."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import oauth_of_base64, refreshable
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import ClaudeopsError, TargetError
from ansible_collections.claudeops.credentials.plugins.module_utils._store_backend import (
    MAX_PARALLEL_STORES,
    META_EXPIRES_AT,
    META_FINGERPRINT,
    META_SOURCE_HOST,
    SESSION_KEY,
    within,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._store_decision import hide_values, stored_expiry
from ansible_collections.claudeops.credentials.plugins.module_utils._store_entries import (
    entry_kind,
    entry_secrets,
    missing_client_message,
    missing_clients,
    store_class,
    store_entries,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._time import iso_utc


def info_entries(stores, environ=None):
    """Store entries for reading: each with the defaults of the credential its ``key`` names (a token when the key
    is CLAUDE_CODE_OAUTH_TOKEN, else a session)."""
    if not stores:
        return []
    entries = store_entries(stores, None, environ)
    for entry in entries:
        entry['kind'] = entry_kind(entry)
        entry['key'] = entry.get('key') or SESSION_KEY
    return entries


def inspect_store(entry, timeout, now, status_of):
    """What one store holds, read-only, never a value. ``status_of(kind, expires, refreshable)`` gives
    (status, detail). Never raises: a failure is in the entry's ``error``."""
    out = {'name': entry['name'], 'backend': entry['backend'], 'key': entry['key'], 'reachable': False,
           'exists': False, 'kind': None, 'refreshable': None, 'expires_at': None, 'expires_in': None,
           'status': 'missing', 'fingerprint': None, 'source_host': None, 'error': None, 'detail': None,
           'requests': 0, 'error_code': None}
    made = []

    def read():
        made.append(store_class(entry['backend'])(entry, timeout))
        return made[0].read()
    try:
        if missing_clients([entry]):
            raise TargetError(missing_client_message(entry['backend']), code='missing_client')
        held = within(timeout, read, 'from %s' % entry['name'])
        out['reachable'] = True
        if held is not None and held.get('value'):
            meta = held.get('meta') or {}
            out.update(exists=True, kind=entry['kind'], fingerprint=meta.get(META_FINGERPRINT),
                       source_host=meta.get(META_SOURCE_HOST) or None)
            expires = stored_expiry(held['value'], meta)
            if entry['kind'] == 'session':
                out['refreshable'] = refreshable(oauth_of_base64(held['value']))
            if expires is None:
                out['status'], out['detail'] = 'unknown', 'expiry unknown (no %s beside the value)' % META_EXPIRES_AT
            else:
                out.update(expires_at=iso_utc(expires), expires_in=expires - now)
                out['status'], out['detail'] = status_of(entry['kind'], expires, out['refreshable'])
        else:
            out['detail'] = 'nothing under %s' % entry['key']
    except Exception as err:  # each client raises its own types; one store never hides the others
        out['error'] = hide_values(err, entry_secrets(entry))
        out['error_code'] = err.code if isinstance(err, ClaudeopsError) else 'client_error'
        out['status'] = 'unreachable'
    out['requests'] = made[0].requests if made else 0
    return out


def inspect_stores(entries, timeout, now, status_of):
    """inspect_store for each of ``entries`` (from info_entries), in parallel."""
    if not entries:
        return []
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_STORES, len(entries))) as pool:
        return list(pool.map(lambda e: inspect_store(e, timeout, now, status_of), entries))
