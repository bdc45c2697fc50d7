# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""claude_secret_store: the captured session (or a long-lived token) in secret stores, with the guarantees of the
cluster path. Each backend goes through its official Python client: Infisical (infisicalsdk), HashiCorp Vault KV v2
(hvac), AWS Secrets Manager (boto3) and 1Password Connect (onepasswordconnectsdk).

What a store holds, per entry: the value under ``key`` (by default ``CREDENTIALS_JSON_B64``, the base64 of
``.credentials.json``, or ``CLAUDE_CODE_OAUTH_TOKEN`` for a long-lived token) and, beside it, the value's fingerprint,
its expiry and its source host: companion keys ``claudeops_fingerprint``, ``claudeops_expires_at`` and
``claudeops_source_host`` in the same Vault secret, Secrets Manager JSON or 1Password item, and the secret's comment
in Infisical (one key per secret there). One read decides; a rerun writes nothing. Values never leave this module
except in the write to the store; error messages are scrubbed of them.
"""

from __future__ import annotations

import base64
import inspect
import json
import os
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, unquote

from ansible_collections.claudeops.credentials.plugins.module_utils._secret import (
    TOKEN_KEY,
    TOKEN_LIFETIME,
    SecretInputError,
    build_data,
    credential_kind,
    credentials_expiry,
    session_expiry_bounds,
    fingerprint,
    parse_expires_at,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._session import (
    CREDENTIALS_FILE,
    SESSION_MAX_LIFETIME,
    iso_utc,
    parse_iso_utc,
)

BACKENDS = ('infisical', 'vault', 'aws_secretsmanager', 'onepassword_connect')
SESSION_KEY = 'CREDENTIALS_JSON_B64'
META_FINGERPRINT = 'claudeops_fingerprint'
META_EXPIRES_AT = 'claudeops_expires_at'
META_SOURCE_HOST = 'claudeops_source_host'
META_KEYS = (META_FINGERPRINT, META_EXPIRES_AT, META_SOURCE_HOST)
MAX_ATTEMPTS = 3
MAX_PARALLEL = 16

# Each backend's usual environment variables (what its own CLI and the AWX credential types inject).
ENVIRONMENT = {
    'infisical': {'url': 'INFISICAL_API_URL', 'token': 'INFISICAL_TOKEN',
                  'client_id': 'INFISICAL_UNIVERSAL_AUTH_CLIENT_ID',
                  'client_secret': 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET'},
    'vault': {'url': 'VAULT_ADDR', 'token': 'VAULT_TOKEN', 'namespace': 'VAULT_NAMESPACE', 'ca_cert': 'VAULT_CACERT'},
    'aws_secretsmanager': {},  # boto3 reads AWS_* itself (keys, profile, region, AWS_ENDPOINT_URL)
    'onepassword_connect': {'url': 'OP_CONNECT_HOST', 'token': 'OP_CONNECT_TOKEN'},
}
DEFAULTS = {
    'infisical': {'url': 'https://app.infisical.com', 'environment': 'prod', 'path': '/agentic-platform/claude'},
    'vault': {'mount': 'secret'},
    'aws_secretsmanager': {},
    'onepassword_connect': {},
}
# A session and a token never share a secret (each keeps its own fingerprint and expiry beside it). In Infisical
# each key is a secret of its own, so both live in the one folder.
KIND_DEFAULTS = {
    'session': {'vault': {'path': 'claude/session'}, 'aws_secretsmanager': {'path': 'claude/session'},
                'onepassword_connect': {'item': 'Claude session'}},
    'token': {'vault': {'path': 'claude/oauth-token'}, 'aws_secretsmanager': {'path': 'claude/oauth-token'},
              'onepassword_connect': {'item': 'Claude token'}},
}
# What each backend needs, after defaults and the environment; and the options that mean nothing to it.
REQUIRED = {
    'infisical': ('project_id',),
    'vault': ('url', 'token'),
    'aws_secretsmanager': (),
    'onepassword_connect': ('url', 'token', 'vault_id'),
}
OWN_OPTIONS = {
    'infisical': ('url', 'token', 'client_id', 'client_secret', 'project_id', 'environment', 'path', 'key'),
    'vault': ('url', 'token', 'namespace', 'mount', 'path', 'key', 'ca_cert', 'validate_certs'),
    'aws_secretsmanager': ('path', 'key', 'region', 'endpoint_url', 'profile', 'access_key', 'secret_key',
                           'session_token', 'kms_key_id'),
    'onepassword_connect': ('url', 'token', 'vault_id', 'item', 'key', 'ca_cert'),
}
SECRET_OPTIONS = ('token', 'client_secret', 'secret_key', 'session_token')
CLIENTS = {'infisical': 'infisicalsdk', 'vault': 'hvac', 'aws_secretsmanager': 'boto3',
           'onepassword_connect': 'onepasswordconnectsdk'}

STORE_SPEC = dict(
    name=dict(type='str'),
    backend=dict(type='str', required=True, choices=list(BACKENDS)),
    url=dict(type='str'),
    token=dict(type='str', no_log=True),
    client_id=dict(type='str'),
    client_secret=dict(type='str', no_log=True),
    project_id=dict(type='str'),
    environment=dict(type='str'),
    path=dict(type='str'),
    key=dict(type='str', no_log=False),
    mount=dict(type='str'),
    namespace=dict(type='str'),
    ca_cert=dict(type='path'),
    validate_certs=dict(type='bool'),
    region=dict(type='str'),
    endpoint_url=dict(type='str'),
    profile=dict(type='str'),
    access_key=dict(type='str', no_log=True),
    secret_key=dict(type='str', no_log=True),
    session_token=dict(type='str', no_log=True),
    kms_key_id=dict(type='str'),
    vault_id=dict(type='str'),
    item=dict(type='str'),
)

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

_KEY_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_.-]{0,127}$')
# The options that become part of a request's URL path, per backend: a '.' or '..' segment there is resolved by the
# client or the server and reaches another team's secret ('claude/../../../secret/data/other-team/app').
PATH_OPTIONS = {
    'infisical': ('path',),
    'vault': ('mount', 'path'),
    'aws_secretsmanager': (),  # a secret's name goes in the JSON body, never in a URL path
    'onepassword_connect': ('vault_id', 'item'),
}
PATH_EXAMPLES = {'path': 'claude/session', 'mount': 'secret', 'vault_id': 'the vault id Connect lists',
                 'item': "'Claude session' or an item id"}


def _path_problem(value):
    """Why ``value`` cannot be a path option (a '.' or '..' segment, a backslash, an empty segment inside, a control
    character), or None."""
    if value is None:
        return None
    text = str(value)
    if any(ord(c) < 32 or c == '\x7f' for c in text) or '\\' in text:
        return 'holds a control character or a backslash'
    segments = text.strip('/').split('/')
    if any(seg in ('.', '..') for seg in segments):
        return "holds a '.' or '..' segment, which would reach a secret outside it"
    if '' in segments and text.strip('/'):
        return "holds an empty segment ('//')"
    return None


class StoreError(Exception):
    """A store request failed; the message never holds a value. ``conflict``: someone wrote in between."""

    def __init__(self, msg, conflict=False):
        super(StoreError, self).__init__(msg)
        self.conflict = conflict


def _timed_out(exc):
    """Whether a client's exception is its own timeout (requests' ReadTimeout, urllib3's and botocore's
    ReadTimeoutError, httpx's TimeoutException, ...): request_timeout sets those too, so they mean what the deadline
    means, and whichever fires first gives the same message."""
    return isinstance(exc, (TimeoutError, socket.timeout)) or any('Timeout' in cls.__name__ for cls in type(exc).__mro__)


def within(timeout, work, what):
    """``work()``'s result, or StoreError once ``timeout`` seconds have passed: request_timeout bounds a store's whole
    call, its client's own retries included (Infisical's SDK retried a store that never answers for 29.6 s, boto3
    and hvac for 8 to 13 s, with request_timeout 2). The work goes on in a daemon thread, which ends with the module."""
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
        raise StoreError('no answer within request_timeout (%g s, for the whole call, its retries included) %s: the '
                         'store or the way to it hangs. Nothing is known to have changed there; the next run reads '
                         'what it holds.' % (timeout, what))
    if 'error' in box:
        raise box['error']
    return box.get('value')


class StoreInputError(ValueError):
    """Bad input, found before any request. The message names the store, the option and the fix."""


# -- input ------------------------------------------------------------------------------------------------------

def entry_kind(entry):
    """What an entry read by claude_secret_info holds: a ``token`` when its key is CLAUDE_CODE_OAUTH_TOKEN."""
    return 'token' if (entry or {}).get('key') == TOKEN_KEY else 'session'


def entry_secrets(entry):
    """The entry's own secrets, to scrub from a client's messages."""
    return [entry.get(k) for k in SECRET_OPTIONS]


def missing_client_message(backend):
    return 'the %s Python package is required on the controller: pip install %s' % (CLIENTS[backend],
                                                                                    CLIENTS[backend])


def store_entries(stores, kind='session', environ=None):
    """The store entries with names, defaults (for a ``session`` or a ``token``; with ``kind`` None, what each
    entry's key names) and environment applied, each checked; StoreInputError otherwise."""
    environ = os.environ if environ is None else environ
    out, names = [], set()
    for index, given in enumerate(stores or []):
        entry = dict((k, v) for k, v in (given or {}).items() if v is not None)
        backend = entry.get('backend')
        defaults = KIND_DEFAULTS[kind or entry_kind(entry)].get(backend, {})
        where = "stores[%d] (%s)" % (index, entry.get('name') or backend)
        for option in sorted(set(entry) - set(OWN_OPTIONS.get(backend, ())) - {'name', 'backend'}):
            raise StoreInputError('%s: %s means nothing to the %s backend; its options are %s.'
                                  % (where, option, backend, ', '.join(OWN_OPTIONS[backend])))
        for option, variable in ENVIRONMENT[backend].items():
            if option not in entry and environ.get(variable):
                entry[option] = environ[variable]
        for option, value in list(DEFAULTS[backend].items()) + list(defaults.items()):
            entry.setdefault(option, value)
        missing = [o for o in REQUIRED[backend] if not entry.get(o)]
        if missing:
            raise StoreInputError('%s: give %s.' % (where, ' and '.join(
                '%s (or set %s)' % (o, ENVIRONMENT[backend][o]) if o in ENVIRONMENT[backend] else o for o in missing)))
        if backend == 'infisical' and not entry.get('token') and not (entry.get('client_id') and
                                                                      entry.get('client_secret')):
            raise StoreInputError('%s: give token (a machine identity access token, or set INFISICAL_TOKEN), or '
                                  'client_id and client_secret (Universal Auth, or set '
                                  'INFISICAL_UNIVERSAL_AUTH_CLIENT_ID and INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET).'
                                  % where)
        if entry.get('key') is not None and not _KEY_RE.match(entry['key']):
            raise StoreInputError("%s: key '%s' is not a usable secret key: letters, digits, '_', '.' and '-', "
                                  "starting with a letter or '_' (for example CREDENTIALS_JSON_B64)."
                                  % (where, entry['key']))
        if entry.get('key') in META_KEYS:
            raise StoreInputError('%s: key %s is where the fingerprint or expiry is kept; choose another.'
                                  % (where, entry['key']))
        if backend == 'infisical' and not entry['path'].startswith('/'):
            raise StoreInputError("%s: path '%s' must start with '/' (an Infisical folder, for example "
                                  "/agentic-platform/claude)." % (where, entry['path']))
        for option in PATH_OPTIONS.get(backend, ()):
            problem = _path_problem(entry.get(option))
            if problem:
                raise StoreInputError("%s: %s '%s' %s; give the secret's own path (for example %s)."
                                      % (where, option, entry[option], problem, PATH_EXAMPLES[option]))
        for option in ('url', 'endpoint_url'):
            if entry.get(option) and not re.match(r'^https?://[^\s/]+', entry[option]):
                raise StoreInputError("%s: %s '%s' is not an http(s) URL." % (where, option, entry[option]))
        if backend == 'infisical':
            # Infisical's CLI long wanted INFISICAL_API_URL to end in /api; its SDK adds /api itself.
            entry['url'] = re.sub(r'/api$', '', entry['url'].rstrip('/'))
        entry['name'] = entry.get('name') or '%s:%s' % (backend, entry.get('path') or entry.get('item'))
        if entry['name'] in names:
            raise StoreInputError("stores: the name '%s' is used twice; give each store its own name." % entry['name'])
        names.add(entry['name'])
        out.append(entry)
    if not out:
        raise StoreInputError('stores is empty: give at least one store ({name, backend, ...}).')
    return out


class Desired(object):
    """The value to store and what is kept beside it, computed and validated before any store is touched."""

    def __init__(self, params, now):
        files = params.get('files')
        if files and CREDENTIALS_FILE not in files:
            raise SecretInputError("files has no '%s': a store holds the session file (or give oauth_token)."
                                   % CREDENTIALS_FILE)
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


# -- the decision (pure) -------------------------------------------------------------------------------------------

def stored_expiry(value, meta):
    """The expiry (epoch seconds) of what a store holds: its recorded claudeops_expires_at, else, for a session, the
    expiresAt inside the stored value; None when unknown."""
    recorded = parse_iso_utc((meta or {}).get(META_EXPIRES_AT))
    if recorded is not None:
        return recorded
    try:
        oauth = json.loads(base64.b64decode(value or '', validate=True)).get('claudeAiOauth') or {}
        return int(oauth['expiresAt']) // 1000
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def decide(existing, desired, prevent_downgrade=True):
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


def _foreign_message(entry, removing):
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


def _others(data, key):
    """The keys of ``data`` that are not ours (``key`` and the claudeops_* keys) and hold something."""
    return dict((k, v) for k, v in (data or {}).items() if k != key and k not in META_KEYS and v)


def scrub(text, secrets):
    """``text`` with every secret in ``secrets`` (and its base64) replaced, for messages from a client."""
    text = ' '.join(str(text).split())
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, '<hidden>')
    return text if len(text) < 400 else text[:397] + '...'


