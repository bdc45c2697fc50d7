# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The HashiCorp Vault backend: a KV v2 secret at ``mount``/``path`` holding ``key`` and the companion keys, through
its official Python client (hvac)."""

from __future__ import annotations

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import TargetError
from ansible_collections.claudeops.credentials.plugins.module_utils._store_backend import (
    Backend,
    META_KEYS,
    companion_keys,
    other_keys,
)

# The client: (pip package, module imported).
CLIENT = ('hvac', 'hvac')
OPTIONS = ('url', 'token', 'namespace', 'mount', 'path', 'key', 'ca_cert', 'validate_certs')
# The usual environment variables (what its own CLI and the AWX credential type inject).
ENVIRONMENT = {'url': 'VAULT_ADDR', 'token': 'VAULT_TOKEN', 'namespace': 'VAULT_NAMESPACE', 'ca_cert': 'VAULT_CACERT'}
DEFAULTS = {'mount': 'secret'}
# A session and a token never share a secret (each keeps its own fingerprint and expiry beside it).
KIND_DEFAULTS = {'session': {'path': 'claude/session'}, 'token': {'path': 'claude/oauth-token'}}
REQUIRED = ('url', 'token')
# The options that become part of a request's URL path.
PATH_OPTIONS = ('mount', 'path')


class VaultStore(Backend):
    """A KV v2 secret at ``mount``/``path``: ``key`` and the claudeops_* keys; other keys are kept. Writes use
    check-and-set on the version read, so a concurrent writer makes us read and decide again."""

    def __init__(self, entry, timeout):
        super(VaultStore, self).__init__(entry, timeout)
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
        return companion_keys(data, self.key, version, {'data': data})

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
                raise TargetError('another writer changed the secret since it was read', conflict=True, code='conflict')
            raise
        return answer['data']['version']

    def remove(self, existing):
        """The secret goes with all its versions when it holds nothing but ours. When it also holds keys that are not
        ours, they are kept in a new version, and of the versions before it only those are destroyed whose other
        keys all hold what that new version keeps: Vault destroys a version whole, and a version with another value
        of someone else's key is their history (another team's earlier password, gone for good before)."""
        path, mount = self.entry['path'], self.entry['mount']
        others = other_keys(existing.get('data'), self.key)
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
            theirs = other_keys(data, self.key)
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
