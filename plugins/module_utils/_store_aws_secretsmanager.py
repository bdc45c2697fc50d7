# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The AWS Secrets Manager backend: a secret ``path`` whose SecretString is a JSON object holding ``key`` and the
companion keys, through the official Python client (boto3)."""

from __future__ import annotations

import json

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import TargetError
from ansible_collections.claudeops.credentials.plugins.module_utils._store_backend import (
    Backend,
    companion_keys,
    other_keys,
)

# The client: (pip package, module imported).
CLIENT = ('boto3', 'boto3')
OPTIONS = ('path', 'key', 'region', 'endpoint_url', 'profile', 'access_key', 'secret_key', 'session_token',
           'kms_key_id')
ENVIRONMENT = {}  # boto3 reads AWS_* itself (keys, profile, region, AWS_ENDPOINT_URL)
DEFAULTS = {}
# A session and a token never share a secret (each keeps its own fingerprint and expiry beside it).
KIND_DEFAULTS = {'session': {'path': 'claude/session'}, 'token': {'path': 'claude/oauth-token'}}
REQUIRED = ()
PATH_OPTIONS = ()  # a secret's name goes in the JSON body, never in a URL path


class AwsSecretsManagerStore(Backend):
    """A Secrets Manager secret ``path`` whose SecretString is a JSON object: ``key`` and the claudeops_* keys;
    other keys are kept."""

    def __init__(self, entry, timeout):
        super(AwsSecretsManagerStore, self).__init__(entry, timeout)
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
            raise TargetError('secret %s holds something other than a JSON object; it was not written by us, so it '
                              'is left alone: give another path' % self.entry['path'], code='not_ours')
        return companion_keys(data, self.key, answer.get('VersionId'), {'data': data})

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
        others = other_keys(existing.get('data'), self.key)
        self.requests += 1
        if not others:
            self.client.delete_secret(SecretId=self.entry['path'], ForceDeleteWithoutRecovery=True)
            return 'deleted the secret, without a recovery window'
        self.client.put_secret_value(SecretId=self.entry['path'], SecretString=json.dumps(others, sort_keys=True))
        return ('removed %s and the claudeops_* keys and kept %d other keys; Secrets Manager keeps the version before '
                'as AWSPREVIOUS until the next write and cannot delete one version: give the credentials a secret '
                'of their own' % (self.key, len(others)))