# -- backends -----------------------------------------------------------------------------------------------------

class Backend(object):
    """One store: read() -> {value, meta, version} or None; write(existing, value, meta); remove(existing) -> what
    was done. Counts its requests."""

    def __init__(self, entry, timeout):
        self.entry = entry
        self.timeout = timeout
        self.key = entry.get('key')
        self.requests = 0


def meta_comment(meta):
    """The Infisical comment that records ``meta``: ``name=value`` pairs, each value percent-encoded but for ':' (so
    a fingerprint and an expiry read as they are), so that a value (a source host named
    ``ws6 claudeops_expires_at=2099-01-01T00:00:00Z``) can never add a pair of its own."""
    return ' '.join('%s=%s' % (k, quote(str(meta[k]), safe=':')) for k in META_KEYS if meta.get(k))


def comment_meta(comment):
    """The claudeops_* pairs of an Infisical comment, decoded; the first of each name counts."""
    meta = {}
    for part in (comment or '').split():
        name, _sep, value = part.partition('=')
        if name in META_KEYS and name not in meta:
            meta[name] = unquote(value)
    return meta


class InfisicalBackend(Backend):
    """One Infisical secret (``key``) in ``path`` of ``environment``; the comment holds fingerprint and expiry."""

    def __init__(self, entry, timeout):
        super(InfisicalBackend, self).__init__(entry, timeout)
        from infisical_sdk import InfisicalSDKClient
        from infisical_sdk.infisical_requests import APIError
        self.APIError = APIError
        # Releases after 1.0.3 cache reads unless cache_ttl is None; a read after our own write must see it.
        no_cache = {'cache_ttl': None} if 'cache_ttl' in inspect.signature(InfisicalSDKClient).parameters else {}
        self.client = InfisicalSDKClient(host=entry['url'], token=entry.get('token'), **no_cache)
        session = self.client.api.session
        plain = session.request

        def bounded(method, url, **kwargs):  # the client sets no timeout of its own
            kwargs.setdefault('timeout', timeout)
            return plain(method, url, **kwargs)
        session.request = bounded
        if not entry.get('token'):
            self.requests += 1
            self.client.auth.universal_auth.login(entry['client_id'], entry['client_secret'])

    def read(self):
        self.requests += 1
        try:
            secret = self.client.secrets.get_secret_by_name(
                secret_name=self.key, project_id=self.entry['project_id'], environment_slug=self.entry['environment'],
                secret_path=self.entry['path'], expand_secret_references=False, include_imports=False)
        except self.APIError as err:
            if err.status_code == 404:
                return None
            raise
        return {'value': secret.secretValue, 'meta': comment_meta(secret.secretComment), 'version': secret.version}

    def write(self, existing, value, meta):
        comment = meta_comment(meta)
        args = dict(secret_path=self.entry['path'], environment_slug=self.entry['environment'],
                    project_id=self.entry['project_id'], secret_value=value, secret_comment=comment,
                    skip_multiline_encoding=True)
        self.requests += 1
        if existing is None:
            self.client.secrets.create_secret_by_name(secret_name=self.key, **args)
        else:
            self.client.secrets.update_secret_by_name(current_secret_name=self.key, **args)

    def remove(self, existing):
        self.requests += 1
        self.client.secrets.delete_secret_by_name(
            secret_name=self.key, project_id=self.entry['project_id'], environment_slug=self.entry['environment'],
            secret_path=self.entry['path'])
        return 'deleted the secret'


