# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.claudeops.credentials.plugins.module_utils._k8s import (
    Cluster,
    ClusterError,
    _status_message,
    clusters_from_params,
    parse_workloads,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._publish import state_of


def test_clusters_from_list_get_names():
    got = clusters_from_params({'clusters': [{'context': 'prod'}, {'host': 'https://h:6443'}, {'name': 'x'}]})
    assert [c['name'] for c in got] == ['prod', 'https://h:6443', 'x']


def test_top_level_options_are_one_cluster():
    got = clusters_from_params({'clusters': None, 'kubeconfig': '/k', 'context': 'c', 'host': None, 'api_key': None,
                                'ca_cert': None, 'validate_certs': None})
    assert got == [{'kubeconfig': '/k', 'context': 'c', 'host': None, 'api_key': None, 'ca_cert': None,
                    'validate_certs': None, 'name': 'c'}]
    assert clusters_from_params({'clusters': None}) == []


def test_duplicate_cluster_names_are_refused():
    with pytest.raises(ValueError, match="'a' is used twice"):
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
    assert 'permission denied (403)' in _status_message(403, b'{"message": "nope"}', 'reading')
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
            raise ClusterError('boom', status=503 if self.transient else 422, transient=self.transient)
        return 200, {'ok': True}


def test_transient_faults_are_retried_with_bounded_backoff():
    cluster = Flaky(2)
    assert cluster.request('GET', '/x') == (200, {'ok': True})
    assert cluster.requests == 3
    assert len(cluster.slept) == 2 and all(0 < s <= 2.0 for s in cluster.slept)
    assert cluster.slept[0] <= 0.2 and cluster.slept[1] <= 0.4


def test_retries_give_up():
    cluster = Flaky(10)
    with pytest.raises(ClusterError):
        cluster.request('GET', '/x')
    assert cluster.requests == 4


def test_permanent_errors_are_not_retried():
    cluster = Flaky(1, transient=False)
    with pytest.raises(ClusterError):
        cluster.request('GET', '/x')
    assert cluster.requests == 1


def test_state_of_reads_our_owned_data_keys():
    obj = {'data': {'a': 'eA==', 'b': 'eQ=='}, 'metadata': {'resourceVersion': '7', 'managedFields': [
        {'manager': 'claudeops', 'fieldsV1': {'f:data': {'f:a': {}}}},
        {'manager': 'other', 'fieldsV1': {'f:data': {'f:b': {}}}}]}}
    state = state_of(obj)
    assert state['owned_data'] == {'a'} and state['rv'] == '7' and state['data'] == {'a': b'x', 'b': b'y'}
    assert state_of(None) is None
