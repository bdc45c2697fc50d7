# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Every error this collection raises, in one hierarchy.

- ``ClaudeopsError``: the base. Its message names what, where and the fix, and never holds a credential. Its
  ``code`` says what kind of problem it is: callers choose a fix, a doctor row or a retry by the code, never by
  matching words of the message, so a message can be reworded freely.
- ``InputError``: bad input, found before any request or write; ``option`` names the option or variable.
  A module catches ``InputError`` and calls ``fail_json`` once.
- ``TargetError``: a request to one cluster or one store failed. It becomes that target's failed entry and never
  stops the others; ``status`` keeps the HTTP status when there was one.
- ``Refusal``: the login listener refused a signal; ``status`` is the HTTP status it answers.
"""

from __future__ import annotations

# HTTP statuses that name a problem of their own (the rest are ``http_error``, or ``server_error`` from 500 on).
_STATUS_CODES = {400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
                 422: 'invalid', 429: 'throttled'}


class ClaudeopsError(Exception):
    """The base of every error here. ``code``: a short stable name for the kind of problem."""

    code = 'error'

    def __init__(self, msg, code=None):
        super(ClaudeopsError, self).__init__(msg)
        if code:
            self.code = code


class InputError(ClaudeopsError, ValueError):
    """Bad input, found before any request or write. ``option``: the option or variable it names, when one does.
    Codes: ``input`` (any), ``duration`` (not a duration), ``thresholds`` (thresholds that contradict each other),
    ``alert_config`` (alert settings no receiver accepts), ``missing_client`` (a Python package is missing)."""

    code = 'input'

    def __init__(self, msg, option=None, code=None):
        super(InputError, self).__init__(msg, code)
        self.option = option


def status_code(status):
    """The code of an HTTP error status."""
    if status in _STATUS_CODES:
        return _STATUS_CODES[status]
    return 'server_error' if status and status >= 500 else 'http_error'


class TargetError(ClaudeopsError):
    """A request to a cluster or a store failed. ``status``: the HTTP status, when there was one. ``transient``
    ones (5xx, 429, reset, timeout) may succeed when tried again, after ``retry_after`` seconds when the server said
    so; ``conflict``: another writer changed the target since it was read. Codes without a status: ``tls``,
    ``unreachable``, ``timeout``, ``no_status``, ``not_json``, ``config`` (kubeconfig or client settings),
    ``cancelled``, ``missing_client``, ``not_ours``, ``shared``, ``namespace_missing``, ``kind``, ``unusable``."""

    code = 'target'

    def __init__(self, msg, status=None, transient=False, reason=None, retry_after=None, conflict=False,
                 code=None):
        super(TargetError, self).__init__(msg, code or (status_code(status) if status else None))
        self.status, self.transient, self.reason, self.retry_after = status, transient, reason, retry_after
        self.conflict = conflict


class Refusal(ClaudeopsError):
    """A refused signal: the HTTP status and a reason that is safe to log."""

    code = 'refused'

    def __init__(self, status, reason):
        super(Refusal, self).__init__(reason)
        self.status = status
        self.reason = reason
