# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    # Matches STORE_SPEC in plugins/module_utils/_store.py (claude_secret_store writes, claude_secret_info reads).
    DOCUMENTATION = r'''
options:
  stores:
    description:
      - The secret stores, each with its backend and connection. Options that mean nothing to an entry's backend
        are refused. M(claudeops.credentials.claude_secret_store) needs at least one.
      - See the collection's C(docs/stores.md) for what each backend holds and its least-privilege policy.
      - O(request_timeout) bounds each store's whole call, its client's own retries included; a store that has not
        answered by then fails alone.
    type: list
    elements: dict
    suboptions:
      name:
        description: A name for the results. Defaults to V(BACKEND:PATH).
        type: str
      backend:
        description: The store.
        type: str
        required: true
        choices: [infisical, vault, aws_secretsmanager, onepassword_connect]
      url:
        description:
          - The store's address. C(infisical) (default V(https://app.infisical.com), or E(INFISICAL_API_URL)),
            C(vault) (or E(VAULT_ADDR)), C(onepassword_connect) (the Connect server, or E(OP_CONNECT_HOST)).
          - For C(infisical), a trailing C(/api), which older Infisical CLIs wanted in E(INFISICAL_API_URL), is
            dropped, since the client adds it.
        type: str
      token:
        description:
          - C(infisical) a machine identity access token (or E(INFISICAL_TOKEN)); C(vault) a Vault token (or
            E(VAULT_TOKEN)); C(onepassword_connect) a Connect token (or E(OP_CONNECT_TOKEN)).
        type: str
      client_id:
        description: C(infisical) Universal Auth client id (or E(INFISICAL_UNIVERSAL_AUTH_CLIENT_ID)), instead of O(stores[].token).
        type: str
      client_secret:
        description: C(infisical) Universal Auth client secret (or E(INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET)).
        type: str
      project_id:
        description: C(infisical) the project id. Required for C(infisical).
        type: str
      environment:
        description: C(infisical) the environment slug. Default V(prod).
        type: str
      path:
        description:
          - C(infisical) the folder (default V(/agentic-platform/claude)); C(vault) the secret's path in the KV
            mount; C(aws_secretsmanager) the secret's name or ARN.
          - For C(vault) and C(aws_secretsmanager) the default is V(claude/session) for a session and
            V(claude/oauth-token) for a token, so the two never share a secret.
        type: str
      key:
        description:
          - Where the value goes in the secret (the Infisical secret's name, the key in the Vault secret or the JSON,
            the 1Password field's label).
          - Defaults to V(CREDENTIALS_JSON_B64) for a session, V(CLAUDE_CODE_OAUTH_TOKEN) for a token.
        type: str
      mount:
        description: C(vault) the KV version 2 mount. Default V(secret).
        type: str
      namespace:
        description: C(vault) the Vault Enterprise namespace (or E(VAULT_NAMESPACE)).
        type: str
      ca_cert:
        description: C(vault) and C(onepassword_connect) a CA bundle to verify the server with (or E(VAULT_CACERT)).
        type: path
      validate_certs:
        description: C(vault) whether to verify the server's certificate. Default V(true).
        type: bool
      region:
        description: C(aws_secretsmanager) the region (else boto3's own, E(AWS_REGION) or E(AWS_DEFAULT_REGION)).
        type: str
      endpoint_url:
        description: C(aws_secretsmanager) another endpoint (a VPC endpoint; else boto3's own, E(AWS_ENDPOINT_URL)).
        type: str
      profile:
        description: C(aws_secretsmanager) a profile of the shared credentials file.
        type: str
      access_key:
        description: C(aws_secretsmanager) an access key id (else boto3's credential chain).
        type: str
      secret_key:
        description: C(aws_secretsmanager) the secret access key.
        type: str
      session_token:
        description: C(aws_secretsmanager) a session token.
        type: str
      kms_key_id:
        description: C(aws_secretsmanager) the KMS key for a secret this module creates.
        type: str
      vault_id:
        description: C(onepassword_connect) the id of the 1Password vault. Required for C(onepassword_connect).
        type: str
      item:
        description: C(onepassword_connect) the item's title or id. Default V(Claude session), or V(Claude token) for a token.
        type: str
'''
