# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The decisions of the event sources (extensions/eda/plugins/event_source/), kept free of I/O so they are unit-tested.

A login signal is a ``POST /login`` with ``Authorization: Bearer <token>`` and the JSON body
``{"host": "<inventory name>"}``, nothing else. ``Head`` reads its request head line by line as it arrives and
refuses, at the first line, anything RFC 9112 forbids or a limit passes; ``judge_head`` decides from the head alone
(the bearer token is checked before a byte of the body is read) and gives the body's length; ``judge_body`` gives the
host. Every refusal carries a reason that is safe to log: it never holds a header value, a token, a field name, or a
body value, and names a host only when it is a capture host. ``RefusalLog`` writes refusals at most one line per
interval, with counts. ``listener_settings`` validates the listener's arguments.

``expiry_events`` turns two polls of ``claude_secret_info`` records into the events ``expiry_watch`` emits: one per
cluster whose status changed (and, on the first poll, per cluster that is not healthy).
"""

from __future__ import annotations

import hmac
import json
import re
import sys
import time

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError, Refusal

LOGIN_PATH = '/login'
MIN_TOKEN_LENGTH = 16
# Seconds from a connection's accept to its whole request read, the TLS handshake included.
REQUEST_DEADLINE = 10
# The listener's arguments with a number: (default, lowest, highest).
NUMBERS = {
    'port': (5443, 0, 65535),
    'max_body': (1024, 64, 65536),
    'max_connections': (64, 1, 4096),
    'max_header_bytes': (8192, 1024, 65536),
    'refusal_log_interval': (10, 1, 3600),
}
DEFAULT_MAX_BODY = NUMBERS['max_body'][0]
# The login body is one flat object; anything nested deeper than this is refused before it is parsed.
MAX_JSON_DEPTH = 8
# An inventory hostname: what a workstation may name itself (matched on the whole string).
HOST_NAME = re.compile(r'[A-Za-z0-9][A-Za-z0-9._-]{0,252}')
# What makes a field look like a credential: its name, or a value shaped like a Claude token, a JWT or a PEM key.
CREDENTIAL_NAME = re.compile(r'(token|secret|passw|credential|oauth|bearer|refresh|access|api.?key|auth|cookie|session)',
                             re.I)
CREDENTIAL_VALUE = re.compile(r'(sk-ant-|eyJ[A-Za-z0-9_-]{8,}\.|-----BEGIN|[A-Za-z0-9+/_-]{40,})')
HEALTHY = ('healthy',)
# RFC 9112 section 3: method SP request-target SP HTTP-version; the target in origin form.
REQUEST_LINE = re.compile(r'([A-Z]{1,16}) (/[!-~]*) HTTP/([0-9])\.([0-9])')
# RFC 9110 section 5.1 and 5.5: a field name is a token; a value holds no control character but HTAB.
FIELD_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
FIELD_VALUE = re.compile(r'[\t\x20-\x7e\x80-\xff]*')
# The fields the listener reads: each may appear once (RFC 9112 sections 3.2 and 6.3 for Host and Content-Length).
READ_FIELDS = {'host': 'Host', 'authorization': 'Authorization', 'content-length': 'Content-Length',
               'transfer-encoding': 'Transfer-Encoding', 'expect': 'Expect'}
KNOWN_METHODS = ('GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE')


def looks_like_credential(value):
    """True when a string, or any string inside a list or dict, is shaped like a credential."""
    if isinstance(value, str):
        return bool(CREDENTIAL_VALUE.search(value))
    if isinstance(value, dict):
        return any(looks_like_credential(k) or looks_like_credential(v) for k, v in value.items())
    if isinstance(value, list):
        return any(looks_like_credential(v) for v in value)
    return False


def _number(args, name):
    default, low, high = NUMBERS[name]
    value = args.get(name)
    if value in (None, ''):
        return default
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InputError('login_signal: %s must be a whole number from %d to %d (default %d)'
                         % (name, low, high, default), name)
    return value


def listener_settings(args):
    """The listener's numbers from its arguments ({name: int}, defaults filled in); InputError names a bad one."""
    return dict((name, _number(args, name)) for name in sorted(NUMBERS))


def token_problem(token):
    """Why ``token`` cannot be the listener's bearer token, or None: the rule of the listener and of the login_hook
    role that gives it to the capture hosts."""
    if not isinstance(token, str) or len(token) < MIN_TOKEN_LENGTH:
        return 'must be a string of at least %d characters (generate one with `openssl rand -hex 32`)' % MIN_TOKEN_LENGTH
    if token.startswith('sk-ant-'):
        return 'is a Claude token; give a bearer token of its own (generate one with `openssl rand -hex 32`)'
    return None


