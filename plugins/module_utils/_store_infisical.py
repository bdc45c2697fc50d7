# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The Infisical backend: one secret (``key``) in folder ``path`` of ``environment``, through its official Python
client (infisicalsdk). Infisical keeps one value per secret, so the companion keys (fingerprint, expiry, source host)
are kept in the secret's comment."""

from __future__ import annotations

import inspect
import re
from urllib.parse import quote, unquote

from ansible_collections.claudeops.credentials.plugins.module_utils._store_backend import Backend, META_KEYS

# The client: (pip package, module imported).
CLIENT = ('infisicalsdk', 'infisical_sdk')
OPTIONS = ('url', 'token', 'client_id', 'client_secret', 'project_id', 'environment', 'path', 'key')
# The usual environment variables (what its own CLI and the AWX credential type inject).
ENVIRONMENT = {'url': 'INFISICAL_API_URL', 'token': 'INFISICAL_TOKEN', 'client_id': 'INFISICAL_UNIVERSAL_AUTH_CLIENT_ID',
               'client_secret': 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET'}
DEFAULTS = {'url': 'https://app.infisical.com', 'environment': 'prod', 'path': '/agentic-platform/claude'}
# Each key is a secret of its own, so a session and a token live in the one folder.
KIND_DEFAULTS = {'session': {}, 'token': {}}
REQUIRED = ('project_id',)
# The options that become part of a request's URL path.
PATH_OPTIONS = ('path',)


def entry_problem(entry):
    """``(option, why)`` when an entry cannot reach Infisical, or None."""
    if not entry.get('token') and not (entry.get('client_id') and entry.get('client_secret')):
        return 'token', ('give token (a machine identity access token, or set INFISICAL_TOKEN), or client_id and '
                         'client_secret (Universal Auth, or set INFISICAL_UNIVERSAL_AUTH_CLIENT_ID and '
                         'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET).')
    if not entry['path'].startswith('/'):
        return 'path', ("path '%s' must start with '/' (an Infisical folder, for example /agentic-platform/claude)."
                        % entry['path'])
    return None


def normalize(entry):
    """Infisical's CLI long wanted INFISICAL_API_URL to end in /api; its SDK adds /api itself."""
    entry['url'] = re.sub(r'/api$', '', entry['url'].rstrip('/'))


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


class InfisicalStore(Backend):
    """One Infisical secret (``key``) in ``path`` of ``environment``; the comment holds fingerprint and expiry."""

    def __init__(self, entry, timeout):
        super(InfisicalStore, self).__init__(entry, timeout)
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
