# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import calendar
import json

import pytest

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import (
    TOKEN_KEY,
    credentials_expiry,
    fingerprint,
    parse_expires_at,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._secret import (
    CAPTURED_AT,
    EXPIRES_AT,
    FINGERPRINT,
    LAST_APPLIED,
    ONBOARDING_KEY,
    build_data,
    decide_secret,
    desired_metadata,
    in_check_mode,
    masked_view,
    validate_name,
)

NOW = 1_900_000_000

CANARY = 'sk-ant-oat01-CANARYSECRET-0123456789abcdef'


def b64(raw):
    return base64.b64encode(raw).decode()


def session(expires_s):
    return json.dumps({'claudeAiOauth': {'accessToken': CANARY, 'refreshToken': 'sk-ant-ort01-CANARYSECRET-r',
                                         'expiresAt': expires_s * 1000}}).encode()


def desired(expires_s=2_000_000_000, captured=1_900_000_000, extra=None):
    data = build_data({'.credentials.json': b64(session(expires_s))})
    if extra:
        data.update(extra)
    labels, annotations = desired_metadata(data, source_host='ws1', expires_at=expires_s, captured_at=captured)
    return {'data': data, 'labels': labels, 'annotations': annotations, 'expires_at': expires_s}


def test_build_data_adds_onboarding_and_decodes():
    data = build_data({'.credentials.json': b64(session(1))})
    assert data[ONBOARDING_KEY] == b'{"hasCompletedOnboarding": true}'
    assert data['.credentials.json'] == session(1)
    assert ONBOARDING_KEY not in build_data({'.credentials.json': b64(session(1))}, onboarding=False)


def test_build_data_token():
    assert build_data(oauth_token=CANARY)[TOKEN_KEY] == CANARY.encode()


@pytest.mark.parametrize('kwargs, needle', [
    ({'files': {'bad/key': b64(b'x')}}, 'not a valid Secret data key'),
    ({'files': {'..data': b64(b'x')}}, "must not start with '..'"),  # kube-apiserver answered 422 before
    ({'files': {'..': b64(b'x')}}, 'not a valid Secret data key'),
    ({'files': {'.': b64(b'x')}}, 'not a valid Secret data key'),
    ({'files': {'.credentials.json': 'not base64!!'}}, 'not valid base64'),
    ({'files': {'.credentials.json': 5}}, 'must be a base64 string'),
    ({'oauth_token': 'sk-ant-ort01-refresh-token-here'}, "does not start with 'sk-ant-oat01-'"),
    ({'oauth_token': 'sk-ant-oat01-has space inside'}, 'characters a Claude token never has'),
    ({'oauth_token': CANARY + '\n'}, 'white space'),
    ({'oauth_token': ''}, 'empty'),
    ({}, 'No content to publish'),
    ({'files': {'big': b64(b'x' * (1024 * 1024 + 1))}}, 'over the 1 MiB limit'),
])
def test_build_data_rejects_without_quoting_secrets(kwargs, needle):
    with pytest.raises(InputError) as err:
        build_data(**kwargs)
    assert needle in str(err.value)
    assert 'CANARY' not in str(err.value) and 'has space inside' not in str(err.value)


def test_name_validation():
    validate_name('claude-session', 'claude')
    with pytest.raises(InputError, match='not a valid Secret name'):
        validate_name('Claude_Session', 'claude')
    with pytest.raises(InputError, match='not a valid namespace'):
        validate_name('claude-session', 'a.b')


def test_credentials_expiry_rejects_blanked():
    blank = json.dumps({'claudeAiOauth': {'accessToken': '', 'refreshToken': '', 'expiresAt': 0}}).encode()
    with pytest.raises(InputError, match='blanked or damaged'):
        credentials_expiry({'.credentials.json': blank}, NOW)
    assert credentials_expiry({'.credentials.json': session(NOW + 8 * 3600)}, NOW) == NOW + 8 * 3600
    assert credentials_expiry({TOKEN_KEY: b'x'}, NOW) is None


@pytest.mark.parametrize('raw, needle', [
    (b'{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYX", "expiresAt": NaN}}', 'not finite'),
    (b'{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYX", "expiresAt": Infinity}}', 'not finite'),
    (b'{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYX", "expiresAt": -Infinity}}', 'negative'),
    (b'{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYX", "expiresAt": 1e20}}', 'past the year 9999'),
    (b'{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYX", "expiresAt": 1900028800}}', 'reads as seconds'),
    (b'{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYX", "expiresAt": 1899999000000}}', 'already expired'),
    (b'{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYX", "expiresAt": 1990000000000}}', 'more than 400 days'),
    (b'{"claudeAiOauth": {"accessToken": "sk-ant-oat01-CANARYX", "expiresAt": "soon"}}', 'not a number'),
])
def test_absurd_expiries_are_refused_without_quoting_the_file(raw, needle):
    with pytest.raises(InputError) as err:
        credentials_expiry({'.credentials.json': raw}, NOW)
    assert needle in str(err.value) and 'CANARY' not in str(err.value)
    assert "files['.credentials.json']" in str(err.value)


@pytest.mark.parametrize('text, needle', [
    ('9999-12-31', 'more than 400 days ahead'),
    ('9999-12-31T23:59:59Z', 'more than 400 days ahead'),
    ('2020-01-01T00:00:00Z', 'already expired'),
    ('next year', 'not an ISO 8601 time'),
])
def test_the_expires_at_option_is_checked_like_a_session(text, needle):
    with pytest.raises(InputError, match=needle):
        parse_expires_at(text, NOW)
    assert parse_expires_at('2030-04-01T00:00:00Z', NOW) == calendar.timegm((2030, 4, 1, 0, 0, 0))


def test_fingerprint_is_stable_and_order_independent():
    one = fingerprint({'a': b'1', 'b': b'2'})
    assert one == fingerprint({'b': b'2', 'a': b'1'})
    assert one != fingerprint({'a': b'1', 'b': b'3'})
    assert one != fingerprint({'a': b'12', 'b': b''})
    assert one.startswith('sha256:') and len(one) == 71


def test_decide_create_unchanged_update():
    want = desired()
    assert decide_secret(None, want)[0] == 'created'
    same = {'data': want['data'], 'labels': want['labels'], 'annotations': dict(want['annotations'])}
    later = desired(captured=1_950_000_000)
    action, msg, annotations, diff = decide_secret(same, later)
    assert action == 'unchanged'
    assert annotations[CAPTURED_AT] == want['annotations'][CAPTURED_AT], 'captured-at is kept when nothing changed'
    newer = desired(expires_s=2_100_000_000)
    action, msg, annotations, diff = decide_secret(same, newer)
    assert action == 'updated'
    assert '.credentials.json' in diff['data'] and EXPIRES_AT in diff['annotations']
    assert annotations[CAPTURED_AT] == newer['annotations'][CAPTURED_AT]


def test_decide_in_a_manifest_everything_not_sent_is_stale():
    want = desired()
    existing = {'data': dict(want['data'], stale=b'old'), 'labels': dict(want['labels'], team='x'),
                'annotations': dict(want['annotations'], other='y'), 'owned': None}
    action, msg, annotations, diff = decide_secret(existing, want)
    assert action == 'updated'
    assert diff == {'data': ['stale'], 'labels': ['team'], 'annotations': ['other'], 'fixups': []}


def owned(data=(), labels=(), annotations=()):
    return {'data': set(data), 'labels': set(labels), 'annotations': set(annotations)}


def test_decide_on_a_cluster_removes_only_what_we_own_and_no_longer_send():
    want = desired()
    existing = {'data': dict(want['data'], theirs=b'x', ours_old=b'y'),
                'labels': dict(want['labels'], their_label='t', old_label='o'),
                'annotations': dict(want['annotations'], their_note='t', old_note='o'),
                'owned': owned(['.credentials.json', '.claude.json'], want['labels'], want['annotations'])}
    assert decide_secret(existing, want)[0] == 'unchanged'
    existing['owned'] = owned(['.credentials.json', '.claude.json', 'ours_old'],
                              list(want['labels']) + ['old_label'], list(want['annotations']) + ['old_note'])
    action, msg, annotations, diff = decide_secret(existing, want)
    assert action == 'updated'
    assert diff == {'data': ['ours_old'], 'labels': ['old_label'], 'annotations': ['old_note'], 'fixups': []}
    assert msg == 'Secret updated (annotations old_note; data ours_old; labels old_label)'


def test_decide_fixups_alone_are_an_update():
    want = desired()
    existing = {'data': want['data'], 'labels': want['labels'], 'annotations': dict(want['annotations']),
                'owned': owned(want['data'], want['labels'], want['annotations']),
                'fixups': ["remove kubectl's last-applied-configuration"]}
    action, msg, annotations, diff = decide_secret(existing, want)
    assert action == 'updated' and diff['fixups'] and "remove kubectl's" in msg


def test_check_mode_says_would():
    assert in_check_mode('created', 'Secret created') == ('would create', 'Secret would be created')
    assert in_check_mode('updated', 'Secret updated (data a)') == ('would update', 'Secret would be updated (data a)')
    assert in_check_mode('deleted', 'Secret removed') == ('would delete', 'Secret would be removed')
    assert in_check_mode('unchanged', 'Secret already up to date') == ('unchanged', 'Secret already up to date')


def test_decide_never_goes_backwards():
    newer = desired(expires_s=2_100_000_000)
    existing = {'data': newer['data'], 'labels': newer['labels'], 'annotations': newer['annotations']}
    action, msg, annotations, diff = decide_secret(existing, desired(expires_s=2_000_000_000))
    assert action == 'skipped'
    assert 'newer credentials' in msg
    assert decide_secret(existing, desired(expires_s=2_000_000_000), prevent_downgrade=False)[0] == 'updated'


def test_decide_absent():
    assert decide_secret(None, None, 'absent')[0] == 'absent'
    assert decide_secret({'data': {}}, None, 'absent')[0] == 'deleted'


def test_masked_view_never_shows_values():
    want = desired()
    view = json.dumps(masked_view(want))
    assert 'CANARYSECRET' not in view
    assert base64.b64encode(want['data']['.credentials.json']).decode()[:20] not in view
    assert masked_view(want)['data']['.credentials.json'].startswith('sha256:')
    assert FINGERPRINT in masked_view(want)['annotations']


def test_masked_view_shows_only_digests_of_annotations_that_are_not_ours():
    old_copy = json.dumps({'data': {'.credentials.json': base64.b64encode(session(1)).decode()}})
    state = {'data': {}, 'labels': {}, 'annotations': {LAST_APPLIED: old_copy, 'team': 'agents', FINGERPRINT: 'f'}}
    view = masked_view(state, shown_annotations={'team': 'agents'})
    assert view['annotations'][LAST_APPLIED].startswith('sha256:')
    assert view['annotations']['team'] == 'agents' and view['annotations'][FINGERPRINT] == 'f'
    assert 'CANARY' not in json.dumps(view) and old_copy[:30] not in json.dumps(view)


def test_masked_view_never_shows_a_value_because_the_operator_named_its_key():
    # #25 item 9: naming the last-applied annotation (or any key someone else filled) in annotations showed the
    # existing value, a copy of the old credentials, in --diff.
    old_copy = json.dumps({'data': {'.credentials.json': base64.b64encode(session(1)).decode()}})
    existing = {'data': {}, 'labels': {}, 'annotations': {LAST_APPLIED: old_copy, 'team': 'sk-ant-oat01-CANARYTEAM',
                                                          'owner': 'someone else wrote this'}}
    view = masked_view(existing, shown_annotations={LAST_APPLIED: '{}', 'team': 'agents', 'owner': 'platform'})
    assert all(v.startswith('sha256:') for v in view['annotations'].values()), view
    assert masked_view({'annotations': {LAST_APPLIED: '{}'}}, {LAST_APPLIED: '{}'})['annotations'][LAST_APPLIED] \
        .startswith('sha256:')
    assert masked_view({'annotations': {'owner': 'platform'}}, {'owner': 'platform'})['annotations']['owner'] == 'platform'


@pytest.mark.parametrize('labels, annotations, needle', [
    ({'bad key!': 'x'}, {}, "labels: 'bad key!' is not a valid key"),
    ({'Example.com/team': 'x'}, {}, "labels: 'Example.com/team' is not a valid key"),
    ({}, {'/team': 'x'}, "annotations: '/team' is not a valid key"),
    ({}, {'a' * 64: 'x'}, 'is not a valid key'),
    ({'team': 'has space'}, {}, "labels: the value of 'team' is not a valid label value"),
    ({'team': 'x' * 64}, {}, 'is not a valid label value'),
    ({'team': 5}, {}, 'must be a string'),
])
def test_labels_and_annotations_are_checked_as_kubernetes_checks_them(labels, annotations, needle):
    data = build_data(oauth_token=CANARY)
    with pytest.raises(InputError, match=needle):
        desired_metadata(data, labels, annotations)
    desired_metadata(data, {'example.com/team': 'agents', 'tier': ''}, {'note': 'any text at all, even spaces'})


def token_state(token, expires, captured=NOW, carry=True):
    data = build_data(oauth_token=token)
    labels, annotations = desired_metadata(data, expires_at=expires, captured_at=captured)
    return {'data': data, 'labels': labels, 'annotations': annotations, 'expires_at': expires, 'kind': 'token',
            'carry': (CAPTURED_AT, EXPIRES_AT) if carry else (CAPTURED_AT,)}


def test_the_same_token_again_keeps_its_recorded_expiry_and_changes_nothing():
    first = token_state(CANARY, NOW + 365 * 86400)
    existing = {'data': first['data'], 'labels': first['labels'], 'annotations': dict(first['annotations'])}
    again = token_state(CANARY, NOW + 400 * 86400 - 1, captured=NOW + 86400)  # a year after a later run
    action, msg, annotations, diff = decide_secret(existing, again)
    assert action == 'unchanged'
    assert annotations[EXPIRES_AT] == first['annotations'][EXPIRES_AT]


def test_a_different_token_is_a_rotation_and_always_applies_even_with_an_earlier_expiry():
    first = token_state(CANARY, NOW + 365 * 86400)
    existing = {'data': first['data'], 'labels': first['labels'], 'annotations': dict(first['annotations'])}
    rotated = token_state('sk-ant-oat01-CANARYROTATED-0123456789', NOW + 30 * 86400)
    action, msg, annotations, diff = decide_secret(existing, rotated)
    assert action == 'updated' and annotations[EXPIRES_AT] == rotated['annotations'][EXPIRES_AT]
    # An explicit, earlier expiry for the same token corrects the record: it is not a downgrade.
    corrected = token_state(CANARY, NOW + 200 * 86400, carry=False)
    assert decide_secret(existing, corrected)[0] == 'updated'


def test_a_token_replaces_a_session_and_a_session_replaces_a_token_whatever_the_expiries():
    session_state = desired(expires_s=NOW + 8 * 3600)
    token = token_state(CANARY, NOW + 3600)
    existing = {'data': session_state['data'], 'labels': session_state['labels'],
                'annotations': session_state['annotations']}
    assert decide_secret(existing, token)[0] == 'updated'
    existing = {'data': token['data'], 'labels': token['labels'], 'annotations': token['annotations']}
    later_token = token_state(CANARY, NOW + 365 * 86400)
    existing['annotations'] = later_token['annotations']
    assert decide_secret(existing, session_state)[0] == 'updated'


def test_a_manifest_that_cannot_be_written_is_one_error_naming_the_path_and_leaves_nothing(tmp_path, monkeypatch):
    # #29 item 3: an OSError from _manifest escaped as a traceback.
    import errno
    import os
    import pytest
    from ansible_collections.claudeops.credentials.plugins.module_utils import _manifest
    from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError

    def refuse(*_args):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))
    monkeypatch.setattr(_manifest.os, 'replace', refuse)
    with pytest.raises(InputError, match=r"dest: cannot write '.*secret.yaml' \(Read-only file system\)"):
        _manifest.write_atomic(str(tmp_path / 'secret.yaml'), 'kind: Secret\n')
    assert os.listdir(str(tmp_path)) == []
    monkeypatch.setattr(_manifest.tempfile, 'mkstemp', lambda **_kw: refuse())
    with pytest.raises(InputError, match=r"dest: cannot write in directory '.*' \(Read-only file system\)"):
        _manifest.write_atomic(str(tmp_path / 'secret.yaml'), 'kind: Secret\n')
    (tmp_path / 'old.yaml').write_text('kind: Secret\n')
    monkeypatch.setattr(_manifest.os, 'unlink', refuse)
    with pytest.raises(InputError, match=r"dest: cannot remove '.*old.yaml' \(Read-only file system\)"):
        _manifest.remove(str(tmp_path / 'old.yaml'))