def check_settings(token, hosts):
    """Raise InputError, naming the argument and the fix, for a token or hosts the listener must not start with."""
    problem = token_problem(token)
    if problem:
        raise InputError('login_signal: token %s, and give it to the login_hook role too' % problem, 'token')
    if not isinstance(hosts, (list, tuple)) or not hosts:
        raise InputError('login_signal: hosts (or inventory) must name at least one capture host, as in the '
                         'inventory group claude_hosts', 'hosts')
    bad = [h for h in hosts if not isinstance(h, str) or not HOST_NAME.fullmatch(h)]
    if bad:
        raise InputError('login_signal: hosts holds %d entr%s that %s not an inventory hostname (letters, digits, '
                         '".", "_", "-")' % (len(bad), 'y' if len(bad) == 1 else 'ies', 'is' if len(bad) == 1 else 'are'),
                         'hosts')


# Where the login_hook wrapper may send its signal: https, or plain http to loopback only (it carries the token).
_HOOK_URL = re.compile(r'https://[^\s/]+(/\S*)?|http://(127\.[0-9.]+|localhost|\[::1\])(:[0-9]+)?(/\S*)?')


def hook_problem(url, token, host, user='', windows=False):
    """The login_hook role's settings against the listener's rules: None, or one sentence naming the variable and
    the fix. Never quotes the token."""
    if not isinstance(url, str) or not _HOOK_URL.fullmatch(url):
        return ("claudeops_login_hook_url: give the listener's URL, https://HOST:PORT/login (plain http:// only to "
                "loopback, 127.0.0.1, localhost or [::1]: the wrapper sends the bearer token with every signal).")
    problem = token_problem(token)
    if problem:
        return "claudeops_login_hook_token (the listener's bearer token, its claudeops_login_token) %s." % problem
    if not isinstance(host, str) or not HOST_NAME.fullmatch(host):
        return ("claudeops_login_hook_host: %r is not an inventory hostname (letters, digits, '.', '_', '-'); the "
                "listener accepts only capture hosts." % (host,))
    if windows and not user:
        return ('claudeops_login_hook_user: give the person who runs `claude login` on this Windows host (WinRM '
                'logs in as another account).')
    return None


def authorized(header, token):
    """True when an Authorization header carries exactly ``Bearer <token>`` (compared in constant time)."""
    if not isinstance(header, str) or not header.startswith('Bearer '):
        return False
    return hmac.compare_digest(header[len('Bearer '):].strip().encode('utf-8'), token.encode('utf-8'))


class Head(object):
    """A request head, fed one line at a time as read (each with its line end) until ``feed`` returns True.

    Refused at the first line that breaks RFC 9112's framing: a line end other than CRLF (a bare LF or CR), a
    request line other than ``METHOD /path HTTP/1.x``, a folded or malformed header line (no space before the
    colon), a control character in a value, a field the listener reads given twice, HTTP/1.1 without Host; and
    431 past ``max_bytes`` in all. Only the fields the listener reads are kept, so its memory is bounded too.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self.method = self.path = self.version = None
        self.fields = {}

    def feed(self, raw):
        self.size += len(raw)
        if self.size > self.max_bytes:
            raise Refusal(431, 'a request head over %d bytes' % self.max_bytes)
        if not raw.endswith(b'\r\n') or b'\r' in raw[:-2] or b'\n' in raw[:-2]:
            raise Refusal(400, 'a line that does not end in CRLF (a bare LF or CR)')
        text = raw[:-2].decode('latin-1')
        if self.method is None:
            match = REQUEST_LINE.fullmatch(text)
            if not match:
                raise Refusal(400, 'not a request line of the form "POST /login HTTP/1.1"')
            self.method, self.path, self.version = match.group(1), match.group(2), match.group(3, 4)
            if self.version not in (('1', '1'), ('1', '0')):
                raise Refusal(400, 'an HTTP version other than 1.1 or 1.0')
            return False
        if not text:
            if self.version == ('1', '1') and 'host' not in self.fields:
                raise Refusal(400, 'no Host header (HTTP/1.1 requires one)')
            return True
        if text[0] in ' \t':
            raise Refusal(400, 'a folded header line (obsolete line folding)')
        name, colon, value = text.partition(':')
        if not colon or not FIELD_NAME.fullmatch(name):
            raise Refusal(400, 'a header line that is not "Name: value" (no space before the colon)')
        value = value.strip(' \t')
        if not FIELD_VALUE.fullmatch(value):
            raise Refusal(400, 'a control character in a header value')
        name = name.lower()
        if name in READ_FIELDS:
            if name in self.fields:
                raise Refusal(400, 'the %s header twice' % READ_FIELDS[name])
            self.fields[name] = value
        return False

    def body_length(self):
        """The length Content-Length gives, or Refusal: RFC 9112 section 6 framing, without Transfer-Encoding."""
        length, coding = self.fields.get('content-length'), self.fields.get('transfer-encoding')
        if coding is not None and length is not None:
            raise Refusal(400, 'Transfer-Encoding beside Content-Length')
        if coding is not None:
            raise Refusal(411, 'a Transfer-Encoding (send the body with Content-Length)')
        if length is None:
            raise Refusal(411, 'no Content-Length')
        if not re.fullmatch(r'[0-9]{1,10}', length):
            raise Refusal(400, 'Content-Length is not a number of bytes')
        return int(length)

    def expects_continue(self):
        return self.fields.get('expect', '').lower() == '100-continue'


def judge_head(head, token, max_body=DEFAULT_MAX_BODY):
    """The body's length, or Refusal, from the head alone: no byte of the body is read before the token is checked."""
    if head.path.rstrip('/') != LOGIN_PATH:
        raise Refusal(404, 'unknown path (only POST %s is served)' % LOGIN_PATH)
    if head.method != 'POST':
        raise Refusal(405, 'method %s (only POST is accepted)' % (head.method if head.method in KNOWN_METHODS else '?'))
    authorization = head.fields.get('authorization')
    if not authorized(authorization, token):
        raise Refusal(401, 'missing or wrong bearer token' if authorization else 'no Authorization header')
    length = head.body_length()
    if length > max_body:
        raise Refusal(413, 'body over %d bytes' % max_body)
    return length


