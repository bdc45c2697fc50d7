# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import json
import sys
import time

import pytest

from ansible_collections.claudeops.credentials.plugins.module_utils import (
    _store_backend,
    _store_decision,
    _store_entries,
    _store_infisical,
    _store_info,
    _store_publish,
    _store_vault,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError, TargetError
from ansible_collections.claudeops.credentials.plugins.module_utils._store_decision import (
    WantedStoreValue,
    decide_store,
    hide_values,
    stored_expiry,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._store_entries import store_entries
from ansible_collections.claudeops.credentials.plugins.module_utils._store_backend import within
from ansible_collections.claudeops.credentials.plugins.module_utils._time import iso_utc

NOW = int(time.time())


def session(hours, tag='T'):
    raw = json.dumps({'claudeAiOauth': {'accessToken': 'sk-ant-oat01-%s' % tag, 'refreshToken': 'sk-ant-ort01-%s' % tag,
                                        'expiresAt': (NOW + hours * 3600) * 1000}}).encode()
    return {'files': {'.credentials.json': base64.b64encode(raw).decode()}}


def held(desired, expires_at=None, fp=None):
    return {'value': desired.value, 'meta': {_store_backend.META_FINGERPRINT: fp or desired.fingerprint,
                                             _store_backend.META_EXPIRES_AT: iso_utc(expires_at or desired.expires_at)}}


def test_a_store_entry_gets_its_defaults_environment_and_name():
    entries = store_entries([{'backend': 'vault'}, {'backend': 'infisical', 'project_id': 'p', 'token': 't'}],
                            environ={'VAULT_ADDR': 'https://v:8200', 'VAULT_TOKEN': 'vt'})
    assert entries[0] == {'backend': 'vault', 'url': 'https://v:8200', 'token': 'vt', 'mount': 'secret',
                          'path': 'claude/session', 'name': 'vault:claude/session'}
    assert entries[1]['path'] == '/agentic-platform/claude' and entries[1]['environment'] == 'prod'
    cli_style = store_entries([{'backend': 'infisical', 'project_id': 'p', 'token': 't'}],
                              environ={'INFISICAL_API_URL': 'https://infisical.example.com/api/'})
    assert cli_style[0]['url'] == 'https://infisical.example.com'  # the SDK adds /api itself
    token = store_entries([{'backend': 'aws_secretsmanager'}], kind='token', environ={})
    assert token[0]['path'] == 'claude/oauth-token'  # a token never shares the session's secret


@pytest.mark.parametrize('stores, needle', [
    ([{'backend': 'vault', 'url': 'https://v', 'token': 't', 'project_id': 'x'}],
     'stores[0] (vault): project_id means nothing to the vault backend'),
    ([{'backend': 'vault'}], 'stores[0] (vault): give url (or set VAULT_ADDR) and token (or set VAULT_TOKEN).'),
    ([{'backend': 'infisical', 'project_id': 'p'}], 'give token (a machine identity access token'),
    ([{'backend': 'infisical', 'project_id': 'p', 'token': 't', 'path': 'no-slash'}], "must start with '/'"),
    ([{'backend': 'onepassword_connect', 'url': 'h', 'token': 't', 'vault_id': 'v'}], "url 'h' is not an http(s) URL"),
    ([{'backend': 'aws_secretsmanager', 'key': 'claudeops_fingerprint'}], 'is where the fingerprint or expiry is kept'),
    ([{'backend': 'aws_secretsmanager', 'key': 'has space'}], 'is not a usable secret key'),
    ([{'backend': 'aws_secretsmanager'}, {'backend': 'aws_secretsmanager'}], "the name 'aws_secretsmanager:claude/session' is used twice"),
    ([], 'stores is empty'),
    ([{'backend': 'vault', 'url': 'https://v', 'token': 't', 'path': 'claude/../../../secret/data/other-team/app'}],
     "path 'claude/../../../secret/data/other-team/app' holds a '.' or '..' segment"),
    ([{'backend': 'vault', 'url': 'https://v', 'token': 't', 'mount': 'kv/../secret'}],
     "mount 'kv/../secret' holds a '.' or '..' segment"),
    ([{'backend': 'vault', 'url': 'https://v', 'token': 't', 'path': 'claude//session'}], "holds an empty segment"),
    ([{'backend': 'infisical', 'project_id': 'p', 'token': 't', 'path': '/agentic/./claude'}],
     "path '/agentic/./claude' holds a '.' or '..' segment"),
    ([{'backend': 'onepassword_connect', 'url': 'https://op', 'token': 't', 'vault_id': '../../v1/vaults/other'}],
     "vault_id '../../v1/vaults/other' holds a '.' or '..' segment"),
])
def test_bad_store_entries_get_one_sentence(stores, needle):
    with pytest.raises(InputError) as err:
        store_entries(stores, environ={})
    assert needle in str(err.value)


def test_the_session_is_stored_as_base64_and_validated_first():
    desired = WantedStoreValue(session(8), NOW)
    assert base64.b64decode(desired.value).startswith(b'{"claudeAiOauth"')
    assert desired.kind == 'session' and desired.default_key == 'CREDENTIALS_JSON_B64'
    assert desired.expires_at == NOW + 8 * 3600
    with pytest.raises(InputError, match='already expired'):
        WantedStoreValue(session(-1), NOW)
    with pytest.raises(InputError, match="files has no '.credentials.json'"):
        WantedStoreValue({'files': {'.claude.json': 'e30='}}, NOW)


def test_decisions_create_unchanged_update_and_never_backwards():
    desired = WantedStoreValue(session(8), NOW)
    assert decide_store(None, desired)[0] == 'created'
    assert decide_store(held(desired), desired)[0] == 'unchanged'
    newer = WantedStoreValue(session(10, 'N'), NOW)
    assert decide_store(held(desired), newer)[0] == 'updated'
    action, msg, meta = decide_store(held(newer), desired)
    assert action == 'skipped' and 'holds newer credentials' in msg and meta is None
    assert decide_store(held(newer), desired, prevent_downgrade=False)[0] == 'updated'
    # A value written by someone else, without our companion keys: its expiry is read from the value itself.
    assert decide_store({'value': newer.value, 'meta': {}}, desired)[0] == 'skipped'
    # The same value without a recorded fingerprint: written again, to record it.
    assert decide_store({'value': desired.value, 'meta': {}}, desired)[0] == 'updated'


def test_a_token_keeps_the_expiry_its_store_recorded():
    token = WantedStoreValue({'oauth_token': 'sk-ant-oat01-abcdefghijklmnop'}, NOW)
    recorded = NOW - 86400 + 365 * 86400
    assert token.carry_expiry and token.default_key == 'CLAUDE_CODE_OAUTH_TOKEN'
    assert decide_store(held(token, expires_at=recorded), token)[0] == 'unchanged'
    action, _msg, meta = decide_store({'value': token.value, 'meta': {_store_backend.META_EXPIRES_AT: iso_utc(recorded)}}, token)
    assert action == 'updated' and meta[_store_backend.META_EXPIRES_AT] == iso_utc(recorded)


def test_stored_expiry_reads_the_record_then_the_value():
    desired = WantedStoreValue(session(8), NOW)
    assert stored_expiry(desired.value, {}) == NOW + 8 * 3600
    assert stored_expiry(desired.value, {_store_backend.META_EXPIRES_AT: iso_utc(NOW + 60)}) == NOW + 60
    assert stored_expiry('not base64 json', {}) is None


def test_messages_are_scrubbed_of_values():
    assert hide_values('failed for sk-ant-oat01-SECRETVALUE at x', ['sk-ant-oat01-SECRETVALUE']) == 'failed for <hidden> at x'
    assert len(hide_values('x' * 1000, [])) == 400


def test_a_store_record_reports_what_the_store_keeps():
    from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import store_record
    healthy = {'name': 'vault', 'exists': True, 'kind': 'session', 'status': 'healthy',
               'expires_at': iso_utc(NOW + 7200), 'detail': None}
    rec = store_record(healthy, NOW)
    assert (rec['source'], rec['kind'], rec['status'], rec['hours_remaining']) == ('vault', 'store', 'healthy', 2.0)
    assert store_record({'name': 'v', 'error': 'HTTPError: 403'}, NOW)['status'] == 'missing'
    assert store_record({'name': 'v', 'exists': False, 'detail': 'nothing under K'}, NOW)['detail'] == 'nothing under K'
    assert store_record({'name': 'v', 'exists': True, 'kind': 'token', 'status': 'unknown'}, NOW)['status'] == 'warning'


def test_info_entries_take_the_token_layout_from_the_key():
    entries = _store_info.info_entries([{'backend': 'aws_secretsmanager'},
                                        {'backend': 'aws_secretsmanager', 'key': 'CLAUDE_CODE_OAUTH_TOKEN'}])
    assert [(e['path'], e['kind'], e['key']) for e in entries] == [
        ('claude/session', 'session', 'CREDENTIALS_JSON_B64'),
        ('claude/oauth-token', 'token', 'CLAUDE_CODE_OAUTH_TOKEN')]
    with pytest.raises(InputError, match=r'stores\[1\] \(vault\): give url'):
        _store_info.info_entries([{'backend': 'aws_secretsmanager'}, {'backend': 'vault'}], environ={})


def test_a_missing_client_is_reported_with_its_package(monkeypatch):
    monkeypatch.setitem(sys.modules, 'hvac', None)  # makes `import hvac` fail, as on a controller without it
    assert _store_entries.missing_clients([{'backend': 'vault'}]) == {'vault': 'hvac'}
    params = dict(session(8), stores=[{'backend': 'vault', 'url': 'https://v', 'token': 't'}], request_timeout=5,
                  prevent_downgrade=True)
    result = _store_publish.run(params, False, False)
    assert result['failed'] and result['stores'][0]['msg'] == (
        'the hvac Python package is required on the controller: pip install hvac')


def test_a_session_and_a_token_never_share_a_secret():
    assert _store_decision.shared_with({'keys': {'CREDENTIALS_JSON_B64', 'claudeops_fingerprint'}}, 'CLAUDE_CODE_OAUTH_TOKEN') \
        == 'CREDENTIALS_JSON_B64'
    assert _store_decision.shared_with({'keys': {'CLAUDE_CODE_OAUTH_TOKEN'}}, 'CREDENTIALS_JSON_B64') == 'CLAUDE_CODE_OAUTH_TOKEN'
    assert _store_decision.shared_with({'keys': {'CREDENTIALS_JSON_B64', 'team_key'}}, 'CREDENTIALS_JSON_B64') is None
    assert _store_decision.shared_with(None, 'CREDENTIALS_JSON_B64') is None


def test_removal_keeps_only_what_is_not_ours():
    data = {'CREDENTIALS_JSON_B64': 'v', 'claudeops_fingerprint': 'sha256:x', 'claudeops_expires_at': 't',
            'claudeops_source_host': 'ws1', 'team_note': 'kept', 'empty': ''}
    assert _store_backend.other_keys(data, 'CREDENTIALS_JSON_B64') == {'team_note': 'kept'}
    assert _store_backend.other_keys({'CREDENTIALS_JSON_B64': 'v'}, 'CREDENTIALS_JSON_B64') == {}


def test_absent_takes_no_content_and_present_no_other_credential():
    params = {'stores': [{'backend': 'vault', 'url': 'https://v', 'token': 't'}], 'request_timeout': 10,
              'prevent_downgrade': True, 'state': 'absent', 'credential': 'token', 'oauth_token': 'sk-ant-oat01-x'}
    with pytest.raises(InputError) as err:
        _store_publish.run(params, False, False)
    assert 'state=absent removes what the stores hold' in str(err.value)
    params.update(state='present', credential='session', oauth_token='sk-ant-oat01-' + 'a' * 40)
    with pytest.raises(InputError) as err:
        _store_publish.run(params, False, False)
    assert 'credential is session, but the content is a token' in str(err.value)


class FakeStore(object):
    """A backend whose store holds ``existing``; records what would have been written or removed."""
    existing = None
    calls = []

    def __init__(self, entry, timeout):
        self.requests = 0

    def read(self):
        return FakeStore.existing

    def write(self, existing, value, meta):
        FakeStore.calls.append('write')

    def remove(self, existing):
        FakeStore.calls.append('remove')
        return 'removed'


FOREIGN = {'value': 'team-value', 'meta': {}, 'keys': {'CREDENTIALS_JSON_B64', 'DB_PASSWORD'}}


@pytest.mark.parametrize('state, adopt, action', [
    ('present', False, 'failed'), ('absent', False, 'failed'), ('present', True, 'updated'), ('absent', True, 'deleted'),
])
def test_a_secret_claudeops_did_not_write_is_left_alone_unless_adopt(monkeypatch, state, adopt, action):
    # Before, state: absent deleted another team's secret and state: present overwrote it.
    monkeypatch.setitem(_store_entries.BACKENDS, 'vault', (_store_vault, FakeStore))
    monkeypatch.setattr(FakeStore, 'existing', dict(FOREIGN))
    monkeypatch.setattr(FakeStore, 'calls', [])
    monkeypatch.setattr(_store_publish, 'missing_clients', lambda entries: {})
    params = {'stores': [{'backend': 'vault', 'url': 'https://v', 'token': 't'}], 'request_timeout': 10,
              'prevent_downgrade': True, 'state': state, 'credential': None, 'adopt': adopt,
              'source_host': 'ws1', 'expires_at': None, 'oauth_token': None}
    if state == 'present':
        params.update(session(6))
    result = _store_publish.run(params, False, False)
    entry = result['stores'][0]
    assert entry['action'] == action, entry
    if action == 'failed':
        assert FakeStore.calls == []
        assert 'was not written by claudeops.credentials (it has no claudeops_fingerprint); left alone: set adopt: ' \
               'true to %s' % ('take it over' if state == 'present' else 'remove our key from it') in entry['msg']
    else:
        assert FakeStore.calls == ['write' if state == 'present' else 'remove']


def test_the_read_path_reports_what_a_store_holds_and_a_missing_client_by_its_code(monkeypatch):
    # #29: the read path (_store_info) beside the cluster read path, driven through inspect_stores.
    desired = WantedStoreValue(session(6), NOW)
    held_value = {'value': desired.value, 'meta': desired.meta()}
    monkeypatch.setitem(_store_entries.BACKENDS, 'vault', (_store_vault, FakeStore))
    monkeypatch.setattr(FakeStore, 'existing', held_value)
    monkeypatch.setattr(_store_info, 'missing_clients', lambda entries: {})
    entries = _store_info.info_entries([{'backend': 'vault', 'url': 'https://v', 'token': 't'}], environ={})
    [found] = _store_info.inspect_stores(entries, 5, NOW, lambda kind, expires, refreshable: ('healthy', None))
    assert (found['exists'], found['kind'], found['refreshable'], found['status']) == (True, 'session', True, 'healthy')
    assert found['fingerprint'] == desired.fingerprint and found['error_code'] is None
    monkeypatch.setattr(_store_info, 'missing_clients', lambda entries: {'vault': 'hvac'})
    [failed] = _store_info.inspect_stores(entries, 5, NOW, lambda kind, expires, refreshable: ('healthy', None))
    assert (failed['status'], failed['error_code']) == ('unreachable', 'missing_client')
    assert 'pip install hvac' in failed['error']


class FakeKv(object):
    """hvac's kv.v2 at the process edge, holding versions of one secret."""

    def __init__(self, versions):
        self.versions, self.destroyed = list(versions), []

    def create_or_update_secret(self, path, secret, cas, mount_point):
        self.versions.append(secret)
        return {'data': {'version': len(self.versions)}}

    def read_secret_version(self, path, mount_point, version, raise_on_deleted_version):
        return {'data': {'data': self.versions[version - 1]}}

    def destroy_secret_versions(self, path, versions, mount_point):
        self.destroyed.extend(versions)


def test_vault_removal_destroys_no_version_with_another_value_of_someone_elses_key():
    # Before, every earlier version was destroyed: another team's earlier DB_PASSWORD went for good.
    kv = FakeKv([{'DB_PASSWORD': 'one'}, {'DB_PASSWORD': 'two'},
                 {'DB_PASSWORD': 'two', 'CREDENTIALS_JSON_B64': 'v', 'claudeops_fingerprint': 'sha256:x'},
                 {'DB_PASSWORD': 'three', 'CREDENTIALS_JSON_B64': 'w', 'claudeops_fingerprint': 'sha256:y'},
                 {'DB_PASSWORD': 'three', 'CREDENTIALS_JSON_B64': 'z', 'claudeops_fingerprint': 'sha256:z'}])
    backend = _store_vault.VaultStore.__new__(_store_vault.VaultStore)
    backend.entry, backend.key, backend.requests = {'path': 'team/app', 'mount': 'secret'}, 'CREDENTIALS_JSON_B64', 0
    backend.hvac = type('hvac', (), {'exceptions': type('e', (), {'InvalidPath': KeyError,
                                                                  'InvalidRequest': ValueError})})
    backend.client = type('c', (), {'secrets': type('s', (), {'kv': type('k', (), {'v2': kv})})})
    msg = backend.remove({'data': kv.versions[-1], 'version': 5})
    assert kv.versions[-1] == {'DB_PASSWORD': 'three'} and kv.destroyed == [4, 5]
    assert msg.startswith('removed CREDENTIALS_JSON_B64 and the claudeops_* keys, kept 1 other keys in version 6, '
                          'destroyed versions 4, 5; versions 3 still hold the credentials beside other values')


def test_a_source_host_can_not_forge_the_expiry_recorded_in_an_infisical_comment():
    # Before, `ws6 claudeops_expires_at=2099-01-01T00:00:00Z` as source_host forged the recorded expiry: newer
    # sessions were refused as older, and claude_secret_info reported 2099.
    meta = {_store_backend.META_FINGERPRINT: 'sha256:abc', _store_backend.META_EXPIRES_AT: '2026-12-02T10:00:00Z',
            _store_backend.META_SOURCE_HOST: 'ws6 claudeops_expires_at=2099-01-01T00:00:00Z'}
    comment = _store_infisical.meta_comment(meta)
    assert comment == ('claudeops_fingerprint=sha256:abc claudeops_expires_at=2026-12-02T10:00:00Z '
                       'claudeops_source_host=ws6%20claudeops_expires_at%3D2099-01-01T00:00:00Z')
    assert _store_infisical.comment_meta(comment) == meta
    # a comment written before, or by hand: the first pair of each name counts
    assert _store_infisical.comment_meta('claudeops_expires_at=2026-12-02T10:00:00Z claudeops_expires_at=2099-01-01T00:00:00Z') \
        == {_store_backend.META_EXPIRES_AT: '2026-12-02T10:00:00Z'}


def test_a_session_claiming_more_than_the_lifetime_is_refused_and_protects_nothing():
    # #25 item 2: a session said to expire in 300 days was stored, and then refused every real session as older.
    with pytest.raises(InputError, match='later than a session lives'):
        WantedStoreValue(session(300 * 24), NOW)
    assert WantedStoreValue(dict(session(300 * 24), session_max_lifetime='400d'), NOW).kind == 'session'
    with pytest.raises(InputError, match='session_max_lifetime'):
        WantedStoreValue(dict(session(8), session_max_lifetime='soon'), NOW)
    forged = WantedStoreValue(dict(session(300 * 24, 'F'), session_max_lifetime='400d'), NOW)
    real = WantedStoreValue(session(8, 'R'), NOW)
    assert decide_store(held(forged), real)[0] == 'updated'  # not "skipped as newer"
    newer = WantedStoreValue(session(10, 'N'), NOW)
    assert decide_store(held(newer), real)[0] == 'skipped'  # a plausible newer session is still kept
    token = WantedStoreValue({'oauth_token': 'sk-ant-oat01-abcdefghijklmnop', 'expires_at': iso_utc(NOW + 360 * 86400)}, NOW)
    assert token.expires_at == NOW + 360 * 86400  # a long-lived token keeps its year


class ReadTimeout(IOError):
    """Shaped like requests.exceptions.ReadTimeout (an IOError whose class name says Timeout)."""


class ReadTimeoutError(Exception):
    """Shaped like botocore's and urllib3's ReadTimeoutError."""


@pytest.mark.parametrize('error', [ReadTimeout('HTTPSConnectionPool(...): Read timed out. (read timeout=2.0)'),
                                   ReadTimeoutError('Read timeout on endpoint URL'), TimeoutError('timed out')])
def test_a_clients_own_timeout_reads_as_the_deadline_whichever_fires_first(error):
    # request_timeout sets the client's read timeout and the deadline alike; under load the client's may fire
    # first (a fresh-clone run saw requests' ReadTimeout text reach the result): the message is the same.
    def work():
        raise error
    with pytest.raises(TargetError) as info:
        within(2, work, 'from vault')
    assert str(info.value).startswith('no answer within request_timeout (2 s, for the whole call')


def test_another_error_is_the_clients_own():
    def work():
        raise ValueError('permission denied')
    with pytest.raises(ValueError):
        within(2, work, 'from vault')
