# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The decisions of the event sources (extensions/eda/plugins/event_source/), kept free of I/O so they are unit-tested.

``judge`` decides one login signal: a ``POST /login`` with ``Authorization: Bearer <token>`` and the JSON body
``{"host": "<inventory name>"}``, nothing else. Every refusal carries a reason that is safe to log: it never holds a
header value, a token, or a body value that could be one.

``expiry_events`` turns two polls of ``claude_secret_info`` records into the events ``expiry_watch`` emits: one per
cluster whose status changed (and, on the first poll, per cluster that is not healthy).
"""

from __future__ import annotations

import hmac
import json
import re

LOGIN_PATH = '/login'
DEFAULT_MAX_BODY = 1024
MIN_TOKEN_LENGTH = 16
# An inventory hostname: what a workstation may name itself. Anything else is refused without being logged.
HOST_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$')
# What makes a field look like a credential: its name, or a value shaped like a Claude token, a JWT or a PEM key.
CREDENTIAL_NAME = re.compile(r'(token|secret|passw|credential|oauth|bearer|refresh|access|api.?key|auth|cookie|session)',
                             re.I)
CREDENTIAL_VALUE = re.compile(r'(sk-ant-|eyJ[A-Za-z0-9_-]{8,}\.|-----BEGIN|[A-Za-z0-9+/_-]{40,})')
HEALTHY = ('healthy',)


class Refusal(Exception):
    """A refused signal: the HTTP status and a reason that is safe to log."""

    def __init__(self, status, reason):
        super(Refusal, self).__init__(reason)
        self.status = status
        self.reason = reason


def looks_like_credential(value):
    """True when a string, or any string inside a list or dict, is shaped like a credential."""
    if isinstance(value, str):
        return bool(CREDENTIAL_VALUE.search(value))
    if isinstance(value, dict):
        return any(looks_like_credential(k) or looks_like_credential(v) for k, v in value.items())
    if isinstance(value, list):
        return any(looks_like_credential(v) for v in value)
    return False


def safe_name(name):
    """A field name as it may appear in a log line."""
    if isinstance(name, str) and HOST_NAME.match(name) and not looks_like_credential(name):
        return name
    return '(a field whose name is not logged)'


def check_settings(token, hosts, max_body):
    """Raise ValueError, naming the argument and the fix, for settings the listener must not start with."""
    if not isinstance(token, str) or len(token) < MIN_TOKEN_LENGTH:
        raise ValueError('login_signal: token must be a string of at least %d characters (generate one with '
                         '`openssl rand -hex 32` and give it to the login_hook role too)' % MIN_TOKEN_LENGTH)
    if not isinstance(hosts, (list, tuple)) or not hosts:
        raise ValueError('login_signal: hosts (or inventory) must name at least one capture host, as in the '
                         'inventory group claude_hosts')
    bad = [h for h in hosts if not isinstance(h, str) or not HOST_NAME.match(h)]
    if bad:
        raise ValueError('login_signal: hosts holds %d entr%s that %s not an inventory hostname (letters, digits, '
                         '".", "_", "-")' % (len(bad), 'y' if len(bad) == 1 else 'ies', 'is' if len(bad) == 1 else 'are'))
    if not isinstance(max_body, int) or isinstance(max_body, bool) or not 64 <= max_body <= 65536:
        raise ValueError('login_signal: max_body must be a number of bytes from 64 to 65536 (default %d)'
                         % DEFAULT_MAX_BODY)


def authorized(header, token):
    """True when an Authorization header carries exactly ``Bearer <token>`` (compared in constant time)."""
    if not isinstance(header, str) or not header.startswith('Bearer '):
        return False
    return hmac.compare_digest(header[len('Bearer '):].strip().encode('utf-8'), token.encode('utf-8'))


def judge(method, path, authorization, content_length, body, token, hosts, max_body=DEFAULT_MAX_BODY):
    """The host a signal names, or Refusal. ``body`` is at most max_body + 1 bytes of what the client sent."""
    if path.rstrip('/') != LOGIN_PATH:
        raise Refusal(404, 'unknown path (only POST %s is served)' % LOGIN_PATH)
    if method != 'POST':
        raise Refusal(405, 'method %s (only POST is accepted)' % (method if method.isalpha() else '?'))
    if (content_length is not None and content_length > max_body) or len(body) > max_body:
        raise Refusal(413, 'body over %d bytes' % max_body)
    if not authorized(authorization, token):
        raise Refusal(401, 'missing or wrong bearer token' if authorization else 'no Authorization header')
    try:
        data = json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError):
        raise Refusal(400, 'the body is not JSON')
    if not isinstance(data, dict):
        raise Refusal(400, 'the body is not a JSON object {"host": ...}')
    suspicious = [k for k, v in data.items()
                  if looks_like_credential(k) or looks_like_credential(v) or (k != 'host' and CREDENTIAL_NAME.search(k))]
    if suspicious:
        raise Refusal(400, 'a field looks like a credential (%s; value not logged): a login signal carries only the '
                      'host name' % ', '.join(sorted(safe_name(k) for k in suspicious)))
    extra = sorted(k for k in data if k != 'host')
    if extra:
        raise Refusal(400, 'fields other than host (%s): a login signal carries only {"host": ...}'
                      % ', '.join(safe_name(k) for k in extra))
    host = data.get('host')
    if not isinstance(host, str) or not HOST_NAME.match(host):
        raise Refusal(400, 'host is missing or not an inventory hostname')
    if host not in hosts:
        raise Refusal(403, 'unknown host %s (not among the %d capture hosts)' % (host, len(hosts)))
    return host


def hosts_of_group(inventory, group):
    """Every host of ``group`` and its children, from ``ansible-inventory --list`` output (a dict)."""
    found, todo, seen = [], [group], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        entry = inventory.get(name) or {}
        found.extend(h for h in entry.get('hosts') or () if h not in found)
        todo.extend(entry.get('children') or ())
    return sorted(found)


EVENT_FIELDS = ('name', 'namespace', 'secret', 'status', 'kind', 'refreshable', 'expires_at', 'expires_in', 'detail',
                'error')


def expiry_events(previous, records):
    """(events, state): an event per cluster whose status changed since ``previous`` ({cluster: status}).

    On the first poll (``previous`` None) only clusters that are not healthy give an event. Each event holds the
    record's public fields (never a data value: claude_secret_info reads none) and ``previous``.
    """
    events, state = [], {}
    for record in records:
        name, status = record['name'], record['status']
        state[name] = status
        before = None if previous is None else previous.get(name)
        if status == before or (before is None and status in HEALTHY):
            continue
        event = dict((k, record.get(k)) for k in EVENT_FIELDS)
        event['cluster'] = event.pop('name')
        event['previous'] = before
        events.append(event)
    return events, state