def too_deep(text, limit=MAX_JSON_DEPTH):
    """True when JSON text nests arrays and objects deeper than limit (strings skipped): refused before parsing."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == '\\':
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in '[{':
            depth += 1
            if depth > limit:
                return True
        elif char in ']}':
            depth -= 1
    return False


def _credential_reason(data):
    words = sorted(set(CREDENTIAL_NAME.search(k).group(1).lower() for k in data
                       if k != 'host' and CREDENTIAL_NAME.search(k)))
    return ', '.join(words) if words else 'a value shaped like a token'


def judge_body(body, hosts):
    """The host a signal's body names, or Refusal."""
    try:
        text = body.decode('utf-8')
    except UnicodeDecodeError:
        raise Refusal(400, 'the body is not JSON')
    if too_deep(text):
        raise Refusal(400, 'the body nests deeper than %d levels' % MAX_JSON_DEPTH)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise Refusal(400, 'the body is not JSON')
    if not isinstance(data, dict):
        raise Refusal(400, 'the body is not a JSON object {"host": ...}')
    if any(looks_like_credential(k) or looks_like_credential(v) or (k != 'host' and CREDENTIAL_NAME.search(k))
           for k, v in data.items()):
        raise Refusal(400, 'a field looks like a credential (%s; value not logged): a login signal carries only the '
                      'host name' % _credential_reason(data))
    extra = len([k for k in data if k != 'host'])
    if extra:
        raise Refusal(400, '%d field%s besides host (names not logged): a login signal carries only {"host": ...}'
                      % (extra, '' if extra == 1 else 's'))
    host = data.get('host')
    if not isinstance(host, str) or not HOST_NAME.fullmatch(host):
        raise Refusal(400, 'host is missing or not an inventory hostname')
    if host not in hosts:
        raise Refusal(403, 'a host that is not among the %d capture hosts (value not logged)' % len(hosts))
    return host


class RefusalLog(object):
    """Refused and dropped connections, written at most one line per ``interval`` seconds.

    The first after a quiet interval is written at once, with its client's address; the next ones are counted, by
    reason, and ``flush`` (called at least once per interval) writes them as one line with the counts and the
    addresses (at most 3 named). A reason is our own text, so the counts stay few however many clients there are.
    """

    MAX_PEERS = 1000

    def __init__(self, emit, interval, clock=time.monotonic):
        self._emit, self.interval, self._clock = emit, interval, clock
        self._last = None
        self._counts = {}
        self._peers = set()

    def add(self, peer, what):
        now = self._clock()
        if not self._counts and (self._last is None or now - self._last >= self.interval):
            self._emit('login_signal: refused a connection from %s: %s' % (peer, what))
            self._last = now
            return
        self._counts[what] = self._counts.get(what, 0) + 1
        if len(self._peers) < self.MAX_PEERS:
            self._peers.add(peer)

    def flush(self, force=False):
        now = self._clock()
        if not self._counts or not (force or now - self._last >= self.interval):
            return
        peers = sorted(self._peers)
        named = ', '.join(peers[:3]) + (', ...' if len(peers) > 3 else '')
        counts = ', '.join('%d %s' % (n, what) for what, n in sorted(self._counts.items(), key=lambda i: (-i[1], i[0])))
        total = sum(self._counts.values())
        self._emit('login_signal: refused %d more connection%s in the last %d s, from %s%d address%s (%s): %s'
                   % (total, '' if total == 1 else 's', round(now - self._last),
                      'at least ' if len(peers) >= self.MAX_PEERS else '', len(peers),
                      '' if len(peers) == 1 else 'es', named, counts))
        self._last = now
        self._counts, self._peers = {}, set()


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


def say(source, text, stream=None, clock=time.time):
    """One line for whoever reads the service's log, at every verbosity (ansible-rulebook shows its INFO log only at
    -v): where the listener listens, each signal it accepted, each status expiry_watch saw change. ``text`` names
    hosts and clusters only, never a value a client sent. In the form of ansible-rulebook's own log lines."""
    stream = stream or sys.stdout
    stamp = time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(clock()))
    stream.write('%s - claudeops.credentials.%s - %s\n' % (stamp, source, text))
    stream.flush()