class VaultBackend(Backend):
    """A KV v2 secret at ``mount``/``path``: ``key`` and the claudeops_* keys; other keys are kept. Writes use
    check-and-set on the version read, so a concurrent writer makes us read and decide again."""

    def __init__(self, entry, timeout):
        super(VaultBackend, self).__init__(entry, timeout)
        import hvac
        self.hvac = hvac
        verify = entry.get('ca_cert') or (entry.get('validate_certs') if entry.get('validate_certs') is not None
                                          else True)
        self.client = hvac.Client(url=entry['url'], token=entry['token'], namespace=entry.get('namespace'),
                                  verify=verify, timeout=timeout)

    def read(self):
        self.requests += 1
        try:
            answer = self.client.secrets.kv.v2.read_secret_version(
                path=self.entry['path'], mount_point=self.entry['mount'], raise_on_deleted_version=False)
        except self.hvac.exceptions.InvalidPath:
            return None
        data = (answer.get('data') or {}).get('data')
        version = ((answer.get('data') or {}).get('metadata') or {}).get('version')
        if data is None:  # the newest version was deleted: write on top of it
            return {'value': None, 'meta': {}, 'version': version, 'data': {}}
        return {'value': data.get(self.key), 'meta': dict((k, data.get(k)) for k in META_KEYS if data.get(k)),
                'version': version, 'data': data, 'keys': set(k for k in data if data[k])}

    def write(self, existing, value, meta):
        data = dict((existing or {}).get('data') or {})
        data[self.key] = value
        data.update(meta)
        self._put(data, (existing or {}).get('version') or 0)

    def _put(self, data, cas):
        """Write ``data`` as the next version, if the current one is still ``cas``; returns the new version."""
        self.requests += 1
        try:
            answer = self.client.secrets.kv.v2.create_or_update_secret(
                path=self.entry['path'], secret=data, cas=cas, mount_point=self.entry['mount'])
        except self.hvac.exceptions.InvalidRequest as err:
            if 'check-and-set' in str(err):
                raise StoreError('another writer changed the secret since it was read', conflict=True)
            raise
        return answer['data']['version']

    def remove(self, existing):
        """The secret goes with all its versions when it holds nothing but ours. When it also holds keys that are not
        ours, they are kept in a new version, and of the versions before it only those are destroyed whose other
        keys all hold what that new version keeps: Vault destroys a version whole, and a version with another value
        of someone else's key is their history (another team's earlier password, gone for good before)."""
        path, mount = self.entry['path'], self.entry['mount']
        others = _others(existing.get('data'), self.key)
        if not others:
            self.requests += 1
            self.client.secrets.kv.v2.delete_metadata_and_all_versions(path=path, mount_point=mount)
            return 'deleted the secret with all its versions'
        kept = self._put(others, existing.get('version') or 0)
        doomed, spared = [], []
        for number in range(1, kept):
            self.requests += 1
            try:
                answer = self.client.secrets.kv.v2.read_secret_version(
                    path=path, mount_point=mount, version=number, raise_on_deleted_version=False)
            except self.hvac.exceptions.InvalidPath:  # destroyed already
                continue
            data = (answer.get('data') or {}).get('data')
            if not data or (self.key not in data and not any(k in data for k in META_KEYS)):
                continue  # deleted (unreadable), or it never held credentials
            theirs = _others(data, self.key)
            (doomed if all(others.get(k) == v for k, v in theirs.items()) else spared).append(number)
        if doomed:
            self.requests += 1
            self.client.secrets.kv.v2.destroy_secret_versions(path=path, versions=doomed, mount_point=mount)
        msg = 'removed %s and the claudeops_* keys, kept %d other keys in version %d' % (self.key, len(others), kept)
        if doomed:
            msg += ', destroyed versions %s' % ', '.join(str(n) for n in doomed)
        if spared:
            msg += ('; versions %s still hold the credentials beside other values of keys that are not ours, so they '
                    'were not destroyed: destroy them together with the owners of those keys (vault kv destroy '
                    '-mount=%s -versions=%s %s), and give the credentials a secret of their own'
                    % (', '.join(str(n) for n in spared), mount, ','.join(str(n) for n in spared), path))
        return msg


