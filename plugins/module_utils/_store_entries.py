# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The ``stores`` option of claude_secret_store and claude_secret_info: its argument spec, and each entry checked
and completed (defaults for a session or a token, the backend's environment variables, a name) before any request.
The backends themselves, one module each, are listed in BACKENDS."""

from __future__ import annotations

import importlib
import os
import re

from ansible_collections.claudeops.credentials.plugins.module_utils import (
    _store_aws_secretsmanager,
    _store_infisical,
    _store_onepassword_connect,
    _store_vault,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import TOKEN_KEY
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._store_backend import META_KEYS

# Each backend's module: its CLIENT, OPTIONS, ENVIRONMENT, DEFAULTS, KIND_DEFAULTS, REQUIRED and PATH_OPTIONS, and
# the class that reads and writes it.
BACKENDS = {
    'infisical': (_store_infisical, _store_infisical.InfisicalStore),
    'vault': (_store_vault, _store_vault.VaultStore),
    'aws_secretsmanager': (_store_aws_secretsmanager, _store_aws_secretsmanager.AwsSecretsManagerStore),
    'onepassword_connect': (_store_onepassword_connect, _store_onepassword_connect.OnePasswordConnectStore),
}
SECRET_OPTIONS = ('token', 'client_secret', 'secret_key', 'session_token')

STORE_SPEC = dict(
    name=dict(type='str'),
    backend=dict(type='str', required=True, choices=sorted(BACKENDS)),
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

# The key the credentials are kept under, in every backend.
_STORE_KEY_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_.-]{0,127}$')
PATH_EXAMPLES = {'path': 'claude/session', 'mount': 'secret', 'vault_id': 'the vault id Connect lists',
                 'item': "'Claude session' or an item id"}


def _path_problem(value):
    """Why ``value`` cannot be a path option (a '.' or '..' segment, a backslash, an empty segment inside, a control
    character), or None. The options that become part of a request's URL path are each backend's PATH_OPTIONS: a
    '.' or '..' segment there is resolved by the client or the server and reaches another team's secret
    ('claude/../../../secret/data/other-team/app')."""
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


def store_class(backend):
    """The class that reads and writes a store of ``backend``."""
    return BACKENDS[backend][1]


def entry_kind(entry):
    """What an entry read by claude_secret_info holds: a ``token`` when its key is CLAUDE_CODE_OAUTH_TOKEN."""
    return 'token' if (entry or {}).get('key') == TOKEN_KEY else 'session'


def entry_secrets(entry):
    """The entry's own secrets, to scrub from a client's messages."""
    return [entry.get(k) for k in SECRET_OPTIONS]


def missing_client_message(backend):
    package = BACKENDS[backend][0].CLIENT[0]
    return 'the %s Python package is required on the controller: pip install %s' % (package, package)


def missing_clients(entries):
    """The official clients the entries need and this Python lacks: {backend: package}."""
    missing = {}
    for backend in sorted(set(e['backend'] for e in entries)):
        package, module = BACKENDS[backend][0].CLIENT
        try:
            importlib.import_module(module)
        except ImportError:
            missing[backend] = package
    return missing


def _completed(given, kind, environ, where):
    """The entry with the backend's environment variables and defaults applied, after refusing options that mean
    nothing to its backend."""
    entry = dict((k, v) for k, v in (given or {}).items() if v is not None)
    backend = BACKENDS[entry['backend']][0]
    for option in sorted(set(entry) - set(backend.OPTIONS) - {'name', 'backend'}):
        raise InputError('%s: %s means nothing to the %s backend; its options are %s.'
                         % (where, option, entry['backend'], ', '.join(backend.OPTIONS)), option)
    for option, variable in backend.ENVIRONMENT.items():
        if option not in entry and environ.get(variable):
            entry[option] = environ[variable]
    defaults = backend.KIND_DEFAULTS[kind or entry_kind(entry)]
    for option, value in list(backend.DEFAULTS.items()) + list(defaults.items()):
        entry.setdefault(option, value)
    return entry


def _key_problem(key):
    """Why ``key`` cannot be the key the credentials are kept under, or None."""
    if key is not None and not _STORE_KEY_RE.match(key):
        return ("key '%s' is not a usable secret key: letters, digits, '_', '.' and '-', starting with a letter or "
                "'_' (for example CREDENTIALS_JSON_B64)." % key)
    if key in META_KEYS:
        return 'key %s is where the fingerprint or expiry is kept; choose another.' % key
    return None


def _check(entry, where):
    """InputError naming the option when the completed ``entry`` cannot be used."""
    backend = BACKENDS[entry['backend']][0]
    missing = [o for o in backend.REQUIRED if not entry.get(o)]
    if missing:
        raise InputError('%s: give %s.' % (where, ' and '.join(
            '%s (or set %s)' % (o, backend.ENVIRONMENT[o]) if o in backend.ENVIRONMENT else o for o in missing)),
            missing[0])
    problem = _key_problem(entry.get('key'))
    if problem:
        raise InputError('%s: %s' % (where, problem), 'key')
    own = getattr(backend, 'entry_problem', lambda _entry: None)(entry)
    if own:
        raise InputError('%s: %s' % (where, own[1]), own[0])
    for option in backend.PATH_OPTIONS:
        problem = _path_problem(entry.get(option))
        if problem:
            raise InputError("%s: %s '%s' %s; give the secret's own path (for example %s)."
                             % (where, option, entry[option], problem, PATH_EXAMPLES[option]), option)
    for option in ('url', 'endpoint_url'):
        if entry.get(option) and not re.match(r'^https?://[^\s/]+', entry[option]):
            raise InputError("%s: %s '%s' is not an http(s) URL." % (where, option, entry[option]), option)


def store_entries(stores, kind='session', environ=None):
    """The store entries with names, defaults (for a ``session`` or a ``token``; with ``kind`` None, what each
    entry's key names) and environment applied, each checked; InputError otherwise."""
    environ = os.environ if environ is None else environ
    out, names = [], set()
    for index, given in enumerate(stores or []):
        where = "stores[%d] (%s)" % (index, (given or {}).get('name') or (given or {}).get('backend'))
        entry = _completed(given, kind, environ, where)
        _check(entry, where)
        normalize = getattr(BACKENDS[entry['backend']][0], 'normalize', None)
        if normalize:
            normalize(entry)
        entry['name'] = entry.get('name') or '%s:%s' % (entry['backend'], entry.get('path') or entry.get('item'))
        if entry['name'] in names:
            raise InputError("stores: the name '%s' is used twice; give each store its own name." % entry['name'],
                             'stores')
        names.add(entry['name'])
        out.append(entry)
    if not out:
        raise InputError('stores is empty: give at least one store ({name, backend, ...}).', option='stores')
    return out
