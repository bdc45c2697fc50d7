# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The 1Password Connect backend: an item (``item``, a title or an id) in vault ``vault_id`` with a concealed field
``key`` and the companion fields, through the official Python client (onepasswordconnectsdk)."""

from __future__ import annotations

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import TargetError
from ansible_collections.claudeops.credentials.plugins.module_utils._store_backend import (
    Backend,
    META_KEYS,
    companion_keys,
)

# The client: (pip package, module imported).
CLIENT = ('onepasswordconnectsdk', 'onepasswordconnectsdk')
OPTIONS = ('url', 'token', 'vault_id', 'item', 'key', 'ca_cert')
# The usual environment variables (what its own CLI and the AWX credential type inject).
ENVIRONMENT = {'url': 'OP_CONNECT_HOST', 'token': 'OP_CONNECT_TOKEN'}
DEFAULTS = {}
# A session and a token never share an item (each keeps its own fingerprint and expiry beside it).
KIND_DEFAULTS = {'session': {'item': 'Claude session'}, 'token': {'item': 'Claude token'}}
REQUIRED = ('url', 'token', 'vault_id')
# The options that become part of a request's URL path.
PATH_OPTIONS = ('vault_id', 'item')


class OnePasswordConnectStore(Backend):
    """An item (``item``, a title or an id) in vault ``vault_id``: a concealed field ``key`` and the claudeops_*
    fields; other fields are kept. Finding an item by title costs one more request (Connect lists by title)."""

    def __init__(self, entry, timeout):
        super(OnePasswordConnectStore, self).__init__(entry, timeout)
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
            raise TargetError('%d items in vault %s are titled %s; give the item id' % (
                len(found), self.entry['vault_id'], self.entry['item']), code='unusable')
        return found[0].id if found else None

    def read(self):
        item_id = self._find()
        if item_id is None:
            return None
        self.requests += 1
        item = self.client.get_item_by_id(item_id, self.entry['vault_id'])
        fields = dict((f.label, f.value) for f in item.fields or [] if f.label)
        return companion_keys(fields, self.key, item.version, {'item': item})

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