class AwsBackend(Backend):
    """A Secrets Manager secret ``path`` whose SecretString is a JSON object: ``key`` and the claudeops_* keys;
    other keys are kept."""

    def __init__(self, entry, timeout):
        super(AwsBackend, self).__init__(entry, timeout)
        import boto3
        from botocore.config import Config
        session = boto3.session.Session(
            aws_access_key_id=entry.get('access_key'), aws_secret_access_key=entry.get('secret_key'),
            aws_session_token=entry.get('session_token'), profile_name=entry.get('profile'),
            region_name=entry.get('region'))
        config = Config(connect_timeout=timeout, read_timeout=timeout, retries={'max_attempts': 3, 'mode': 'standard'})
        self.client = session.client('secretsmanager', endpoint_url=entry.get('endpoint_url'), config=config)

    def read(self):
        self.requests += 1
        try:
            answer = self.client.get_secret_value(SecretId=self.entry['path'])
        except self.client.exceptions.ResourceNotFoundException:
            return None
        text = answer.get('SecretString')
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise StoreError('secret %s holds something other than a JSON object; it was not written by us, so it '
                             'is left alone: give another path' % self.entry['path'])
        return {'value': data.get(self.key), 'meta': dict((k, data.get(k)) for k in META_KEYS if data.get(k)),
                'version': answer.get('VersionId'), 'data': data, 'keys': set(k for k in data if data[k])}

    def write(self, existing, value, meta):
        data = dict((existing or {}).get('data') or {})
        data[self.key] = value
        data.update(meta)
        text = json.dumps(data, sort_keys=True)
        self.requests += 1
        if existing is None:
            args = {'Name': self.entry['path'], 'SecretString': text,
                    'Description': 'Claude Code credentials, written by claudeops.credentials'}
            if self.entry.get('kms_key_id'):
                args['KmsKeyId'] = self.entry['kms_key_id']
            self.client.create_secret(**args)
        else:
            self.client.put_secret_value(SecretId=self.entry['path'], SecretString=text)

    def remove(self, existing):
        """The secret goes at once (no recovery window, which would also block the name for the next capture);
        when it also holds keys that are not ours, they are kept in a new version."""
        others = _others(existing.get('data'), self.key)
        self.requests += 1
        if not others:
            self.client.delete_secret(SecretId=self.entry['path'], ForceDeleteWithoutRecovery=True)
            return 'deleted the secret, without a recovery window'
        self.client.put_secret_value(SecretId=self.entry['path'], SecretString=json.dumps(others, sort_keys=True))
        return ('removed %s and the claudeops_* keys and kept %d other keys; Secrets Manager keeps the version before '
                'as AWSPREVIOUS until the next write and cannot delete one version: give the credentials a secret '
                'of their own' % (self.key, len(others)))


