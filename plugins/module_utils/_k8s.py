# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Talking to one Kubernetes cluster: connection options (as in kubernetes.core), requests with bounded retries,
and the publish/remove/inspect steps for our Secret. Everything goes through the ``kubernetes`` client's
ApiClient; nothing shells out to kubectl."""

from __future__ import annotations

import json
import random
import ssl
import time
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import env_fallback

try:
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes.client.rest import ApiException
    from urllib3.exceptions import HTTPError
    HAS_KUBERNETES = True
except ImportError:  # pragma: no cover - reported by the module with missing_required_lib
    HAS_KUBERNETES = False

    class ApiException(Exception):
        pass

    class HTTPError(Exception):
        pass

FIELD_MANAGER = 'claudeops'
CONNECTION_OPTIONS = ('kubeconfig', 'context', 'host', 'api_key', 'ca_cert', 'validate_certs')

# The connection options of one cluster, shared by claude_secret and claude_secret_info.
CLUSTER_SPEC = dict(
    name=dict(type='str'),
    kubeconfig=dict(type='path'),
    context=dict(type='str'),
    host=dict(type='str'),
    api_key=dict(type='str', no_log=True),
    ca_cert=dict(type='path', aliases=['ssl_ca_cert']),
    validate_certs=dict(type='bool', aliases=['verify_ssl']),
    namespace=dict(type='str'),
)

CLUSTER_ARGUMENT_SPEC = dict(
    clusters=dict(type='list', elements='dict', options=CLUSTER_SPEC),
    kubeconfig=dict(type='path', fallback=(env_fallback, ['K8S_AUTH_KUBECONFIG'])),
    context=dict(type='str', fallback=(env_fallback, ['K8S_AUTH_CONTEXT'])),
    host=dict(type='str', fallback=(env_fallback, ['K8S_AUTH_HOST'])),
    api_key=dict(type='str', no_log=True, fallback=(env_fallback, ['K8S_AUTH_API_KEY'])),
    ca_cert=dict(type='path', aliases=['ssl_ca_cert'], fallback=(env_fallback, ['K8S_AUTH_SSL_CA_CERT'])),
    validate_certs=dict(type='bool', aliases=['verify_ssl'], fallback=(env_fallback, ['K8S_AUTH_VERIFY_SSL'])),
    parallel=dict(type='int', default=8),
    request_timeout=dict(type='float', default=10.0),
    retries=dict(type='int', default=3),
)

WORKLOAD_KINDS = {'deployment': 'deployments', 'statefulset': 'statefulsets', 'daemonset': 'daemonsets'}


class ClusterError(Exception):
    """A request failed. ``transient`` ones (5xx, 429, reset, timeout) are retried."""

    def __init__(self, msg, status=None, transient=False, reason=None):
        super(ClusterError, self).__init__(msg)
        self.status, self.transient, self.reason = status, transient, reason


def clusters_from_params(params):
    """The list of cluster dicts: ``clusters``, or the top-level connection options as one cluster."""
    clusters = [dict(c) for c in (params.get('clusters') or [])]
    if not clusters and any(params.get(k) is not None for k in CONNECTION_OPTIONS):
        clusters = [dict((k, params.get(k)) for k in CONNECTION_OPTIONS)]
    names = set()
    for index, cluster in enumerate(clusters):
        cluster['name'] = cluster.get('name') or cluster.get('context') or cluster.get('host') or 'cluster%d' % index
        if cluster['name'] in names:
            raise ValueError("clusters: the name '%s' is used twice; give each cluster its own name." % cluster['name'])
        names.add(cluster['name'])
    return clusters


def _status_message(status, body, what):
    try:
        detail = json.loads(body).get('message')
    except (ValueError, TypeError, AttributeError):
        detail = None
    hint = {
        401: 'the credentials were rejected (401): check the token or kubeconfig user',
        403: 'permission denied (403): the account needs get/create/patch/delete on secrets in this namespace',
        404: 'not found (404)',
        409: 'conflict (409)',
        422: 'rejected as invalid (422)',
    }.get(status, 'HTTP %s' % status)
    return '%s: %s%s' % (what, hint, (': %s' % detail) if detail else '')


class Cluster(object):
    """One cluster: an ApiClient and a request counter."""

    def __init__(self, spec, timeout=10.0, retries=3, sleep=time.sleep):
        self.spec = spec
        self.name = spec['name']
        self.timeout = timeout
        self.retries = max(0, retries)
        self.sleep = sleep
        self.requests = 0
        self._api = None

    def _client(self):
        if self._api is not None:
            return self._api
        spec = self.spec
        cfg = k8s_client.Configuration()
        try:
            if spec.get('kubeconfig') or not spec.get('host'):
                k8s_config.load_kube_config(config_file=spec.get('kubeconfig'), context=spec.get('context'),
                                            client_configuration=cfg, persist_config=False)
        except Exception as exc:  # the kubernetes client raises several types for a bad kubeconfig
            raise ClusterError('cannot load kubeconfig %s (context %s): %s' % (
                spec.get('kubeconfig') or '~/.kube/config', spec.get('context') or 'current', exc))
        if spec.get('host'):
            cfg.host = spec['host']
        if spec.get('api_key'):
            cfg.api_key = {'authorization': spec['api_key']}
            cfg.api_key_prefix = {'authorization': 'Bearer'}
        if spec.get('ca_cert'):
            cfg.ssl_ca_cert = spec['ca_cert']
        if spec.get('validate_certs') is not None:
            cfg.verify_ssl = spec['validate_certs']
        cfg.retries = 0  # retries are ours, counted and bounded
        self._api = k8s_client.ApiClient(cfg)
        return self._api

    def request(self, method, path, query=None, body=None, content_type='application/json', what=None):
        """One request with bounded retries on transient faults. Returns (status, object or None)."""
        what = what or '%s %s' % (method, path)
        attempt = 0
        while True:
            try:
                return self._once(method, path, query, body, content_type, what)
            except ClusterError as err:
                if not err.transient or attempt >= self.retries:
                    raise
            attempt += 1
            self.sleep(min(2.0, 0.2 * (2 ** (attempt - 1))) * (0.5 + random.random() / 2))

    def _once(self, method, path, query, body, content_type, what):
        api = self._client()
        headers = {'Accept': 'application/json', 'Content-Type': content_type}
        params = list((query or {}).items())
        self.requests += 1
        try:
            if hasattr(api, 'param_serialize'):  # kubernetes >= 33 (new generator)
                serialized = api.param_serialize(method=method, resource_path=path, query_params=params,
                                                 header_params=headers, body=body, auth_settings=['BearerToken'])
                response = api.call_api(*serialized, _request_timeout=self.timeout)
                status, raw = response.status, response.read()
            else:
                response = api.call_api(path, method, query_params=params, header_params=headers, body=body,
                                        auth_settings=['BearerToken'], _preload_content=False,
                                        _return_http_data_only=True, _request_timeout=self.timeout)
                status, raw = response.status, response.data
        except ApiException as exc:  # older clients raise on error statuses
            status, raw = exc.status, exc.body
        except (HTTPError, OSError) as exc:  # unreachable, TLS, reset, timeout
            text = str(exc)
            if 'CERTIFICATE_VERIFY_FAILED' in text or 'SSLError' in text or isinstance(exc, ssl.SSLError):
                raise ClusterError('%s: TLS verification failed (check ca_cert or the kubeconfig CA): %s'
                                   % (what, _short(text)))
            raise ClusterError('%s: cannot reach the API server: %s' % (what, _short(text)), transient=True)
        if status >= 400:
            transient = status >= 500 or status == 429
            raise ClusterError(_status_message(status, raw, what), status=status, transient=transient,
                               reason=_reason(raw))
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            raise ClusterError('%s: the API server answered with something that is not JSON' % what)


def _reason(body):
    try:
        return json.loads(body).get('reason')
    except (ValueError, TypeError, AttributeError):
        return None


def _short(text):
    text = ' '.join(str(text).split())
    return text if len(text) < 300 else text[:297] + '...'


def secret_path(namespace, name=None):
    base = '/api/v1/namespaces/%s/secrets' % namespace
    return base if name is None else '%s/%s' % (base, name)


def read_secret(cluster, namespace, name):
    """The Secret object, or None when absent."""
    try:
        return cluster.request('GET', secret_path(namespace, name), what='reading Secret %s/%s' % (namespace, name))[1]
    except ClusterError as err:
        if err.status == 404:
            return None
        raise


def cluster_inputs(module, workloads_option):
    """The clusters and workloads a module was given, validated before any request (one clear error otherwise)."""
    try:
        clusters = clusters_from_params(module.params)
        workloads = parse_workloads(module.params.get(workloads_option))
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    if clusters and not HAS_KUBERNETES:
        module.fail_json(msg='The kubernetes Python package is required on the controller: pip install kubernetes.')
    return clusters, workloads


def for_each_cluster(clusters, parallel, work):
    """``work(cluster)`` for every cluster, ``parallel`` at once; results in the order the clusters were given."""
    if not clusters:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(parallel, len(clusters)))) as pool:
        return list(pool.map(work, clusters))


def parse_workloads(restart):
    """``restart`` entries (``Deployment/name`` or ``{kind, name}``) as (plural, name) pairs."""
    out = []
    for item in restart or []:
        if isinstance(item, dict):
            kind, name = item.get('kind', 'Deployment'), item.get('name')
        else:
            kind, _sep, name = str(item).rpartition('/')
            kind = kind or 'Deployment'
        plural = WORKLOAD_KINDS.get(str(kind).lower().rstrip('s'))
        if not plural or not name:
            raise ValueError("restart: '%s' is not a workload. Use Deployment/NAME, StatefulSet/NAME or DaemonSet/NAME."
                             % (item,))
        out.append((plural, name))
    return out


def workload_path(namespace, plural, name):
    return '/apis/apps/v1/namespaces/%s/%s/%s' % (namespace, plural, name)
