# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""claude_secret_store: the captured session (or a long-lived token) written to secret stores, or removed from
them, with the guarantees of the cluster path (beside ``_publish``, which does it for clusters). Each backend goes
through its official Python client: Infisical (infisicalsdk), HashiCorp Vault KV v2 (hvac), AWS Secrets Manager
(boto3) and 1Password Connect (onepasswordconnectsdk), one module each (``_store_<backend>.py``).

What a store holds, per entry: the value under ``key`` (by default ``CREDENTIALS_JSON_B64``, the base64 of
``.credentials.json``, or ``CLAUDE_CODE_OAUTH_TOKEN`` for a long-lived token) and, beside it, the value's fingerprint,
its expiry and its source host: companion keys ``claudeops_fingerprint``, ``claudeops_expires_at`` and
``claudeops_source_host`` in the same Vault secret, Secrets Manager JSON or 1Password item, and the secret's comment
in Infisical (one key per secret there). One read decides (``_store_decision``); a rerun writes nothing. Values never
leave this module except in the write to the store; error messages are scrubbed of them.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import SESSION_MAX_LIFETIME, TOKEN_KEY
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError, TargetError
from ansible_collections.claudeops.credentials.plugins.module_utils._store_backend import (
    MAX_PARALLEL_STORES,
    META_EXPIRES_AT,
    META_KEYS,
    SESSION_KEY,
    within,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._store_decision import (
    WantedStoreValue,
    decide_store,
    foreign_message,
    hide_values,
    ours,
    shared_message,
    shared_with,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._store_entries import (
    STORE_SPEC,
    entry_secrets,
    missing_client_message,
    missing_clients,
    store_class,
    store_entries,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._time import iso_utc

MAX_ATTEMPTS = 3

STORE_ARGUMENT_SPEC = dict(
    stores=dict(type='list', elements='dict', options=STORE_SPEC),
    files=dict(type='dict', no_log=True),
    oauth_token=dict(type='str', no_log=True),
    expires_at=dict(type='str'),
    source_host=dict(type='str'),
    prevent_downgrade=dict(type='bool', default=True),
    request_timeout=dict(type='float', default=10.0),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    credential=dict(type='str', choices=['session', 'token']),
    adopt=dict(type='bool', default=False),
    session_max_lifetime=dict(type='str', default=SESSION_MAX_LIFETIME),
)


# -- one store, and all of them ------------------------------------------------------------------------------------

def on_store(entry, timeout, attempt_once, hidden):
    """(result entry, diff) for one store: ``attempt_once(store, result, diff)`` reads, decides and writes, returning
    True when done; it runs again (up to MAX_ATTEMPTS) after a write that met a concurrent writer. Failures become a
    failed entry whose message is scrubbed of ``hidden`` (values) and the entry's secrets, never an exception."""
    name, backend = entry['name'], entry['backend']
    result = {'name': name, 'backend': backend, 'action': 'failed', 'changed': False, 'requests': 0,
              'expires_at': None, 'msg': ''}
    diff = {'before_header': '%s (%s)' % (name, backend), 'after_header': '%s (%s)' % (name, backend),
            'before': '', 'after': ''}
    made = []

    def attempts():  # on copies: a call that outlives its deadline must not change what is reported
        mine, my_diff = dict(result), dict(diff)
        made.append(store_class(backend)(entry, timeout))
        for attempt in range(MAX_ATTEMPTS):
            try:
                if attempt_once(made[0], mine, my_diff):
                    break
            except TargetError as err:
                if not (err.conflict and attempt + 1 < MAX_ATTEMPTS):
                    raise
        return mine, my_diff
    try:
        mine, my_diff = within(timeout, attempts, 'from %s' % name)
        result.update(mine)
        diff.update(my_diff)
    except TargetError as err:
        result['msg'] = hide_values(err, hidden + entry_secrets(entry))
    except Exception as err:  # each client raises its own types; one store never stops the others
        result['msg'] = '%s: %s' % (type(err).__name__, hide_values(err, hidden + entry_secrets(entry)))
    result['requests'] = made[0].requests if made else 0
    return result, diff


def publish_one(entry, desired, params, check_mode):
    """(result entry, diff) for writing ``desired`` to one store."""
    def attempt_once(store, result, diff):
        existing = store.read()
        if existing is not None and not ours(existing) and not params.get('adopt'):
            raise TargetError(foreign_message(entry, False), code='not_ours')
        other = shared_with(existing, entry['key'])
        if other:
            raise TargetError(shared_message(entry['backend'], other), code='shared')
        action, msg, meta = decide_store(existing, desired, params['prevent_downgrade'])
        before = (existing or {}).get('meta') or {}
        diff['before'] = _view(existing, before)
        if meta is None:
            result.update(action=action, msg=msg, expires_at=before.get(META_EXPIRES_AT))
            diff['after'] = diff['before']
            return True
        diff['after'] = _view({'value': True}, meta)
        if check_mode:
            result.update(action={'created': 'would create', 'updated': 'would update'}[action], changed=True,
                          msg=msg, expires_at=meta[META_EXPIRES_AT])
            return True
        store.write(existing, desired.value, meta)
        result.update(action=action, changed=True, msg=msg, expires_at=meta[META_EXPIRES_AT])
        return True
    return on_store(entry, params['request_timeout'], attempt_once, [desired.value])


def remove_one(entry, params, check_mode):
    """(result entry, diff) for removing our credentials (``entry['key']``) from one store."""
    held = []  # the value read, scrubbed from messages too

    def attempt_once(store, result, diff):
        existing = store.read()
        if existing is None or not existing.get('value'):  # claudeops_* keys alone describe another key
            result.update(action='absent', msg='%s: nothing of ours there' % entry['key'])
            return True
        held.append(existing['value'])
        if not ours(existing) and not params.get('adopt'):
            raise TargetError(foreign_message(entry, True), code='not_ours')
        diff['before'] = _view(existing, existing.get('meta') or {})
        if check_mode:
            result.update(action='would delete', changed=True, msg='%s: would be removed' % entry['key'])
            return True
        result.update(action='deleted', changed=True, msg='%s: %s' % (entry['key'], store.remove(existing)))
        return True
    return on_store(entry, params['request_timeout'], attempt_once, held)


def _view(existing, meta):
    if existing is None:
        return ''
    return ''.join('%s: %s\n' % (k, meta.get(k) or '-') for k in META_KEYS)


def _wanted(params):
    """``(WantedStoreValue or None, kind)`` from the content options; InputError for bad input."""
    timeout = params.get('request_timeout')
    if timeout is None or not 0 < timeout <= 3600:
        raise InputError('request_timeout: %s; it must be a number of seconds above 0 (at most 3600).' % timeout,
                         'request_timeout')
    if params.get('state') == 'absent':
        if params.get('files') or params.get('oauth_token'):
            raise InputError('state=absent removes what the stores hold: give no files or oauth_token, and '
                             'credential (session or token) to say which.', 'state')
        return None, params.get('credential') or 'session'
    if not params.get('files') and not params.get('oauth_token'):
        raise InputError('Give files (a captured session, as slurp returns it) or oauth_token (from '
                         '`claude setup-token`).', 'files')
    desired = WantedStoreValue(params, int(time.time()))
    if params.get('credential') and params['credential'] != desired.kind:
        raise InputError('credential is %s, but the content is a %s; credential only matters with state=absent.'
                         % (params['credential'], desired.kind), 'credential')
    return desired, desired.kind


def _outcomes(entries, missing, desired, params, check_mode):
    """``{store name: (result entry, diff)}``: every store with its client at once, the others failed."""
    outcomes = {}
    for entry in entries:
        if entry['backend'] in missing:
            outcomes[entry['name']] = ({'name': entry['name'], 'backend': entry['backend'], 'action': 'failed',
                                        'changed': False, 'requests': 0, 'expires_at': None,
                                        'msg': missing_client_message(entry['backend'])}, None)
    ready = [e for e in entries if e['backend'] not in missing]
    if ready:
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_STORES, len(ready))) as pool:
            one = (lambda e: remove_one(e, params, check_mode)) if desired is None else (
                lambda e: publish_one(e, desired, params, check_mode))
            for entry, outcome in zip(ready, pool.map(one, ready)):
                outcomes[entry['name']] = outcome
    return outcomes


def run(params, check_mode, diff_mode):
    """claude_secret_store; raises InputError for bad input, before any request."""
    desired, kind = _wanted(params)
    entries = store_entries(params['stores'], kind)
    for entry in entries:
        entry['key'] = entry.get('key') or (TOKEN_KEY if kind == 'token' else SESSION_KEY)
    missing = missing_clients(entries)
    outcomes = _outcomes(entries, missing, desired, params, check_mode)
    stores = [outcomes[e['name']][0] for e in entries]
    result = {'changed': any(e['changed'] for e in stores), 'stores': stores,
              'fingerprint': desired.fingerprint if desired else None,
              'expires_at': iso_utc(desired.expires_at) if desired and desired.expires_at else None,
              'missing_clients': missing}
    recorded = sorted(e['expires_at'] for e in stores if e.get('expires_at') and e['action'] != 'failed')
    if recorded and desired and desired.carry_expiry:
        result['expires_at'] = recorded[0]
    failed = [e for e in stores if e['action'] == 'failed']
    result['msg'] = '; '.join('%s: %s' % (e['name'], e['msg']) for e in (failed or stores))
    if failed:
        result['msg'] = '%d of %d stores failed: %s' % (len(failed), len(entries), result['msg'])
    if diff_mode:
        result['diff'] = [outcomes[e['name']][1] for e in entries if outcomes[e['name']][1]]
    result['failed'] = bool(failed)
    return result