class OnePasswordBackend(Backend):
    """An item (``item``, a title or an id) in vault ``vault_id``: a concealed field ``key`` and the claudeops_*
    fields; other fields are kept. Finding an item by title costs one more request (Connect lists by title)."""

    def __init__(self, entry, timeout):
        super(OnePasswordBackend, self).__init__(entry, timeout)
        from onepasswordconnectsdk import client as op_client
        from onepasswordconnectsdk.config import ClientConfig
        from onepasswordconnectsdk.models import Field, Item
        self.Field, self.Item = Field, Item
        self.client = op_client.new_client(entry['url'], entry['token'],
                                           config=ClientConfig(ca_file=entry.get('ca_cert'), timeout=timeout))

    def _find(self):
        from onepasswordconnectsdk.utils import is_valid_uuid
        if is_valid_uuid(self.entry['item']):
            return self.entry['item']
        self.requests += 1
        # a SCIM filter string: '"' and '\\' escaped, so a title can only ever be compared, never end the filter
        title = self.entry['item'].replace('\\', '\\\\').replace('"', '\\"')
        found = self.client.get_items(self.entry['vault_id'], filter_query='title eq "%s"' % title)
        found = [i for i in found or [] if getattr(i, 'title', None) == self.entry['item']]
        if len(found) > 1:
            raise StoreError('%d items in vault %s are titled %s; give the item id' % (
                len(found), self.entry['vault_id'], self.entry['item']))
        return found[0].id if found else None

    def read(self):
        item_id = self._find()
        if item_id is None:
            return None
        self.requests += 1
        item = self.client.get_item_by_id(item_id, self.entry['vault_id'])
        fields = dict((f.label, f.value) for f in item.fields or [] if f.label)
        return {'value': fields.get(self.key), 'meta': dict((k, fields.get(k)) for k in META_KEYS if fields.get(k)),
                'version': item.version, 'item': item, 'keys': set(k for k in fields if fields[k])}

    def write(self, existing, value, meta):
        wanted = dict(meta, **{self.key: value})
        self.requests += 1
        if existing is None:
            fields = [self.Field(label=self.key, type='CONCEALED', value=value)]
            fields += [self.Field(label=k, type='STRING', value=meta[k]) for k in META_KEYS]
            self.client.create_item(self.entry['vault_id'], self.Item(
                title=self.entry['item'], category='API_CREDENTIAL', vault={'id': self.entry['vault_id']},
                fields=fields, tags=['claudeops']))
            return
        item = existing['item']
        fields = list(item.fields or [])
        for field in fields:
            if field.label in wanted:
                field.value = wanted.pop(field.label)
        for label, text in sorted(wanted.items()):
            fields.append(self.Field(label=label, type='CONCEALED' if label == self.key else 'STRING', value=text))
        item.fields = fields
        self.client.update_item(item.id, self.entry['vault_id'], item)

    def remove(self, existing):
        item = existing['item']
        ours = set(META_KEYS) | {self.key}
        keep = [f for f in item.fields or [] if f.label not in ours]
        self.requests += 1
        if not [f for f in keep if f.value]:
            self.client.delete_item(item.id, self.entry['vault_id'])
            return 'deleted the item'
        item.fields = keep
        self.client.update_item(item.id, self.entry['vault_id'], item)
        return 'removed %s and the claudeops_* fields, kept %d other fields' % (self.key, len(keep))


