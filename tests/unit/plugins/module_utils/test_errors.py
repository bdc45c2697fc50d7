# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""#29 item 3: one error hierarchy; problems and failures carry a code, and fixes and doctor rows are chosen by it."""

from __future__ import annotations

import ast
import base64
import json
import pathlib
import re
import time

import pytest
import yaml

from ansible_collections.claudeops.credentials.plugins.filter.doctor_report import _report
from ansible_collections.claudeops.credentials.plugins.module_utils import _secret_info
from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import (
    CREDENTIAL_PROBLEM_CODES,
    Problem,
    inspect_credentials,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import (
    ClaudeopsError,
    InputError,
    Refusal,
    TargetError,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._monitor import thresholds
from ansible_collections.claudeops.credentials.plugins.module_utils._session import (
    PROBLEM_CODES,
    evaluate_session,
    suggest_fix,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._time import parse_duration

ROOT = pathlib.Path(__file__).resolve().parents[4]
NOW = int(time.time())


def test_every_error_has_the_one_base_and_input_errors_stay_value_errors():
    for error in (InputError('x'), TargetError('x'), Refusal(400, 'x')):
        assert isinstance(error, ClaudeopsError)
    assert isinstance(InputError('x'), ValueError)
    assert InputError('give a name', 'name').option == 'name'


@pytest.mark.parametrize('status, code', [(401, 'unauthorized'), (403, 'forbidden'), (404, 'not_found'),
                                          (409, 'conflict'), (422, 'invalid'), (429, 'throttled'),
                                          (503, 'server_error'), (418, 'http_error')])
def test_a_target_error_with_a_status_is_coded_by_it(status, code):
    err = TargetError('HTTP %d' % status, status=status)
    assert (err.code, err.status) == (code, status)
    assert TargetError('x', code='tls').code == 'tls' and TargetError('x').code == 'target'


def test_a_bad_duration_and_contradicting_thresholds_are_input_errors_with_their_codes():
    with pytest.raises(InputError) as caught:
        parse_duration('soon', 'claudeops_warning_within')
    assert (caught.value.code, caught.value.option) == ('duration', 'claudeops_warning_within')
    with pytest.raises(InputError) as caught:
        thresholds({'warning_within': '1d', 'critical_within': '2d'})
    assert (caught.value.code, caught.value.option) == ('thresholds', 'critical_within')


def _session_file(**oauth):
    base = {'accessToken': 'sk-ant-oat01-CANARY', 'refreshToken': 'sk-ant-ort01-CANARY',
            'expiresAt': (NOW + 3 * 3600) * 1000}
    base.update(oauth)
    return json.dumps({'claudeAiOauth': base}).encode()


@pytest.mark.parametrize('data, code', [
    (b'\xef\xbb\xbf{}', 'byte_order_mark'), (b'\xff\xfe', 'not_utf8'), (b'{"claudeAiOauth": ', 'not_json'),
    (b'{"other": {}}', 'no_oauth'), (_session_file(accessToken='', refreshToken='', expiresAt=0), 'blanked'),
    (_session_file(expiresAt='soon'), 'bad_expiry'), (_session_file(expiresAt=(NOW - 60) * 1000), 'expired'),
    (_session_file(expiresAt=(NOW + 300 * 86400) * 1000), 'too_far_ahead'),
])
def test_each_problem_of_a_credentials_file_has_its_code(data, code):
    _creds, problems, _status = inspect_credentials(data, NOW, 'f')
    assert [p.code for p in problems] == [code]
    assert all(p.code in CREDENTIAL_PROBLEM_CODES for p in problems)


def test_the_facts_carry_one_code_per_problem_all_of_them_declared():
    observations = [
        {'name': '.credentials.json', 'path': '/h/.claude/.credentials.json', 'exists': True, 'size': 0, 'data': b''},
        {'name': 'a', 'path': '/h/.claude/a', 'exists': True, 'isdir': True},
        {'name': 'b', 'path': '/h/.claude/b', 'exists': False},
        {'name': 'c', 'path': '/h/.claude/c', 'exists': True, 'size': 3, 'read_error': '/h/.claude/c is not readable.'},
        {'name': 'd', 'path': '/h/.claude/d', 'exists': True, 'size': 3,
         'not_regular': Problem('outside_directory', '/h/.claude/d is a link to /etc/x; it was not read.')},
    ]
    facts = evaluate_session('/h/.claude', observations, NOW, 3600)
    assert facts['problem_codes'] == ['empty', 'is_directory', 'file_missing', 'unreadable', 'outside_directory']
    assert len(facts['problems']) == len(facts['problem_codes'])
    assert set(facts['problem_codes']) <= set(PROBLEM_CODES)
    absent = evaluate_session('/h/.claude', [], NOW, 3600, directory_exists=False,
                              absent_reason=Problem('no_profile', "User 'zed' has no profile directory."))
    assert absent['problem_codes'] == ['no_profile']


@pytest.mark.parametrize('status, codes, start', [
    ('missing', ['access_denied'], 'read as the person who ran `claude login`'),
    ('invalid', ['unreadable'], 'make .credentials.json'),
    ('missing', ['no_profile'], 'set claudeops_session_user'),
    ('missing', ['file_missing'], 'run `claude login`'),
    ('invalid', ['blanked'], 'run `claude logout`'),
    ('invalid', ['outside_directory'], 'make .credentials.json a regular file'),
    ('invalid', ['too_far_ahead'], 'set the clock of ws1 right'),
])
def test_the_fix_is_chosen_by_code_whatever_the_sentence_says(status, codes, start):
    reworded = {'status': status, 'problems': ['(any wording)'], 'problem_codes': codes}
    assert suggest_fix(reworded, 'ws1').startswith(start)


def test_a_sentence_without_its_code_chooses_no_special_fix():
    # The old matching by words: "access is denied" in the text chose the runas fix. Now only the code does.
    worded = {'status': 'invalid', 'problems': ['/x is not readable: access is denied to the account the task runs '
                                                'as. The file later than a session lives is blanked.']}
    assert suggest_fix(worded, 'ws1').startswith('run `claude logout` then `claude login` on ws1')


def test_the_doctor_chooses_cluster_and_store_fixes_by_code():
    def cluster(**extra):
        base = {'name': 'c1', 'reachable': False, 'error': 'words that say 403 and TLS and 401'}
        base.update(extra)
        return base
    rows = _report([], {}, [cluster(error_code='tls'), cluster(error_code='unauthorized'),
                            cluster(error_code='unreachable'),
                            cluster(reachable=True, error_code='forbidden', http_status=403)])['rows']
    assert [r['fix'] for r in rows[:3]] == ['fix ca_cert or the kubeconfig CA', 'fix the token or kubeconfig user',
                                            'check the API server address and the network from the controller']
    assert rows[4]['check'] == 'can read Secret' and rows[4]['fix'] == 'grant get on secrets in the namespace'
    store = {'name': 's', 'backend': 'vault', 'reachable': False, 'error': 'no module', 'error_code': 'missing_client'}
    assert _report([], {}, [], [store])['rows'][0]['fix'] == 'pip install hvac'


class Refusing(object):
    """A cluster whose every request is refused with ``status`` (the process edge)."""
    status = 403
    requests = 1

    def __init__(self, spec, timeout, retries):
        pass

    def request(self, method, path, query=None, body=None, content_type=None, what=None):
        raise TargetError('%s: HTTP %d' % (what, self.status), status=self.status)


@pytest.mark.parametrize('status, code', [(403, 'forbidden'), (401, 'unauthorized'), (500, 'server_error')])
def test_claude_secret_info_keeps_the_http_status_and_the_code(monkeypatch, status, code):
    monkeypatch.setattr(Refusing, 'status', status)
    monkeypatch.setattr(_secret_info, 'Cluster', Refusing)
    params = {'request_timeout': 5, 'retries': 0, 'namespace': 'claude', 'name': 'claude-session',
              'check_write': False}
    out = _secret_info.inspect_cluster({'name': 'c1'}, params, [], NOW, {})
    assert (out['http_status'], out['error_code'], out['status']) == (status, code, 'unreachable')


def _catches(path):
    """The exception names each ``except`` of a module's main() catches."""
    tree = ast.parse(path.read_text())
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            names.extend(getattr(t, 'id', getattr(t, 'attr', None)) for t in types)
    return names


def test_each_module_catches_the_input_base_and_nothing_narrower():
    for path in sorted((ROOT / 'plugins' / 'modules').glob('*.py')):
        caught = [n for n in _catches(path) if n and n.endswith('Error')]
        assert set(caught) <= {'InputError'}, (path.name, caught)
    found = [n for p in (ROOT / 'plugins').rglob('*.py') for n in _catches(p)]
    for gone in ('SecretInputError', 'StoreInputError', 'DurationError', 'AlertConfigError', 'ClusterError',
                 'StoreError', 'ThresholdError'):
        assert gone not in found


def test_a_store_value_in_base64_is_read_by_the_one_parser():
    from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import oauth_of_base64
    value = base64.b64encode(_session_file()).decode()
    assert oauth_of_base64(value)['refreshToken'].startswith('sk-ant-ort01-')
    assert oauth_of_base64('not base64!') is None


def test_the_module_documents_every_problem_code():
    from ansible_collections.claudeops.credentials.plugins.modules import claude_session_facts
    facts = yaml.safe_load(claude_session_facts.RETURN)['ansible_facts']['contains']['claude_session']['contains']
    documented = set(re.findall(r'C\((\w+)\)', ' '.join(facts['problem_codes']['description'])))
    assert documented == set(PROBLEM_CODES) | set(CREDENTIAL_PROBLEM_CODES)
