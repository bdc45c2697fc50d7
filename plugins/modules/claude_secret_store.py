#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: claude_secret_store
short_description: Store a captured Claude Code session, or a long-lived token, in secret stores
version_added: 1.1.0
description:
  - Writes the session's C(.credentials.json) (base64, under O(stores[].key), by default C(CREDENTIALS_JSON_B64)) or
    a long-lived token from C(claude setup-token) (by default under C(CLAUDE_CODE_OAUTH_TOKEN)) to one or more
    secret stores, in parallel, for External Secrets Operator (or the store's own operator) to bring into clusters.
  - "Backends, each through its official Python client: C(infisical) (C(infisicalsdk)), C(vault) (HashiCorp Vault
    KV version 2, C(hvac)), C(aws_secretsmanager) (C(boto3)) and C(onepassword_connect) (C(onepasswordconnectsdk))."
  - Beside the value, each store keeps its fingerprint, its expiry and its source host (companion keys
    C(claudeops_fingerprint), C(claudeops_expires_at) and C(claudeops_source_host) in the same Vault secret,
    Secrets Manager JSON or 1Password item; the secret's comment in Infisical). One read decides; a rerun writes
    nothing.
  - Never replaces newer session credentials with older ones (O(prevent_downgrade)). Validates the content before
    any request. Values never appear in the result, the diff or a message.
  - One failing store never stops the others; the task fails at the end naming each failed store.
  - Never changes or deletes a secret or item it did not write (one without C(claudeops_fingerprint)) unless
    O(adopt) is set. Paths, mounts, vault ids and item names with a C(.) or C(..) segment are refused before any
    request.
  - With O(state=absent), removes the credentials instead (for C(playbooks/revoke-tokens.yml)), so that External
    Secrets Operator stops bringing them into clusters.
author:
  - claudeops maintainers (@claudeops)
extends_documentation_fragment:
  - claudeops.credentials.attributes
  - claudeops.credentials.session_lifetime
  - claudeops.credentials.stores
requirements:
  - infisicalsdk >= 1.0.3, for C(infisical) stores
  - hvac >= 2.0.0, for C(vault) stores
  - boto3 >= 1.35.0, for C(aws_secretsmanager) stores
  - onepasswordconnectsdk >= 2.0.0, for C(onepassword_connect) stores
  - requirements-stores.txt lists these; the oldest and the newest releases are tested together
attributes:
  check_mode:
    support: full
    details: Reads each store and reports C(would create), C(would update) or C(would delete); writes nothing.
  diff_mode:
    support: full
    details: Shows the fingerprint, expiry and source host before and after; never a value.
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
options:
  files:
    description:
      - The captured session, as C(claude_session_facts) returns it in C(content) (a dictionary of file name to
        base64). Only C(.credentials.json) is stored.
      - Mutually exclusive with O(oauth_token).
    type: dict
  oauth_token:
    description: A long-lived token from C(claude setup-token). Mutually exclusive with O(files).
    type: str
  expires_at:
    description:
      - The credentials' expiry, ISO 8601 UTC. For a session it is read from the file; for a token without it, the
        first write records one year ahead and later runs keep it.
    type: str
  source_host:
    description: The host the session was captured from, recorded beside the value.
    type: str
  prevent_downgrade:
    description: Leave a store alone (C(skipped)) when it holds credentials that expire later than these.
    type: bool
    default: true
  request_timeout:
    description:
      - Seconds each store's whole call may take, its client's own retries included, above 0 and at most 3600. A
        store that has not answered by then fails alone, with that reason; the others go on.
    type: float
    default: 10
  state:
    description:
      - V(present) stores O(files) or O(oauth_token).
      - "V(absent) removes the credentials O(credential) names (its key and the C(claudeops_*) keys beside it):
        from Vault the secret with all its versions, from Secrets Manager the secret without a recovery window,
        from Infisical the secret, from 1Password the item. Keys or fields that are not ours are kept: Vault keeps
        them in a new version and destroys the versions before it; Secrets Manager keeps them in a new version,
        and keeps the version before as C(AWSPREVIOUS), which no API removes; 1Password keeps them in the item."
    type: str
    choices: [present, absent]
    default: present
  credential:
    description:
      - With O(state=absent), which credentials to remove, and so the default path, item and key of each store
        entry (those of the session, or those of a long-lived token). With O(state=present) it is read from the
        content.
    type: str
    choices: [session, token]
  adopt:
    description:
      - Write to (or, with O(state=absent), remove our key from) a secret or item at the entry's path that
        claudeops.credentials did not write, which has no C(claudeops_fingerprint) beside the value.
      - Without it such a secret or item is left alone, unchanged, and its store entry fails with the reason.
      - Keys and fields that are not ours are kept either way; in Vault, versions that also hold keys that are not
        ours are never destroyed.
    type: bool
    default: false
notes:
  - Each backend's least-privilege policy, and an ExternalSecret that brings the value into a cluster, are in the
    collection's C(docs/stores.md).
seealso:
  - module: claudeops.credentials.claude_secret
'''

EXAMPLES = r'''
- name: Publish the captured session to Infisical (the layout External Secrets Operator reads) and Vault
  claudeops.credentials.claude_secret_store:
    files: "{{ claudeops_capture.content }}"
    source_host: "{{ claudeops_selection.winner }}"
    stores:
      - name: infisical
        backend: infisical
        project_id: 6f1c0e7b-0000-4000-8000-000000000000
        # url, client_id and client_secret from INFISICAL_API_URL and INFISICAL_UNIVERSAL_AUTH_CLIENT_*
      - name: vault
        backend: vault
        path: claude/session
        # url and token from VAULT_ADDR and VAULT_TOKEN

- name: Remove the session from the same stores (revoke)
  claudeops.credentials.claude_secret_store:
    state: absent
    credential: session
    stores:
      - {name: infisical, backend: infisical, project_id: 6f1c0e7b-0000-4000-8000-000000000000}
      - {name: vault, backend: vault, path: claude/session}

- name: Store a long-lived token in AWS Secrets Manager and 1Password Connect
  claudeops.credentials.claude_secret_store:
    oauth_token: "{{ vault_claude_oauth_token }}"
    stores:
      - {name: aws, backend: aws_secretsmanager, region: eu-west-1, path: claude/oauth-token}
      - {name: 1password, backend: onepassword_connect, vault_id: "{{ op_vault_id }}", item: Claude token}
'''

RETURN = r'''
fingerprint:
  description: C(sha256:) fingerprint of the stored value (reveals nothing about it); null with O(state=absent).
  returned: always
  type: str
expires_at:
  description: Expiry of the credentials, ISO 8601 UTC (for a token, the earliest expiry the stores recorded).
  returned: always
  type: str
stores:
  description: What happened in each store, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The store's name.
      type: str
    backend:
      description: The backend.
      type: str
    action:
      description:
        - One of C(created), C(updated), C(unchanged), C(skipped), C(failed); with O(state=absent), C(deleted) or
          C(absent).
        - In check mode C(would create), C(would update) and C(would delete) stand for the writes that would be
          made.
      type: str
    changed:
      description: Whether the store was (or in check mode would be) written.
      type: bool
    msg:
      description: Why, or what failed.
      type: str
    requests:
      description: Requests made to this store.
      type: int
    expires_at:
      description: The expiry the store records after this run, or null.
      type: str
missing_clients:
  description: Backends whose Python client is not installed, with the package to install.
  returned: always
  type: dict
msg:
  description: One line summary.
  returned: always
  type: str
'''

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._store_publish import STORE_ARGUMENT_SPEC, run


def main():
    module = AnsibleModule(argument_spec=STORE_ARGUMENT_SPEC, mutually_exclusive=[('files', 'oauth_token')],
                           supports_check_mode=True)
    try:
        result = run(module.params, module.check_mode, module._diff)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    missing = result.get('missing_clients') or {}
    if missing and len(missing) == len(set(s['backend'] for s in result['stores'])):
        # Nothing could be tried: the standard message names the first package to install.
        backend = sorted(missing)[0]
        others = dict((k, v) for k, v in result.items() if k not in ('failed', 'msg'))
        module.fail_json(msg=missing_required_lib(missing[backend]), **others)
    if result.pop('failed'):
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