ADAPTERS = {'infisical': InfisicalBackend, 'vault': VaultBackend, 'aws_secretsmanager': AwsBackend,
            'onepassword_connect': OnePasswordBackend}


def missing_clients(entries):
    """The official clients the entries need and this Python lacks: {backend: package}."""
    import importlib
    modules = {'infisical': 'infisical_sdk', 'vault': 'hvac', 'aws_secretsmanager': 'boto3',
               'onepassword_connect': 'onepasswordconnectsdk'}
    missing = {}
    for backend in sorted(set(e['backend'] for e in entries)):
        try:
            importlib.import_module(modules[backend])
        except ImportError:
            missing[backend] = CLIENTS[backend]
    return missing


# -- reading (claude_secret_info) ----------------------------------------------------------------------------------

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
           'requests': 0}
    made = []

    def read():
        made.append(ADAPTERS[entry['backend']](entry, timeout))
        return made[0].read()
    try:
        if missing_clients([entry]):
            raise StoreError(missing_client_message(entry['backend']))
        held = within(timeout, read, 'from %s' % entry['name'])
        out['reachable'] = True
        if held is not None and held.get('value'):
            meta = held.get('meta') or {}
            out.update(exists=True, kind=entry['kind'], fingerprint=meta.get(META_FINGERPRINT),
                       source_host=meta.get(META_SOURCE_HOST) or None)
            expires = stored_expiry(held['value'], meta)
            if entry['kind'] == 'session':
                try:
                    oauth = json.loads(base64.b64decode(held['value'], validate=True)).get('claudeAiOauth') or {}
                    out['refreshable'] = bool(oauth.get('refreshToken'))
                except (ValueError, TypeError, AttributeError):
                    out['refreshable'] = False
            if expires is None:
                out['status'], out['detail'] = 'unknown', 'expiry unknown (no %s beside the value)' % META_EXPIRES_AT
            else:
                out.update(expires_at=iso_utc(expires), expires_in=expires - now)
                out['status'], out['detail'] = status_of(entry['kind'], expires, out['refreshable'])
        else:
            out['detail'] = 'nothing under %s' % entry['key']
    except Exception as err:  # each client raises its own types; one store never hides the others
        out['error'] = scrub(err, entry_secrets(entry))
        out['status'] = 'unreachable'
    out['requests'] = made[0].requests if made else 0
    return out


