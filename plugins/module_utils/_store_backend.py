# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""What every secret-store backend shares: the companion keys kept beside the value, the deadline of a call to a
store (:func:`within`), and the ``Backend`` each backend module (``_store_<backend>.py``) subclasses. A backend
module holds its own options, defaults, environment variables and client; ``_store_entries`` collects them."""

from __future__ import annotations

import socket
import threading

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import TargetError

# Stores worked on at once.
MAX_PARALLEL_STORES = 16
SESSION_KEY = 'CREDENTIALS_JSON_B64'
META_FINGERPRINT = 'claudeops_fingerprint'
META_EXPIRES_AT = 'claudeops_expires_at'
META_SOURCE_HOST = 'claudeops_source_host'
META_KEYS = (META_FINGERPRINT, META_EXPIRES_AT, META_SOURCE_HOST)


class Backend(object):
    """One store: read() -> {value, meta, version, keys} or None; write(existing, value, meta); remove(existing) ->
    what was done. Counts its requests."""

    def __init__(self, entry, timeout):
        self.entry = entry
        self.timeout = timeout
        self.key = entry.get('key')
        self.requests = 0


def other_keys(data, key):
    """The keys of ``data`` that are not ours (``key`` and the claudeops_* keys) and hold something."""
    return dict((k, v) for k, v in (data or {}).items() if k != key and k not in META_KEYS and v)


def companion_keys(data, key, version, extra=None):
    """What a backend that keeps the companion keys beside the value (Vault, Secrets Manager, 1Password) returns
    from read(): the value, the claudeops_* keys, the version and the keys that hold something."""
    held = {'value': data.get(key), 'meta': dict((k, data.get(k)) for k in META_KEYS if data.get(k)),
            'version': version, 'keys': set(k for k in data if data[k])}
    held.update(extra or {})
    return held


def _timed_out(exc):
    """Whether a client's exception is its own timeout (requests' ReadTimeout, urllib3's and botocore's
    ReadTimeoutError, httpx's TimeoutException, ...): request_timeout sets those too, so they mean what the deadline
    means, and whichever fires first gives the same message."""
    return isinstance(exc, (TimeoutError, socket.timeout)) or any('Timeout' in cls.__name__ for cls in type(exc).__mro__)


def within(timeout, work, what):
    """``work()``'s result, or TargetError (code ``timeout``) once ``timeout`` seconds have passed: request_timeout
    bounds a store's whole call, its client's own retries included (Infisical's SDK retried a store that never
    answers for 29.6 s, boto3 and hvac for 8 to 13 s, with request_timeout 2). The work goes on in a daemon thread,
    which ends with the module."""
    box = {}

    def target():
        try:
            box['value'] = work()
        except BaseException as exc:  # pylint: disable=broad-except
            box['error'] = exc
    worker = threading.Thread(target=target, name='claudeops-store', daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or ('error' in box and _timed_out(box['error'])):
        raise TargetError('no answer within request_timeout (%g s, for the whole call, its retries included) %s: the '
                          'store or the way to it hangs. Nothing is known to have changed there; the next run reads '
                          'what it holds.' % (timeout, what), code='timeout')
    if 'error' in box:
        raise box['error']
    return box.get('value')
