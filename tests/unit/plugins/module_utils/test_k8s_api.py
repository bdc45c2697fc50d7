# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.claudeops.credentials.plugins.module_utils import _k8s_api
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError, TargetError
from ansible_collections.claudeops.credentials.plugins.module_utils._k8s_api import (
    Cluster,
    _status_message,
    apply_body,
    check_cluster_options,
    check_kubeconfig,
    clusters_from_params,
    configure,
    owned_keys,
    ownership_upgrade,
    parse_workloads,
    workers,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._publish import state_of

NO_TOP = dict((k, None) for k in ('kubeconfig', 'context', 'host', 'api_key', 'ca_cert', 'validate_certs'))


def test_clusters_from_list_get_names():
    got = clusters_from_params({'clusters': [{'context': 'prod'}, {'host': 'https://h:6443'}, {'name': 'x'}]})
    assert [c['name'] for c in got] == ['prod', 'https://h:6443', 'x']


def test_top_level_options_are_one_cluster():
    got = clusters_from_params(dict(NO_TOP, clusters=None, kubeconfig='/k', context='c'))
    assert got == [{'kubeconfig': '/k', 'context': 'c', 'name': 'c'}]
    assert clusters_from_params(dict(NO_TOP, clusters=None)) == []


def test_environment_is_the_default_connection_of_entries_that_name_none():
    # What the AWX kubeconfig credential gives: K8S_AUTH_KUBECONFIG (the module's kubeconfig option falls back to
    # it), while claudeops_clusters names contexts.
    params = dict(NO_TOP, kubeconfig='/runner/env/kubeconfig', validate_certs=True, clusters=[
        {'name': 'prod-eu', 'context': 'prod-eu'},
        {'name': 'lab', 'host': 'https://10.0.0.5:6443', 'api_key': 'k'},
        {'name': 'own', 'kubeconfig': '/other', 'context': 'x'},
        {'name': 'here'}])
    got = dict((c['name'], c) for c in clusters_from_params(params))
    assert got['prod-eu'] == {'name': 'prod-eu', 'context': 'prod-eu', 'kubeconfig': '/runner/env/kubeconfig',
                              'validate_certs': True}
    assert got['lab'] == {'name': 'lab', 'host': 'https://10.0.0.5:6443', 'api_key': 'k'}
    assert got['own'] == {'name': 'own', 'kubeconfig': '/other', 'context': 'x'}
    assert got['here']['kubeconfig'] == '/runner/env/kubeconfig' and 'context' not in got['here']


def test_an_empty_clusters_list_means_none_even_with_the_environment():
    assert clusters_from_params(dict(NO_TOP, kubeconfig='/k', clusters=[])) == []


@pytest.mark.parametrize('params, needle', [
    ({'request_timeout': 0}, 'request_timeout: 0'),
    ({'request_timeout': -1.5}, 'request_timeout: -1.5'),
    ({'retries': -1}, 'retries: -1'),
    ({'parallel': -1}, 'parallel: -1'),
])
def test_bad_connection_numbers_are_refused(params, needle):
    with pytest.raises(InputError, match=needle):
        check_cluster_options(params)
    check_cluster_options({'request_timeout': 0.5, 'retries': 0, 'parallel': 1})
    check_cluster_options({'parallel': 0})


def test_duplicate_cluster_names_are_refused():
    with pytest.raises(InputError, match="'a' is used twice"):
        clusters_from_params({'clusters': [{'name': 'a'}, {'name': 'a'}]})


@pytest.mark.parametrize('item, want', [
    ('Deployment/agent', ('deployments', 'agent')),
    ('agent', ('deployments', 'agent')),
    ('statefulsets/db', ('statefulsets', 'db')),
    ({'kind': 'DaemonSet', 'name': 'd'}, ('daemonsets', 'd')),
])
def test_parse_workloads(item, want):
    assert parse_workloads([item]) == [want]


def test_parse_workloads_rejects():
    with pytest.raises(ValueError, match='is not a workload'):
        parse_workloads(['Pod/x'])


def test_status_messages_name_the_fix():
    forbidden = _status_message(403, b'{"message": "nope"}', 'reading')
    assert 'permission denied (403)' in forbidden and 'namespace that does not exist' in forbidden
    assert _status_message(401, b'', 'x').startswith('x: the credentials were rejected (401)')
    assert _status_message(500, b'not json', 'x') == 'x: HTTP 500'


class Flaky(Cluster):
    """A Cluster whose single request (the process edge) fails transiently a set number of times."""

    def __init__(self, failures, transient=True):
        super(Flaky, self).__init__({'name': 'c'}, retries=3, sleep=self.record)
        self.failures, self.transient, self.slept = failures, transient, []

    def record(self, seconds):
        self.slept.append(seconds)

    def _once(self, method, path, query, body, content_type, what):
        self.requests += 1
        if self.failures:
            self.failures -= 1
            raise TargetError('boom', status=503 if self.transient else 422, transient=self.transient)
        return 200, {'ok': True}


def test_transient_faults_of_reads_are_retried_with_bounded_backoff():
    cluster = Flaky(2)
    assert cluster.request('GET', '/x') == (200, {'ok': True})
    assert cluster.requests == 3
    assert len(cluster.slept) == 2 and all(0 < s <= 2.0 for s in cluster.slept)
    assert cluster.slept[0] <= 0.2 and cluster.slept[1] <= 0.4


@pytest.mark.parametrize('method', ['POST', 'PATCH', 'PUT', 'DELETE'])
def test_writes_are_never_retried_blindly(method):
    cluster = Flaky(1)
    with pytest.raises(TargetError) as err:
        cluster.request(method, '/x', body={})
    assert err.value.transient and cluster.requests == 1 and cluster.slept == []


def test_retries_give_up():
    cluster = Flaky(10)
    with pytest.raises(TargetError):
        cluster.request('GET', '/x')
    assert cluster.requests == 4


def test_permanent_errors_are_not_retried():
    cluster = Flaky(1, transient=False)
    with pytest.raises(TargetError):
        cluster.request('GET', '/x')
    assert cluster.requests == 1


class StatusZero(object):
    """The process edge: an ApiClient of a kubernetes release that cannot make the request and says status 0."""

    def call_api(self, *args, **kwargs):
        raise _k8s_api.ApiException(status=0, reason='Cannot prepare a request message for provided arguments.')


@pytest.mark.parametrize('method', ['GET', 'PATCH'])
def test_status_zero_is_a_failure_never_a_success(method):
    cluster = Cluster({'name': 'c'}, retries=3, sleep=lambda s: None)
    cluster._api = StatusZero()
    with pytest.raises(TargetError, match='did not send the request'):
        cluster.request(method, '/x', body={'a': 1}, content_type='application/apply-patch+yaml')
    assert cluster.requests == 1


class Recorder(object):
    def __init__(self):
        self.bodies = []
        self.timeouts = []

    def call_api(self, *args, **kwargs):
        self.bodies.append(kwargs.get('body'))
        self.timeouts.append(kwargs.get('_request_timeout'))
        raise _k8s_api.ApiException(status=404, reason='Not Found')


def test_the_timeout_is_a_pair_and_json_bodies_go_to_the_client_as_they_are():
    cluster = Cluster({'name': 'c'}, sleep=lambda s: None)
    cluster._api = Recorder()
    with pytest.raises(TargetError):
        cluster.request('PATCH', '/x', body={'a': 1}, content_type='application/merge-patch+json')
    assert cluster._api.bodies == [{'a': 1}]
    # A (connect, read) pair: the oldest client we declare ignores a float, and would wait for ever.
    assert cluster._api.timeouts == [(10.0, 10.0)]


class Wire(object):
    """The process edge below the installed ``kubernetes`` client: its urllib3 pool, which records what would go on
    the wire and then fails as an unreachable server does."""

    def __init__(self):
        self.sent = []

    def request(self, method, url, **kwargs):
        self.sent.append((method, kwargs.get('headers', {}).get('Content-Type'), kwargs.get('body')))
        raise _k8s_api.HTTPError('not sent: a unit test')

    def urlopen(self, method, url, **kwargs):  # some releases call the pool's urlopen
        return self.request(method, url, **kwargs)


def on_the_wire(body):
    """What the installed client release sends for an apply ``body`` (PATCH, server-side apply)."""
    from kubernetes import client as k8s_client
    config = k8s_client.Configuration()
    config.host = 'https://127.0.0.1:1'
    cluster = Cluster({'name': 'c'}, retries=0, sleep=lambda s: None)
    cluster._api = k8s_client.ApiClient(config)
    wire = Wire()
    cluster._api.rest_client.pool_manager = wire
    with pytest.raises(TargetError, match='cannot reach'):
        cluster.request('PATCH', '/api/v1/namespaces/n/secrets/s', {'fieldManager': 'claudeops'}, body,
                        'application/apply-patch+yaml')
    assert len(wire.sent) == 1
    return wire.sent[0]


@pytest.mark.parametrize('body', [
    {'metadata': {'annotations': {'note': 'plain'}}},
    {'metadata': {'annotations': {'note': 'beyond the BMP \U0001F600, and accents \u00e9'}}},
])
def test_the_installed_client_release_sends_the_apply_body_as_a_json_object_in_utf8(body):
    # kubernetes 25.3.0 to 36.0.x ran json.dumps on apply bodies: text became a JSON string literal, which
    # kube-apiserver refuses (cannot unmarshal string into map), and an emoji became surrogate escapes, which its
    # YAML decoder refuses. make corners runs this on the oldest and the newest release; the client matrix of the
    # real API server target on every release line.
    method, content_type, sent = on_the_wire(body)
    text = sent.decode('utf-8') if isinstance(sent, bytes) else sent
    assert method == 'PATCH' and json.loads(text) == body  # a JSON object, not a string holding one
    assert '\\ud83d' not in text  # no surrogate escapes: the character itself, in UTF-8
    assert content_type == 'application/apply-patch+yaml; charset=utf-8' and isinstance(sent, bytes)


def test_an_apply_body_given_as_text_is_sent_as_that_text():
    assert apply_body('{"a": 1}') == (b'{"a": 1}', 'application/apply-patch+yaml; charset=utf-8')
    assert apply_body({'a': '\u00e9'}) == ('{"a":"\u00e9"}'.encode('utf-8'), 'application/apply-patch+yaml; charset=utf-8')


@pytest.mark.parametrize('text, needle', [
    ('users: [{name: u, user: sk-ant-oat01-CANARYKUBE}]', "users[0] ('u'): 'user' must be a mapping"),
    ('clusters: {name: x}', 'clusters must be a list'),
    ('contexts: [{context: {cluster: x}}]', 'contexts[0] must be a mapping with a name'),
    ('users: [{name: u, user: {token: "sk-ant-oat01-CANARYKUBE}]', 'is not valid YAML at line 1'),
    ('- a list', 'is not a kubeconfig'),
])
def test_broken_kubeconfigs_get_one_sentence_that_quotes_nothing(tmp_path, text, needle):
    path = tmp_path / 'kubeconfig'
    path.write_text(text)
    with pytest.raises(TargetError) as err:
        check_kubeconfig(str(path))
    assert needle in str(err.value) and 'CANARY' not in str(err.value)


def test_a_kubeconfig_directory_is_named(tmp_path):
    with pytest.raises(TargetError, match='is a directory'):
        check_kubeconfig(str(tmp_path))


def fleet_kubeconfig(tmp_path, count):
    """One kubeconfig with COUNT contexts (the shape the AWX kubeconfig credential injects), each cluster's CA
    named by a path relative to the file."""
    (tmp_path / 'ca.pem').write_text('not a real CA: the client only names the file here')
    lines = ['apiVersion: v1', 'kind: Config', 'current-context: c1', 'clusters:']
    lines += ['- {name: k%d, cluster: {server: "https://127.0.0.1:%d", certificate-authority: ca.pem}}' % (i, 7000 + i)
              for i in range(count)]
    lines += ['users:'] + ['- {name: u%d, user: {token: "tok-%d"}}' % (i, i) for i in range(count)]
    lines += ['contexts:'] + ['- {name: c%d, context: {cluster: k%d, user: u%d}}' % (i, i, i) for i in range(count)]
    path = tmp_path / 'kubeconfig'
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def test_a_kubeconfig_is_parsed_once_and_each_context_gets_its_own_cluster_and_user(tmp_path):
    path = fleet_kubeconfig(tmp_path, 128)
    doc = check_kubeconfig(path)
    assert check_kubeconfig(path) is doc  # the same parsed document for every cluster of the task
    for i in (0, 77, 127):
        cfg = configure({'kubeconfig': path, 'context': 'c%d' % i})
        assert cfg.host == 'https://127.0.0.1:%d' % (7000 + i)
        assert 'tok-%d' % i in str(cfg.api_key)
        assert cfg.ssl_ca_cert == str(tmp_path / 'ca.pem')  # relative to the kubeconfig, as the client does it
    assert configure({'kubeconfig': path}).host == 'https://127.0.0.1:7001'  # current-context
    assert doc['contexts'][77] == {'name': 'c77', 'context': {'cluster': 'k77', 'user': 'u77'}}  # left unchanged


def test_an_unknown_context_is_reported_by_the_client_in_its_words(tmp_path):
    path = fleet_kubeconfig(tmp_path, 2)
    with pytest.raises(TargetError, match="context nope.*Expected object with name nope"):
        configure({'kubeconfig': path, 'context': 'nope'})


@pytest.mark.parametrize('parallel, count, expected', [
    (None, 1, 1), (None, 16, 16), (None, 128, 128), (None, 300, 128), (0, 40, 40), (8, 128, 8), (8, 3, 3), (None, 0, 1),
])
def test_workers_follow_the_clusters_up_to_a_bound_unless_parallel_is_given(parallel, count, expected):
    assert workers(parallel, count) == expected


def managed(*entries):
    return {'metadata': {'resourceVersion': '7', 'managedFields': list(entries)}}


def test_state_of_reads_our_apply_owned_keys():
    obj = managed({'manager': 'claudeops', 'operation': 'Apply', 'fieldsV1': {
        'f:data': {'f:a': {}}, 'f:metadata': {'f:labels': {'.': {}, 'f:l': {}}, 'f:annotations': {'f:n': {}}}}},
        {'manager': 'claudeops', 'operation': 'Update', 'fieldsV1': {'f:data': {'f:c': {}}}},
        {'manager': 'other', 'operation': 'Apply', 'fieldsV1': {'f:data': {'f:b': {}}}})
    obj['data'] = {'a': 'eA==', 'b': 'eQ=='}
    state = state_of(obj)
    # what our manager owns once the fix-up has moved our Update entry ('c') to Apply
    assert state['owned'] == {'data': {'a', 'c'}, 'labels': {'l'}, 'annotations': {'n'}}
    assert state['rv'] == '7' and state['data'] == {'a': b'x', 'b': b'y'}
    assert state['fixups'] == ['move field ownership to server-side apply']
    assert state_of(None) is None


def test_ownership_upgrade_moves_our_update_entry_into_our_apply_entry():
    other = {'manager': 'kubectl-client-side-apply', 'operation': 'Update', 'fieldsV1': {'f:data': {'f:z': {}}}}
    obj = managed({'manager': 'claudeops', 'operation': 'Update', 'fieldsV1': {'f:data': {'f:a': {}, 'f:b': {}}}},
                  {'manager': 'claudeops', 'operation': 'Apply', 'fieldsV1': {'f:data': {'f:a': {}}}}, other)
    upgraded = ownership_upgrade(obj)
    assert other in upgraded and len(upgraded) == 2
    ours = [e for e in upgraded if e['manager'] == 'claudeops']
    assert ours[0]['operation'] == 'Apply' and ours[0]['fieldsV1'] == {'f:data': {'f:a': {}, 'f:b': {}}}
    assert owned_keys({'metadata': {'managedFields': upgraded}})['data'] == {'a', 'b'}
    assert ownership_upgrade(managed(other)) is None


CSA_ENTRY = {'manager': 'kubectl-client-side-apply', 'operation': 'Update', 'apiVersion': 'v1', 'fieldsV1': {
    'f:data': {'.': {}, 'f:.credentials.json': {}}, 'f:type': {},
    'f:metadata': {'f:annotations': {'.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {}}}}}


@pytest.mark.parametrize('entry, moves', [
    (CSA_ENTRY, True),
    (dict(CSA_ENTRY, manager='before-first-apply'), True),
    (dict(CSA_ENTRY, manager='kubectl'), True),  # kubectl's rule: an Update owner of the last-applied annotation
    ({'manager': 'kubectl-create', 'operation': 'Update', 'fieldsV1': {'f:data': {'f:.credentials.json': {}}}}, False),
    (dict(CSA_ENTRY, operation='Apply'), False),
    (dict(CSA_ENTRY, subresource='status'), False),
])
def test_adopting_takes_the_data_keys_of_kubectl_client_side_apply_and_leaves_it_its_metadata(entry, moves):
    obj = managed(entry)
    assert ownership_upgrade(obj) is None  # without adopt, nothing of theirs moves
    upgraded = ownership_upgrade(obj, adopt=True)
    if not moves:
        assert upgraded is None
        return
    ours = [e for e in upgraded if e['manager'] == 'claudeops']
    assert len(ours) == 1 and ours[0]['operation'] == 'Apply'
    assert ours[0]['fieldsV1'] == {'f:data': {'.': {}, 'f:.credentials.json': {}}}
    theirs = [e for e in upgraded if e['manager'] == entry['manager']]
    assert theirs == [dict(entry, fieldsV1={'f:type': {}, 'f:metadata': entry['fieldsV1']['f:metadata']})]
    assert entry['fieldsV1']['f:data']  # the object read is not changed
    state = state_of(dict(obj, data={'.credentials.json': 'eA=='}), adopt=True)
    assert state['owned']['data'] == {'.credentials.json'}
    assert state['fixups'] == ['move field ownership to server-side apply (taking over the data keys of %s)'
                               % entry['manager']]


def test_a_closed_reader_means_the_result_is_unwanted():
    read_end, write_end = os.pipe()
    try:
        assert not _k8s_api.result_unwanted(write_end)
        os.close(read_end)
        read_end = None
        assert _k8s_api.result_unwanted(write_end)
    finally:
        os.close(write_end)
        if read_end is not None:
            os.close(read_end)


def test_a_cancelled_run_sends_nothing():
    cluster = Cluster({'name': 'c'}, sleep=lambda s: None)
    cluster._api = Recorder()
    cluster.cancelled = lambda: True
    with pytest.raises(TargetError, match='not sent, the run was cancelled'):
        cluster.request('PATCH', '/x', body={'a': 1}, content_type='application/apply-patch+yaml')
    assert cluster._api.bodies == []


class Answers(Cluster):
    """A Cluster whose requests (the process edge) are answered from a script, for the Publisher's own logic."""

    def __init__(self, answers):
        super(Answers, self).__init__({'name': 'c'}, retries=1, sleep=lambda s: None)
        self.answers, self.sent, self.bodies, self.queries = list(answers), [], [], []

    def _once(self, method, path, query, body, content_type, what):
        self.requests += 1
        self.sent.append(method)
        self.bodies.append((content_type, body))
        self.queries.append(query)
        status, obj = self.answers.pop(0)
        if status == 0:  # the connection dropped after the request was sent: the write may have landed
            raise TargetError('cannot reach the API server: connection reset', transient=True)
        if status >= 400:
            raise TargetError('HTTP %d' % status, status=status, transient=status >= 500 or status == 429)
        return status, obj


def test_removing_shows_what_was_there_in_the_diff():
    from ansible_collections.claudeops.credentials.plugins.module_utils import _publish
    secret = {'metadata': {'resourceVersion': '5', 'uid': 'u1', 'annotations': {'claudeops.io/fingerprint': 'f'},
                           'labels': {'app.kubernetes.io/managed-by': 'claudeops.credentials'}},
              'data': {'.credentials.json': 'eA=='}}
    params = {'request_timeout': 1, 'retries': 1, 'namespace': 'claude', 'name': 's', 'state': 'absent', 'adopt': False}
    publisher = _publish.Publisher({'name': 'c'}, None, params, False, [])
    publisher.cluster = Answers([(200, secret), (200, {'kind': 'Status'}), (404, None)])
    entry, diff = publisher.run()
    assert entry['action'] == 'deleted' and publisher.cluster.sent == ['GET', 'DELETE', 'GET']
    assert diff['before']['data']['.credentials.json'].startswith('sha256:') and diff['after'] == {}


def test_a_check_run_sends_dry_run_in_the_delete_body_where_kube_apiserver_reads_it():
    # kube-apiserver reads a DELETE's options from the body when there is one and ignores the query: a dryRun=All in
    # the query beside preconditions in the body deleted the Secret in check mode (found on a real v1.37.2).
    from ansible_collections.claudeops.credentials.plugins.module_utils import _publish
    secret = {'metadata': {'resourceVersion': '5', 'uid': 'u1',
                           'labels': {'app.kubernetes.io/managed-by': 'claudeops.credentials'}},
              'data': {'.credentials.json': 'eA=='}}
    params = {'request_timeout': 1, 'retries': 1, 'namespace': 'claude', 'name': 's', 'state': 'absent', 'adopt': False}
    publisher = _publish.Publisher({'name': 'c'}, None, params, True, [])
    publisher.cluster = Answers([(200, secret), (200, secret)])
    entry, _diff = publisher.run()
    assert entry['action'] == 'would delete' and publisher.cluster.sent == ['GET', 'DELETE']
    options = publisher.cluster.bodies[1][1]
    assert options['dryRun'] == ['All'] and options['preconditions'] == {'resourceVersion': '5', 'uid': 'u1'}
    assert not publisher.cluster.queries[1]


def test_a_secret_a_finalizer_keeps_ends_the_run_after_one_delete_and_says_which_finalizer():
    # kube-apiserver answers the DELETE with 200, sets deletionTimestamp and keeps the object while a finalizer is
    # listed. Before, state: absent read and deleted again without bound (84 DELETEs in 8 s).
    from ansible_collections.claudeops.credentials.plugins.module_utils import _publish
    meta = {'resourceVersion': '5', 'uid': 'u1', 'labels': {'app.kubernetes.io/managed-by': 'claudeops.credentials'}}
    secret = {'metadata': dict(meta), 'data': {'.credentials.json': 'eA=='}}
    pending = {'metadata': dict(meta, resourceVersion='6', deletionTimestamp='2026-12-02T16:00:00Z',
                                finalizers=['example.com/hold']), 'data': {'.credentials.json': 'eA=='}}
    params = {'request_timeout': 1, 'retries': 1, 'namespace': 'claude', 'name': 's', 'state': 'absent', 'adopt': False}
    publisher = _publish.Publisher({'name': 'c'}, None, params, False, [])
    publisher.cluster = Answers([(200, secret), (200, pending), (200, pending)])
    entry, _diff = publisher.run()
    assert publisher.cluster.sent == ['GET', 'DELETE', 'GET']
    assert entry['action'] == 'deleted' and entry['changed']
    assert 'the finalizers example.com/hold keep it until their controllers release it' in entry['msg']
    again = _publish.Publisher({'name': 'c'}, None, params, False, [])
    again.cluster = Answers([(200, pending)])
    entry, _diff = again.run()
    assert again.cluster.sent == ['GET'] and entry['action'] == 'unchanged' and not entry['changed']
    assert entry['msg'].startswith('deletion already pending since 2026-12-02T16:00:00Z; the finalizers example.com/hold')


def _runner_params(**extra):
    params = {'request_timeout': 1, 'retries': 2, 'namespace': 'claude', 'name': 's', 'state': 'present',
              'adopt': False, 'prevent_downgrade': True, 'create_namespace': False, 'labels': {}, 'annotations': {},
              'source_host': 'ws1', 'onboarding': True, 'oauth_token': None, 'expires_at': None}
    params.update(extra)
    return params


def _session_files(hours, tag):
    import base64
    import json
    import time
    doc = {'claudeAiOauth': {'accessToken': 'sk-ant-oat01-%s-a' % tag, 'refreshToken': 'sk-ant-ort01-%s-r' % tag,
                             'expiresAt': int((time.time() + hours * 3600) * 1000)}}
    return {'.credentials.json': base64.b64encode(json.dumps(doc).encode()).decode()}


def _held(desired, rv):
    """The Secret a cluster holds after our apply of ``desired``, at resourceVersion ``rv``."""
    obj = desired.secret(desired.annotations)
    obj['metadata'].update(resourceVersion=rv, uid='u1')
    return obj


def _publisher(hours, **extra):
    """A Publisher of a session that expires in ``hours``, on a cluster that answers from a script set later."""
    import time
    from ansible_collections.claudeops.credentials.plugins.module_utils import _publish
    extra.setdefault('files', _session_files(hours, 'CANARYRUNNER%d' % hours))
    params = _runner_params(**extra)
    desired = _publish.WantedSecret(params, time.time())
    publisher = _publish.Publisher({'name': 'c'}, desired, params, False, [])
    publisher.cluster = Answers([])
    return publisher, desired


def _desired(hours):
    return _publisher(hours)[1]


def test_a_conflicting_write_is_decided_again_from_a_fresh_read_and_a_newer_session_there_wins():
    older, newer = _desired(4), _desired(9)
    publisher, ours = _publisher(6)
    publisher.cluster.answers = [(200, _held(older, '1')), (409, None), (200, _held(newer, '2'))]
    entry, diff = publisher.run()
    assert publisher.cluster.sent == ['GET', 'PATCH', 'GET']
    assert entry['action'] == 'skipped' and 'newer credentials' in entry['msg']


def test_a_conflicting_write_is_made_again_when_the_fresh_read_still_holds_older_credentials():
    older = _desired(4)
    publisher, ours = _publisher(6)
    publisher.cluster.answers = [(200, _held(older, '1')), (409, None), (200, _held(older, '2')), (200, _held(ours, '3'))]
    entry, diff = publisher.run()
    assert publisher.cluster.sent == ['GET', 'PATCH', 'GET', 'PATCH']
    assert entry['action'] == 'updated'
    assert diff['before']['annotations'] == _held(older, '1')['metadata']['annotations']  # what was there first


def test_conflicts_without_end_stop_after_the_limit_with_what_to_do():
    from ansible_collections.claudeops.credentials.plugins.module_utils._publish import MAX_CONFLICTS
    older = _desired(4)
    publisher, ours = _publisher(6)
    for n in range(MAX_CONFLICTS):
        publisher.cluster.answers += [(200, _held(older, str(n))), (409, None)]
    entry, diff = publisher.run()
    assert entry['action'] == 'failed'
    assert '%d writes in a row conflicted with other writers; run again' % MAX_CONFLICTS in entry['msg']
    assert publisher.cluster.sent == ['GET', 'PATCH'] * MAX_CONFLICTS


def test_a_write_whose_answer_was_lost_but_landed_is_reported_as_made_from_what_the_cluster_holds():
    older = _desired(4)
    publisher, ours = _publisher(6, retries=2)
    publisher.cluster.answers = [(200, _held(older, '1')), (0, None), (200, _held(ours, '2'))]
    entry, diff = publisher.run()
    assert publisher.cluster.sent == ['GET', 'PATCH', 'GET']  # no second write: the fresh read holds ours
    assert entry['action'] == 'updated' and entry['msg'].startswith('Secret updated')


def test_a_write_whose_answer_was_lost_and_did_not_land_is_made_again():
    older = _desired(4)
    publisher, ours = _publisher(6, retries=2)
    publisher.cluster.answers = [(200, _held(older, '1')), (503, None), (200, _held(older, '1')), (200, _held(ours, '2'))]
    entry, diff = publisher.run()
    assert publisher.cluster.sent == ['GET', 'PATCH', 'GET', 'PATCH']
    assert entry['action'] == 'updated'


def test_transient_write_faults_stop_after_the_retries_with_the_cluster_failed_alone():
    older = _desired(4)
    publisher, ours = _publisher(6, retries=1)
    publisher.cluster.answers = [(200, _held(older, '1')), (503, None), (200, _held(older, '1')), (503, None)]
    entry, diff = publisher.run()
    assert publisher.cluster.sent == ['GET', 'PATCH', 'GET', 'PATCH']
    assert entry['action'] == 'failed' and 'HTTP 503' in entry['msg']


def test_a_transient_read_fault_is_retried_and_a_permanent_one_is_not():
    older = _desired(4)
    publisher, ours = _publisher(6, retries=2)
    publisher.cluster.answers = [(503, None), (200, _held(older, '1')), (200, _held(ours, '2'))]
    entry, diff = publisher.run()
    assert publisher.cluster.sent == ['GET', 'GET', 'PATCH'] and entry['action'] == 'updated'
    publisher, ours = _publisher(6, retries=2)
    publisher.cluster.answers = [(403, None)]
    entry, diff = publisher.run()
    assert publisher.cluster.sent == ['GET'] and entry['action'] == 'failed' and 'HTTP 403' in entry['msg']


def test_switching_an_adopted_runbook_secret_to_the_token_leaves_no_key_of_the_session():
    # The runbook's `kubectl apply` of the same session we then adopt: kubectl-client-side-apply stays co-owner of
    # .credentials.json (an apply of an equal value shares ownership), so before, a switch to the long-lived token
    # kept the key and its refresh token. The fix-up now takes the key over first, and the apply removes it.
    import base64
    import json
    held = {'metadata': {'resourceVersion': '1', 'uid': 'u1', 'annotations': {
        'kubectl.kubernetes.io/last-applied-configuration': '{}'}, 'managedFields': [CSA_ENTRY]},
        'type': 'Opaque', 'data': _session_files(6, 'CANARYRUNBOOK')}
    publisher, desired = _publisher(0, files=None, oauth_token='sk-ant-oat01-CANARYSWITCH-0123456789', adopt=True)
    publisher.cluster.answers = [(200, held), (200, dict(held, metadata=dict(held['metadata'], resourceVersion='2'))),
                                 (200, {})]
    entry, _diff = publisher.run()
    assert publisher.cluster.sent == ['GET', 'PATCH', 'PATCH'], entry
    (fix_type, fix), (apply_type, applied) = publisher.cluster.bodies[1:]
    assert fix_type == 'application/merge-patch+json' and fix['metadata']['resourceVersion'] == '1'
    assert fix['metadata']['annotations'] == {'kubectl.kubernetes.io/last-applied-configuration': None}
    ours = [e for e in fix['metadata']['managedFields'] if e['manager'] == 'claudeops']
    assert ours[0]['operation'] == 'Apply' and 'f:.credentials.json' in ours[0]['fieldsV1']['f:data']
    assert apply_type == 'application/apply-patch+yaml'
    applied = json.loads(applied) if isinstance(applied, (str, bytes)) else applied
    assert applied['metadata']['resourceVersion'] == '2'  # the apply lands on what the fix-up left
    assert sorted(applied['data']) == ['.claude.json', 'CLAUDE_CODE_OAUTH_TOKEN']
    assert entry['action'] == 'updated' and 'data .claude.json, .credentials.json, CLAUDE_CODE_OAUTH_TOKEN' in entry['msg']
    assert 'taking over the data keys of kubectl-client-side-apply' in entry['msg']
    assert base64.b64decode(applied['data']['CLAUDE_CODE_OAUTH_TOKEN']) == b'sk-ant-oat01-CANARYSWITCH-0123456789'


def test_without_adopt_the_keys_kubectl_apply_co_owns_on_our_secret_stay_its_own():
    held = {'metadata': {'resourceVersion': '1', 'uid': 'u1',
                         'labels': {'app.kubernetes.io/managed-by': 'claudeops.credentials'},
                         'managedFields': [dict(CSA_ENTRY, fieldsV1={'f:data': {'f:.credentials.json': {}}})]},
            'type': 'Opaque', 'data': _session_files(6, 'CANARYRUNBOOK')}
    publisher, desired = _publisher(0, files=None, oauth_token='sk-ant-oat01-CANARYSWITCH-0123456789',
                                    replace_kind=True)
    publisher.cluster.answers = [(200, held), (200, {})]
    entry, _diff = publisher.run()
    assert publisher.cluster.sent == ['GET', 'PATCH'], entry
    assert publisher.cluster.bodies[1][0] == 'application/apply-patch+yaml'
    assert '.credentials.json' not in entry['msg'] and 'taking over' not in entry['msg']


@pytest.mark.parametrize('held_kind', ['session', 'token'])
def test_a_session_never_replaces_our_token_nor_a_token_our_session_unasked(held_kind):
    # #27 item 3: both default to claude/claude-session; a login-triggered capture removed the token's key.
    import base64
    data = _session_files(6, 'CANARYKIND') if held_kind == 'session' else {
        'CLAUDE_CODE_OAUTH_TOKEN': base64.b64encode(b'sk-ant-oat01-CANARYKINDHELD-0123456789').decode()}
    held = {'metadata': {'resourceVersion': '1', 'uid': 'u1',
                         'labels': {'app.kubernetes.io/managed-by': 'claudeops.credentials'}},
            'type': 'Opaque', 'data': data}
    if held_kind == 'session':
        publisher, _desired = _publisher(0, files=None, oauth_token='sk-ant-oat01-CANARYKINDNEW-0123456789')
    else:
        publisher, _desired = _publisher(6)
    publisher.cluster.answers = [(200, held)]
    entry, _diff = publisher.run()
    assert publisher.cluster.sent == ['GET'] and entry['action'] == 'failed', entry
    held_text = 'a captured session (.credentials.json)' if held_kind == 'session' else \
        'a long-lived token (CLAUDE_CODE_OAUTH_TOKEN)'
    assert 'holds %s' % held_text in entry['msg'] and 'set replace_kind: true to replace it' in entry['msg']
    assert 'CANARYKIND' not in entry['msg']


def _workload(plural, name, **spec):
    status = spec.pop('status', None)
    obj = {'metadata': {'name': name, 'namespace': 'claude', 'generation': 2},
           'spec': dict({'selector': {'matchLabels': {'app': name}}, 'template': {'metadata': {}}}, **spec)}
    if status is not None:
        obj['status'] = status
    return obj


@pytest.mark.parametrize('plural, spec, held', [
    ('deployments', {}, None),
    ('deployments', {'paused': True}, 'paused: its pods keep the old credentials until it is resumed '
                                      '(kubectl rollout resume deployment/w -n claude)'),
    ('statefulsets', {'updateStrategy': {'type': 'RollingUpdate'}}, None),
    ('statefulsets', {}, None),
    ('statefulsets', {'updateStrategy': {'type': 'OnDelete'}, 'replicas': 3},
     'updateStrategy OnDelete: its pods keep the old credentials until they are deleted '
     '(kubectl delete pod -n claude -l app=w)'),
    ('statefulsets', {'updateStrategy': {'type': 'OnDelete'}, 'replicas': 3,
                      'status': {'observedGeneration': 2, 'updatedReplicas': 3}}, None),
    ('statefulsets', {'updateStrategy': {'type': 'OnDelete'}, 'replicas': 3,
                      'status': {'observedGeneration': 1, 'updatedReplicas': 3}}, 'OnDelete'),
    ('statefulsets', {'updateStrategy': {'type': 'OnDelete'}, 'replicas': 3,
                      'status': {'observedGeneration': 2, 'updatedReplicas': 2}}, 'OnDelete'),
    ('daemonsets', {'updateStrategy': {'type': 'OnDelete'}}, 'OnDelete'),
    ('daemonsets', {'updateStrategy': {'type': 'OnDelete'},
                    'status': {'observedGeneration': 2, 'updatedNumberScheduled': 4, 'desiredNumberScheduled': 4}}, None),
    ('daemonsets', {'updateStrategy': {'type': 'OnDelete'},
                    'status': {'observedGeneration': 2, 'updatedNumberScheduled': 3, 'desiredNumberScheduled': 4}},
     'OnDelete'),
])
def test_held_back_names_workloads_whose_controller_does_not_replace_their_pods(plural, spec, held):
    got = _k8s_api.held_back(plural, _workload(plural, 'w', **spec))
    if held is None or len(held) > 10:
        assert got == held
    else:
        assert held in got and 'kubectl delete pod -n claude -l app=w' in got


def test_paused_and_on_delete_workloads_are_pending_every_run_and_never_restarted():
    # Before, every workload whose template annotation was set was listed under restarted (and the doctor and
    # claude_secret_info called it current), although a paused Deployment or an OnDelete StatefulSet replaces no pod.
    publisher, ours = _publisher(6)
    publisher.workloads = [('deployments', 'agent'), ('statefulsets', 'db'), ('daemonsets', 'ds')]
    paused = _workload('deployments', 'agent', paused=True)
    on_delete = _workload('statefulsets', 'db', updateStrategy={'type': 'OnDelete'})
    rolling = _workload('daemonsets', 'ds')

    def annotated(obj):
        import copy
        obj = copy.deepcopy(obj)
        obj['spec']['template']['metadata']['annotations'] = {'claudeops.io/credentials-fingerprint': ours.fingerprint}
        return obj

    publisher.cluster.answers = [(200, _held(ours, '1')), (200, paused), (200, annotated(paused)),
                                 (200, on_delete), (200, annotated(on_delete)), (200, rolling), (200, annotated(rolling))]
    entry, _diff = publisher.run()
    assert publisher.cluster.sent == ['GET', 'GET', 'PATCH', 'GET', 'PATCH', 'GET', 'PATCH']
    assert entry['action'] == 'unchanged' and entry['changed']  # the Secret was current; three templates changed
    assert entry['restarted'] == ['daemonset/ds']
    assert entry['pending'] == [
        'deployment/agent: paused: its pods keep the old credentials until it is resumed (kubectl rollout resume '
        'deployment/agent -n claude)',
        'statefulset/db: updateStrategy OnDelete: its pods keep the old credentials until they are deleted (kubectl '
        'delete pod -n claude -l app=db)']
    assert 'annotated the pod template of deployment/agent, statefulset/db, daemonset/ds' in entry['msg']
    assert 'not restarted: deployment/agent: paused' in entry['msg']
    again, _ours = _publisher(6)
    again.desired = ours
    again.workloads = publisher.workloads
    again.cluster.answers = [(200, _held(ours, '1')), (200, annotated(paused)), (200, annotated(on_delete)),
                             (200, annotated(rolling))]
    entry, _diff = again.run()
    assert again.cluster.sent == ['GET', 'GET', 'GET', 'GET'] and not entry['changed']
    assert entry['restarted'] == [] and len(entry['pending']) == 2


class Answering(Wire):
    """The urllib3 pool under the installed client answering from a script: (status, headers, body) each."""

    def __init__(self, answers):
        super(Answering, self).__init__()
        self.answers = list(answers)

    def request(self, method, url, **kwargs):
        import io
        import urllib3
        self.sent.append((method, url))
        status, headers, body = self.answers.pop(0)
        return urllib3.HTTPResponse(body=io.BytesIO(json.dumps(body).encode()), status=status, headers=headers,
                                    preload_content=kwargs.get('preload_content', True), reason='x')


def _answering_cluster(answers, retries=2):
    from kubernetes import client as k8s_client
    config = k8s_client.Configuration()
    config.host = 'https://127.0.0.1:1'
    slept = []
    cluster = Cluster({'name': 'c'}, retries=retries, sleep=slept.append)
    cluster._api = k8s_client.ApiClient(config)
    cluster._api.rest_client.pool_manager = Answering(answers)
    return cluster, slept


def test_a_429_is_retried_after_the_seconds_its_retry_after_asks():
    # Before, a 429 from API Priority and Fairness was retried after 0.1 to 0.2 s whatever it asked.
    busy = {'kind': 'Status', 'reason': 'TooManyRequests', 'message': 'Too many requests, please try again later.'}
    cluster, slept = _answering_cluster([(429, {'Retry-After': '3'}, busy), (200, {}, {'kind': 'Secret'})])
    assert cluster.request('GET', '/api/v1/namespaces/n/secrets/s') == (200, {'kind': 'Secret'})
    assert slept == [3]


def test_a_retry_after_longer_than_a_run_waits_fails_at_once_saying_so():
    busy = {'kind': 'Status', 'reason': 'ServiceUnavailable', 'message': 'maintenance'}
    cluster, slept = _answering_cluster([(503, {'Retry-After': '600'}, busy)])
    with pytest.raises(TargetError, match='asked to be retried after 600 s, longer than the 30 s a run waits: '
                       'run again later') as err:
        cluster.request('GET', '/api/v1/namespaces/n/secrets/s')
    assert slept == [] and not err.value.transient


def test_retry_after_reads_seconds_and_http_dates():
    import email.utils
    import time
    assert _k8s_api.retry_after_seconds('7') == 7
    soon = _k8s_api.retry_after_seconds(email.utils.formatdate(time.time() + 20, usegmt=True))
    assert 18 <= soon <= 20
    assert _k8s_api.retry_after_seconds('soon') is None and _k8s_api.retry_after_seconds(None) is None


def test_a_terminating_namespace_is_named_as_such_not_as_missing_permissions():
    # kube-apiserver's NamespaceLifecycle answer, as the real server in publish_apiserver gives it
    gone = {'kind': 'Status', 'reason': 'Forbidden', 'code': 403, 'message': 'secrets "s" is forbidden: unable to '
            'create new content in namespace claude because it is being terminated',
            'details': {'name': 's', 'kind': 'secrets', 'causes': [{'reason': 'NamespaceTerminating'}]}}
    cluster, _slept = _answering_cluster([(403, {}, gone)])
    with pytest.raises(TargetError) as err:
        cluster.request('POST', '/api/v1/namespaces/claude/secrets', body={}, what='creating Secret claude/s')
    assert str(err.value) == ('creating Secret claude/s: namespace claude is being deleted (Terminating) and takes '
                              'no new objects (403): wait until it is gone and publish again (create_namespace: '
                              'true makes it anew), or choose another namespace')
    assert 'permission' not in str(err.value)


def test_a_server_message_that_quotes_the_object_reaches_no_output_with_its_data():
    # An admission webhook that quotes the refused object put the base64 of the access token into the task result.
    import base64
    session = json.dumps({'claudeAiOauth': {'accessToken': 'sk-ant-oat01-CANARYWEBHOOK-0123456789abcdef',
                                            'refreshToken': 'sk-ant-ort01-CANARYWEBHOOK-r'}})
    quoted = json.dumps({'kind': 'Secret', 'metadata': {'name': 'claude-session', 'namespace': 'claude'},
                         'data': {'.credentials.json': base64.b64encode(session.encode()).decode()}})
    denied = {'kind': 'Status', 'reason': 'Forbidden', 'code': 403,
              'message': 'admission webhook "policy.example.com" denied the request: %s; also saw %s' % (
                  quoted, 'sk-ant-oat01-CANARYWEBHOOK-0123456789abcdef')}
    cluster, _slept = _answering_cluster([(403, {}, denied)])
    with pytest.raises(TargetError) as err:
        cluster.request('PATCH', '/api/v1/namespaces/claude/secrets/claude-session', body={},
                        what='applying Secret claude/claude-session')
    text = str(err.value)
    assert 'CANARYWEBHOOK' not in text and base64.b64encode(session.encode()).decode()[:24] not in text
    for start in range(3):  # no base64 of the token at any alignment
        assert base64.b64encode(session.encode()[start:])[4:28].decode() not in text
    assert 'admission webhook "policy.example.com" denied the request' in text and 'claude-session' in text
    assert _k8s_api.redact_server_text('namespace claudeops-test-12345-0 and secrets "claude-session"') == \
        'namespace claudeops-test-12345-0 and secrets "claude-session"'


def test_a_session_claiming_more_than_the_lifetime_is_refused_and_a_published_one_protects_nothing():
    # #25 item 2: a 300-day session was published, and every real session after it was skipped as older.
    import pytest as _pytest
    from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
    with _pytest.raises(InputError, match='later than a session lives'):
        _desired(300 * 24)
    forged = _publisher(300 * 24, session_max_lifetime='400d')[1]
    publisher, ours = _publisher(6)
    publisher.cluster.answers = [(200, _held(forged, '1')), (200, _held(ours, '2'))]
    entry, _diff = publisher.run()
    assert entry['action'] == 'updated', entry
    newer = _desired(9)
    publisher, ours = _publisher(6)
    publisher.cluster.answers = [(200, _held(newer, '1'))]
    assert publisher.run()[0]['action'] == 'skipped'  # a plausible newer session is still kept


@pytest.mark.parametrize('kind, expected', [('session', 'claude-session'), ('token', 'claude-token')])
def test_without_a_name_each_kind_has_its_own_secret(tmp_path, kind, expected):
    # #27 item 3: both kinds defaulted to claude/claude-session, so a capture replaced the long-lived token there.
    import yaml
    from ansible_collections.claudeops.credentials.plugins.module_utils import _publish
    params = dict((k, v.get('default')) for k, v in _publish.PUBLISH_ARGUMENT_SPEC.items())
    params.update(dest=str(tmp_path / 'secret.yaml'))
    if kind == 'token':
        params['oauth_token'] = 'sk-ant-oat01-CANARYDEFAULTNAME-0123456789'
    else:
        params['files'] = _session_files(6, 'CANARYDEFAULTNAME')
    result = _publish.run(params, False, False, lambda msg: None)
    assert result['manifest']['action'] == 'created', result
    assert yaml.safe_load((tmp_path / 'secret.yaml').read_text())['metadata']['name'] == expected