def inspect_stores(entries, timeout, now, status_of):
    """inspect_store for each of ``entries`` (from info_entries), in parallel."""
    if not entries:
        return []
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(entries))) as pool:
        return list(pool.map(lambda e: inspect_store(e, timeout, now, status_of), entries))


# -- one store, and all of them ------------------------------------------------------------------------------------

def _on_store(entry, timeout, attempt_once, hidden):
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
        made.append(ADAPTERS[backend](entry, timeout))
        for attempt in range(MAX_ATTEMPTS):
            try:
                if attempt_once(made[0], mine, my_diff):
                    break
            except StoreError as err:
                if not (err.conflict and attempt + 1 < MAX_ATTEMPTS):
                    raise
        return mine, my_diff
    try:
        mine, my_diff = within(timeout, attempts, 'from %s' % name)
        result.update(mine)
        diff.update(my_diff)
    except StoreError as err:
        result['msg'] = scrub(err, hidden + entry_secrets(entry))
    except Exception as err:  # each client raises its own types; one store never stops the others
        result['msg'] = '%s: %s' % (type(err).__name__, scrub(err, hidden + entry_secrets(entry)))
    result['requests'] = made[0].requests if made else 0
    return result, diff


def _shared_message(backend, other):
    item = backend == 'onepassword_connect'
    return ('this %s already holds %s beside the claudeops_* keys; a session and a token never share one (each keeps '
            'its own fingerprint and expiry there): give this entry its own %s (the defaults are %s)'
            % ('item' if item else 'secret', other, 'item' if item else 'path',
               "'Claude session' and 'Claude token'" if item else 'claude/session and claude/oauth-token'))


def publish_one(entry, desired, params, check_mode):
    """(result entry, diff) for writing ``desired`` to one store."""
    def attempt_once(store, result, diff):
        existing = store.read()
        if existing is not None and not ours(existing) and not params.get('adopt'):
            raise StoreError(_foreign_message(entry, False))
        other = shared_with(existing, entry['key'])
        if other:
            raise StoreError(_shared_message(entry['backend'], other))
        action, msg, meta = decide(existing, desired, params['prevent_downgrade'])
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
    return _on_store(entry, params['request_timeout'], attempt_once, [desired.value])


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
            raise StoreError(_foreign_message(entry, True))
        diff['before'] = _view(existing, existing.get('meta') or {})
        if check_mode:
            result.update(action='would delete', changed=True, msg='%s: would be removed' % entry['key'])
            return True
        result.update(action='deleted', changed=True, msg='%s: %s' % (entry['key'], store.remove(existing)))
        return True
    return _on_store(entry, params['request_timeout'], attempt_once, held)


def _view(existing, meta):
    if existing is None:
        return ''
    return ''.join('%s: %s\n' % (k, meta.get(k) or '-') for k in META_KEYS)


def run(params, check_mode, diff_mode):
    """claude_secret_store; raises StoreInputError or SecretInputError for bad input, before any request."""
    timeout = params.get('request_timeout')
    if timeout is None or not 0 < timeout <= 3600:
        raise StoreInputError('request_timeout: %s; it must be a number of seconds above 0 (at most 3600).' % timeout)
    absent = params.get('state') == 'absent'
    if absent:
        if params.get('files') or params.get('oauth_token'):
            raise StoreInputError('state=absent removes what the stores hold: give no files or oauth_token, and '
                                  'credential (session or token) to say which.')
        desired = None
        kind = params.get('credential') or 'session'
    else:
        if not params.get('files') and not params.get('oauth_token'):
            raise StoreInputError('Give files (a captured session, as slurp returns it) or oauth_token (from '
                                  '`claude setup-token`).')
        desired = Desired(params, int(time.time()))
        kind = desired.kind
        if params.get('credential') and params['credential'] != kind:
            raise StoreInputError('credential is %s, but the content is a %s; credential only matters with '
                                  'state=absent.' % (params['credential'], kind))
    entries = store_entries(params['stores'], kind)
    for entry in entries:
        entry['key'] = entry.get('key') or (TOKEN_KEY if kind == 'token' else SESSION_KEY)
    missing = missing_clients(entries)
    result = {'changed': False, 'stores': [], 'fingerprint': desired.fingerprint if desired else None,
              'expires_at': iso_utc(desired.expires_at) if desired and desired.expires_at else None}
    outcomes = {}
    ready = [e for e in entries if e['backend'] not in missing]
    for entry in entries:
        if entry['backend'] in missing:
            outcomes[entry['name']] = ({'name': entry['name'], 'backend': entry['backend'], 'action': 'failed',
                                        'changed': False, 'requests': 0, 'expires_at': None,
                                        'msg': missing_client_message(entry['backend'])}, None)
    if ready:
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(ready))) as pool:
            one = (lambda e: remove_one(e, params, check_mode)) if absent else (
                lambda e: publish_one(e, desired, params, check_mode))
            for entry, outcome in zip(ready, pool.map(one, ready)):
                outcomes[entry['name']] = outcome
    diffs = []
    for entry in entries:
        item, diff = outcomes[entry['name']]
        result['stores'].append(item)
        if diff:
            diffs.append(diff)
    recorded = sorted(e['expires_at'] for e in result['stores'] if e.get('expires_at') and e['action'] != 'failed')
    if recorded and desired and desired.carry_expiry:
        result['expires_at'] = recorded[0]
    result['changed'] = any(e['changed'] for e in result['stores'])
    failed = [e for e in result['stores'] if e['action'] == 'failed']
    result['msg'] = '; '.join('%s: %s' % (e['name'], e['msg']) for e in result['stores'])
    if failed:
        result['msg'] = '%d of %d stores failed: %s' % (len(failed), len(entries), '; '.join(
            '%s: %s' % (e['name'], e['msg']) for e in failed))
    if diff_mode:
        result['diff'] = diffs
    result['failed'] = bool(failed)
    result['missing_clients'] = missing
    return result
