# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""One Kubernetes cluster: how to connect (as kubernetes.core does, K8S_AUTH_* included), requests with bounded
retries of idempotent calls only, the Secret and workload calls, and field ownership (managedFields).
Everything goes through the ``kubernetes`` client's ApiClient; nothing shells out to kubectl."""

from __future__ import annotations

import copy
import email.utils
import json
import os
import random
import re
import select
import signal
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import env_fallback

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import redact_server_text
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError, TargetError

try:
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes.client.rest import ApiException
    from urllib3.exceptions import HTTPError
    HAS_KUBERNETES = True
    KUBERNETES_VERSION = getattr(k8s_client, '__version__', 'unknown')
except ImportError:  # pragma: no cover - reported by the module with missing_required_lib
    HAS_KUBERNETES = False
    KUBERNETES_VERSION = None

    class ApiException(Exception):
        pass

    class HTTPError(Exception):
        pass

try:
    import yaml
    _YAML_LOADER = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)  # libyaml when PyYAML has it: 10x faster
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
    yaml = None

FIELD_MANAGER = 'claudeops'
CONNECTION_OPTIONS = ('kubeconfig', 'context', 'host', 'api_key', 'ca_cert', 'validate_certs')
JSON = 'application/json'
MERGE_PATCH = 'application/merge-patch+json'
APPLY_PATCH = 'application/apply-patch+yaml'
SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

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
    parallel=dict(type='int'),
    request_timeout=dict(type='float', default=10.0),
    retries=dict(type='int', default=3),
)

# The most clusters worked on at once when ``parallel`` is not given: one worker (a thread and one keep-alive
# connection) per cluster up to this many, so that a fleet costs one round of requests, not N/8 of them.
MAX_PARALLEL_CLUSTERS = 128
# The longest Retry-After (seconds) a run waits for before trying a request again.
MAX_RETRY_AFTER = 30

WORKLOAD_KINDS = {'deployment': 'deployments', 'statefulset': 'statefulsets', 'daemonset': 'daemonsets'}


def apply_body(body):
    """The body and Content-Type of a server-side apply that every client release sends as we wrote them.

    kube-apiserver decodes an apply body as YAML, and JSON is YAML; but the ``kubernetes`` client's own serializing
    differs by release: 24.x refuses a dict for a YAML type (status 0) and sends text as it is; 25.3.0 to 36.0.x
    run ``json.dumps`` on any body sent as exactly ``application/apply-patch+yaml``, so text becomes a JSON string
    literal the server refuses (400, cannot unmarshal string into map), and a dict is written with surrogate escapes
    for characters outside the BMP (an emoji in an annotation), which the server's YAML decoder refuses too; 37 sends
    text as it is. Every release sends bytes as they are when the Content-Type is not exactly that string, and
    kube-apiserver drops a ``; charset=`` parameter before it picks the patch type (``handlers/patch.go``). So: our own
    UTF-8 JSON, as bytes, with ``charset=utf-8``."""
    if not isinstance(body, bytes):
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, separators=(',', ':'))
        body = text.encode('utf-8')
    return body, APPLY_PATCH + '; charset=utf-8'


def check_cluster_options(params):
    """``request_timeout``, ``retries`` and ``parallel`` make sense, or InputError."""
    if params.get('parallel') is not None and params['parallel'] < 0:
        raise InputError('parallel: %s; it must be 1 or more (clusters worked on at once), or 0 (or unset) for one '
                         'per cluster, at most %d.' % (params['parallel'], MAX_PARALLEL_CLUSTERS))
    timeout = params.get('request_timeout')
    if timeout is not None and not (0 < timeout <= 3600):
        raise InputError('request_timeout: %s; it must be a number of seconds above 0 (at most 3600), '
                         'for example 10.' % timeout)
    if params.get('retries') is not None and params['retries'] < 0:
        raise InputError('retries: %s; it must be 0 or more (0 means no retry).' % params['retries'])


def clusters_from_params(params):
    """The list of cluster dicts to work on.

    Without ``clusters``, the top-level connection options (which fall back to ``K8S_AUTH_*``) are one cluster.
    With ``clusters``, they are the defaults of every entry that names neither its own ``kubeconfig`` nor its own
    ``host``: so the AWX kubeconfig credential (``K8S_AUTH_KUBECONFIG``) serves entries that only name a context.
    """
    defaults = dict((k, params.get(k)) for k in CONNECTION_OPTIONS if params.get(k) is not None)
    given = params.get('clusters')
    if given is None:
        clusters = [defaults] if defaults else []
    else:
        clusters = [_with_defaults(entry, defaults) for entry in given]
    names = set()
    for index, cluster in enumerate(clusters):
        cluster['name'] = cluster.get('name') or cluster.get('context') or cluster.get('host') or 'cluster%d' % index
        if cluster['name'] in names:
            raise InputError("clusters: the name '%s' is used twice; give each cluster its own name." % cluster['name'])
        names.add(cluster['name'])
    return clusters


def _with_defaults(entry, defaults):
    """A ``clusters`` entry, with the top-level connection options when it names neither kubeconfig nor host."""
    own = dict((k, v) for k, v in (entry or {}).items() if v is not None)
    if not (own.get('kubeconfig') or own.get('host')):
        for key, value in defaults.items():
            own.setdefault(key, value)
    return own


def _status_message(status, body, what):
    detail = _body_field(body, 'message')
    terminating = re.search(r'in namespace (\S+) because it is being terminated', str(detail or ''))
    if status == 403 and terminating:
        # kube-apiserver's NamespaceLifecycle admission: a namespace being deleted takes no new objects; this is no
        # missing permission
        return ('%s: namespace %s is being deleted (Terminating) and takes no new objects (403): wait until it is '
                'gone and publish again (create_namespace: true makes it anew), or choose another namespace'
                % (what, terminating.group(1)))
    hint = {
        401: 'the credentials were rejected (401): check the token or kubeconfig user',
        403: 'permission denied (403): the account needs get/create/patch/delete on secrets in this namespace; '
             'with namespace-scoped RBAC, a namespace that does not exist is also answered with 403',
        404: 'not found (404)',
        409: 'conflict (409)',
        422: 'rejected as invalid (422)',
    }.get(status, 'HTTP %s' % status)
    return '%s: %s%s' % (what, hint, (': %s' % _short(redact_server_text(detail))) if detail else '')


def retry_after_seconds(value):
    """Seconds from a Retry-After header (delta seconds, or an HTTP date), or None."""
    if value is None:
        return None
    value = str(value).strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0, int(when.timestamp() - time.time()))


def _header(headers, name):
    """A header of an answer, from whatever the client release gives (a dict, HTTPHeaderDict or getheader)."""
    if headers is None:
        return None
    getter = getattr(headers, 'get', None)
    if getter is not None:
        return getter(name) or getter(name.lower())
    return None


def _body_field(body, field):
    try:
        return json.loads(body).get(field)
    except (ValueError, TypeError, AttributeError):
        return None


def _short(text):
    text = ' '.join(str(text).split())
    return text if len(text) < 300 else text[:297] + '...'


# -- kubeconfig ---------------------------------------------------------------------------------------------

_KUBECONFIG_CACHE = {}
_KUBECONFIG_LOCK = threading.Lock()


def default_kubeconfig_paths():
    """What the kubernetes client reads when no kubeconfig is named: ``$KUBECONFIG`` (a path list), else
    ``~/.kube/config``. Returns (paths, how to name them in a message)."""
    env = os.environ.get('KUBECONFIG')
    if env:
        return [os.path.expanduser(p) for p in env.split(os.pathsep) if p], '$KUBECONFIG (%s)' % env
    return [os.path.expanduser('~/.kube/config')], '~/.kube/config'


def check_kubeconfig(path):
    """Parse ``path`` once per process and check the shape the kubernetes client relies on, so that a broken file
    gets one sentence naming the entry, not an AttributeError. Messages never quote the file's content. Returns the
    parsed document (a dict), which every cluster of the task shares: a kubeconfig of 128 contexts is read and
    parsed once, not once per cluster."""
    with _KUBECONFIG_LOCK:
        if path not in _KUBECONFIG_CACHE:
            _KUBECONFIG_CACHE[path] = _kubeconfig_problem(path)
        problem, doc = _KUBECONFIG_CACHE[path]
    if problem:
        raise TargetError(problem, code='config')
    return doc


def _kubeconfig_problem(path):
    """(problem or None, the parsed document or None)."""
    try:
        with open(path, 'rb') as handle:
            raw = handle.read()
    except IsADirectoryError:
        return 'kubeconfig %s is a directory, not a file.' % path, None
    except OSError as exc:
        return 'kubeconfig %s cannot be read: %s.' % (path, exc.strerror), None
    if yaml is None:
        return None, None
    try:
        doc = yaml.load(raw, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)  # the message itself quotes the line, which may hold a token
        where = ' at line %d, column %d' % (mark.line + 1, mark.column + 1) if mark is not None else ''
        return 'kubeconfig %s is not valid YAML%s.' % (path, where), None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        return 'kubeconfig %s is not a kubeconfig (a mapping with clusters, users and contexts).' % path, None
    for section, inner in (('clusters', 'cluster'), ('users', 'user'), ('contexts', 'context')):
        items = doc.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            return 'kubeconfig %s: %s must be a list of entries.' % (path, section), None
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get('name'), str):
                return 'kubeconfig %s: %s[%d] must be a mapping with a name.' % (path, section, index), None
            value = item.get(inner)
            if value is not None and not isinstance(value, dict):
                return ("kubeconfig %s: %s[%d] ('%s'): '%s' must be a mapping (such as %s), not a %s."
                        % (path, section, index, item['name'], inner,
                           {'cluster': 'server and certificate-authority-data',
                            'user': 'token, client-certificate-data or exec',
                            'context': 'cluster and user'}[inner], type(value).__name__)), None
    return None, doc


def _one_context(doc, context):
    """The part of a parsed kubeconfig that one context needs (that context, its cluster and its user), copied,
    so that each cluster's loader reads and may change (a refreshed token) only its own entries; None when the
    context is not there, so that the kubernetes client reports it in its own words."""
    name = context or doc.get('current-context')
    entry = next((c for c in doc.get('contexts') or [] if c.get('name') == name), None)
    if entry is None:
        return None
    wanted = entry.get('context') or {}
    part = {'current-context': name, 'contexts': [copy.deepcopy(entry)], 'clusters': [], 'users': []}
    for section, key in (('clusters', 'cluster'), ('users', 'user')):
        found = next((c for c in doc.get(section) or [] if c.get('name') == wanted.get(key)), None)
        if found is not None:
            part[section].append(copy.deepcopy(found))
    return part


def load_context(path, doc, context, cfg):
    """Set ``cfg`` from ``context`` of the kubeconfig ``path`` already parsed as ``doc``, as the client's
    load_kube_config would for that one file (relative paths from the file's directory, nothing written back)."""
    part = _one_context(doc, context)
    node = k8s_config.kube_config.ConfigNode(path, part if part is not None else doc, path)
    loader = k8s_config.kube_config.KubeConfigLoader(config_dict=node, active_context=context, config_base_path=None)
    loader.load_and_set(cfg)


def in_cluster():
    return bool(os.environ.get('KUBERNETES_SERVICE_HOST')) and os.path.exists(
        os.path.join(SERVICE_ACCOUNT_DIR, 'token'))


def _load_kubeconfig(kubeconfig, context, cfg):
    """Load into ``cfg`` the kubeconfig (given, else the default ones, else the pod's service account)."""
    if kubeconfig:
        paths, named = [os.path.expanduser(kubeconfig)], kubeconfig
    else:
        paths, named = default_kubeconfig_paths()
    existing = [p for p in paths if os.path.exists(p)]
    if not kubeconfig and not existing and in_cluster():
        try:
            k8s_config.load_incluster_config(client_configuration=cfg)
        except Exception as exc:  # the client raises ConfigException and others
            raise TargetError('in-cluster configuration (service account in %s) failed: %s'
                              % (SERVICE_ACCOUNT_DIR, _short(exc)), code='config')
        return
    if not existing:
        raise TargetError('no kubeconfig: %s does not exist%s. Give kubeconfig (or host and api_key) for this cluster, '
                          'or set K8S_AUTH_KUBECONFIG.'
                          % (named, '' if kubeconfig else ', and this is not a pod with a service account'),
                          code='config')
    docs = [check_kubeconfig(path) for path in existing]
    one = kubeconfig or len(existing) == 1
    try:
        if one and docs[0] is not None:
            load_context(existing[0], docs[0], context, cfg)
        else:  # several files in $KUBECONFIG: the client merges them
            k8s_config.load_kube_config(config_file=existing[0] if one else None, context=context,
                                        client_configuration=cfg, persist_config=False)
    except Exception as exc:  # the kubernetes client raises several types for a bad kubeconfig
        raise TargetError('cannot load kubeconfig %s (context %s): %s' % (named, context or 'current', _short(exc)),
                          code='config')


def configure(spec):
    """A ``kubernetes.client.Configuration`` for one cluster spec: its kubeconfig, else its host, else the default
    kubeconfig, else the pod's service account (in-cluster, as AWX container groups run)."""
    cfg = k8s_client.Configuration()
    if spec.get('kubeconfig') or not spec.get('host'):
        _load_kubeconfig(spec.get('kubeconfig'), spec.get('context'), cfg)
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
    return cfg


# -- cancellation -------------------------------------------------------------------------------------------

def result_unwanted(fd=1):
    """True when nobody reads this process's result any more: the Ansible worker that started the module is gone
    (a cancelled job), so its end of our stdout pipe is closed, which poll() reports as an error on our end."""
    if not hasattr(select, 'poll'):
        return False
    try:
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        events = poller.poll(0)
    except (OSError, ValueError):
        return False
    return any(event & (select.POLLERR | select.POLLHUP) for _fd, event in events)


def stop_on_cancel():
    """Make a cancelled run stop: SIGINT ends the module at once, as SIGTERM does (by default Python would only
    interrupt the main thread and wait for the cluster workers), and every request first checks that the run
    that started it still wants the result (see ``result_unwanted``)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    Cluster.cancelled = staticmethod(result_unwanted)


# -- requests -----------------------------------------------------------------------------------------------

class Cluster(object):
    """One cluster: an ApiClient made on first use, and a request counter."""

    # Whether the run was cancelled; stop_on_cancel() sets it for module runs.
    cancelled = staticmethod(lambda: False)

    def __init__(self, spec, timeout=10.0, retries=3, sleep=time.sleep):
        self.spec = spec
        self.name = spec['name']
        self.timeout = timeout
        self.retries = max(0, retries)
        self.sleep = sleep
        self.requests = 0
        self._api = None

    def _client(self):
        if self._api is None:
            self._api = k8s_client.ApiClient(configure(self.spec))
        return self._api

    def backoff(self, attempt, err=None):
        """Wait before attempt ``attempt`` (1, 2, ...): exponential from 0.2 s, at most 2 s, with jitter; or as long
        as the API server's Retry-After asked (a 429 from API Priority and Fairness, a 503), when that is at most
        MAX_RETRY_AFTER seconds. A longer one is not waited for: ``err`` is raised, saying so."""
        delay = min(2.0, 0.2 * (2 ** (attempt - 1))) * (0.5 + random.random() / 2)
        asked = getattr(err, 'retry_after', None)
        if asked is not None:
            if asked > MAX_RETRY_AFTER:
                raise TargetError('%s; the API server asked to be retried after %d s, longer than the %d s a run '
                                  'waits: run again later' % (err, asked, MAX_RETRY_AFTER),
                                  status=err.status, transient=False, reason=err.reason)
            delay = max(delay, asked)
        self.sleep(delay)

    def request(self, method, path, query=None, body=None, content_type=JSON, what=None):
        """One request. Returns (status, object or None).

        Only reads are retried here, on transient faults: a write that timed out may have landed, so its caller
        reads again and decides again instead."""
        what = what or '%s %s' % (method, path)
        attempt = 0
        while True:
            try:
                return self._once(method, path, query, body, content_type, what)
            except TargetError as err:
                if not err.transient or method != 'GET' or attempt >= self.retries:
                    raise
                attempt += 1
                self.backoff(attempt, err)

    def _once(self, method, path, query, body, content_type, what):
        if self.cancelled():
            raise TargetError('%s: not sent, the run was cancelled (nothing reads this task\'s result any more)' % what, code='cancelled')
        api = self._client()
        if body is not None and content_type == APPLY_PATCH:
            body, content_type = apply_body(body)
        headers = {'Accept': JSON, 'Content-Type': content_type}
        params = list((query or {}).items())
        self.requests += 1
        # (connect, read): older clients (24.2.0, our floor) silently drop a float timeout, accepting only an int or
        # a pair, which left a request to a hung API server with no timeout at all. Every release takes the pair.
        timeout = (self.timeout, self.timeout)
        answered = None  # the answer's headers
        try:
            if hasattr(api, 'param_serialize'):  # kubernetes >= 33 (new generator)
                serialized = api.param_serialize(method=method, resource_path=path, query_params=params,
                                                 header_params=headers, body=body, auth_settings=['BearerToken'])
                response = api.call_api(*serialized, _request_timeout=timeout)
                status, raw = response.status, response.read()
                answered = (getattr(response, 'headers', None)
                            or getattr(getattr(response, 'response', None), 'headers', None))
            else:
                response = api.call_api(path, method, query_params=params, header_params=headers, body=body,
                                        auth_settings=['BearerToken'], _preload_content=False,
                                        _return_http_data_only=True, _request_timeout=timeout)
                status, raw = response.status, response.data
                answered = getattr(response, 'headers', None)
        except ApiException as exc:  # older clients raise on error statuses, and on requests they cannot make
            status, raw, answered = exc.status, exc.body, exc.headers
            if not isinstance(status, int) or status < 100:
                raise TargetError('%s: the kubernetes client (%s) did not send the request (status %r): %s'
                                  % (what, KUBERNETES_VERSION, status, _short(exc.reason)), code='no_status')
        except (HTTPError, OSError) as exc:  # unreachable, TLS, reset, timeout
            text = str(exc)
            if 'CERTIFICATE_VERIFY_FAILED' in text or 'SSLError' in text or isinstance(exc, ssl.SSLError):
                raise TargetError('%s: TLS verification failed (check ca_cert or the kubeconfig CA): %s'
                                  % (what, _short(text)), code='tls')
            raise TargetError('%s: cannot reach the API server: %s' % (what, _short(text)), transient=True, code='unreachable')
        if not isinstance(status, int) or status < 100:
            raise TargetError('%s: no HTTP status from the kubernetes client (%s); nothing is known to have been '
                              'written' % (what, KUBERNETES_VERSION), code='no_status')
        if status >= 400:
            transient = status >= 500 or status == 429
            raise TargetError(_status_message(status, raw, what), status=status, transient=transient,
                              reason=_body_field(raw, 'reason'),
                              retry_after=retry_after_seconds(_header(answered, 'Retry-After')) if transient else None)
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            raise TargetError('%s: the API server answered with something that is not JSON' % what, code='not_json')


def workers(parallel, count):
    """How many clusters to work on at once: ``parallel`` when given (1 or more), else one per cluster, at most
    MAX_PARALLEL_CLUSTERS; never more than there are clusters."""
    wanted = parallel if parallel else MAX_PARALLEL_CLUSTERS
    return max(1, min(wanted, count))


def for_each_cluster(clusters, parallel, work):
    """``work(cluster)`` for every cluster, ``workers(parallel)`` at once; results in the order the clusters were
    given."""
    if not clusters:
        return []
    with ThreadPoolExecutor(max_workers=workers(parallel, len(clusters))) as pool:
        return list(pool.map(work, clusters))


# -- Secrets and workloads ----------------------------------------------------------------------------------

def secret_path(namespace, name=None):
    base = '/api/v1/namespaces/%s/secrets' % namespace
    return base if name is None else '%s/%s' % (base, name)


def read_secret(cluster, namespace, name):
    """The Secret object, or None when absent."""
    try:
        return cluster.request('GET', secret_path(namespace, name), what='reading Secret %s/%s' % (namespace, name))[1]
    except TargetError as err:
        if err.status == 404:
            return None
        raise


def parse_workloads(restart, option='restart'):
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
            raise InputError("%s: '%s' is not a workload. Use Deployment/NAME, StatefulSet/NAME or DaemonSet/NAME."
                             % (option, item))
        out.append((plural, name))
    return out


def workload_path(namespace, plural, name):
    return '/apis/apps/v1/namespaces/%s/%s/%s' % (namespace, plural, name)


def held_back(plural, workload):
    """Why the pods of a workload whose pod template changed are not being replaced by its controller, with what to
    do; None when they are (or will be). A paused Deployment rolls out only once resumed; a StatefulSet or DaemonSet
    with ``updateStrategy: OnDelete`` replaces a pod only when someone deletes it, so it is held back until its
    status shows every pod updated at its current generation."""
    meta = (workload or {}).get('metadata') or {}
    spec = (workload or {}).get('spec') or {}
    name, namespace = meta.get('name'), meta.get('namespace')
    kind = plural[:-1]
    if plural == 'deployments':
        if spec.get('paused'):
            return ('paused: its pods keep the old credentials until it is resumed (kubectl rollout resume '
                    'deployment/%s -n %s)' % (name, namespace))
        return None
    if ((spec.get('updateStrategy') or {}).get('type')) != 'OnDelete':
        return None
    status = (workload or {}).get('status') or {}
    seen = (status.get('observedGeneration') or 0) >= (meta.get('generation') or 1)
    if plural == 'statefulsets':
        wanted = spec.get('replicas', 1)
        done = seen and (status.get('updatedReplicas') or 0) >= wanted
    else:
        done = seen and (status.get('updatedNumberScheduled') or 0) >= (status.get('desiredNumberScheduled') or 0)
    if done:
        return None
    labels = ((spec.get('selector') or {}).get('matchLabels') or {})
    selector = ','.join('%s=%s' % item for item in sorted(labels.items()))
    return ('updateStrategy OnDelete: its pods keep the old credentials until they are deleted (kubectl delete pod '
            '-n %s %s)' % (namespace, '-l ' + selector if selector else 'PODS OF %s/%s' % (kind, name)))


def template_annotation(workload, key):
    template = (((workload or {}).get('spec') or {}).get('template') or {}).get('metadata') or {}
    return (template.get('annotations') or {}).get(key)


# -- field ownership ----------------------------------------------------------------------------------------

def owned_keys(obj, manager=FIELD_MANAGER, operation='Apply'):
    """Data keys, labels and annotations that ``manager`` owns through ``operation``, from managedFields."""
    owned = {'data': set(), 'labels': set(), 'annotations': set()}
    for entry in ((obj or {}).get('metadata') or {}).get('managedFields') or []:
        if entry.get('manager') != manager or entry.get('operation') != operation or entry.get('subresource'):
            continue
        fields = entry.get('fieldsV1') or {}
        owned['data'].update(_keys(fields.get('f:data')))
        meta = fields.get('f:metadata') or {}
        owned['labels'].update(_keys(meta.get('f:labels')))
        owned['annotations'].update(_keys(meta.get('f:annotations')))
    return owned


def _keys(fields):
    return set(k[2:] for k in (fields or {}) if k.startswith('f:'))


def _merge_fields(into, other):
    for key, value in (other or {}).items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge_fields(into[key], value)
        else:
            into[key] = dict(value) if isinstance(value, dict) else value
    return into


# Field managers that kubectl's client-side apply writes as: kubectl apply's own name, and the name kube-apiserver
# gives what an object held before its first server-side apply. kubectl's migration to server-side apply
# (apply.go migrateToSSAIfNecessary, client-go util/csaupgrade) also moves any Update manager that owns its
# last-applied annotation.
CLIENT_SIDE_MANAGERS = ('kubectl-client-side-apply', 'before-first-apply')
LAST_APPLIED_FIELD = 'f:kubectl.kubernetes.io/last-applied-configuration'


def client_side_owner(entry, manager=FIELD_MANAGER):
    """Whether a managedFields entry is kubectl's client-side apply (by kubectl's rule, or by name)."""
    if entry.get('manager') == manager or entry.get('operation') != 'Update' or entry.get('subresource'):
        return False
    if entry.get('manager') in CLIENT_SIDE_MANAGERS:
        return True
    annotations = ((entry.get('fieldsV1') or {}).get('f:metadata') or {}).get('f:annotations') or {}
    return LAST_APPLIED_FIELD in annotations


def client_side_data_owners(obj, manager=FIELD_MANAGER):
    """The managedFields entries of kubectl's client-side apply (``client_side_owner``) that own data keys: what
    adopting takes over."""
    entries = ((obj or {}).get('metadata') or {}).get('managedFields') or []
    return [e for e in entries if client_side_owner(e, manager) and (e.get('fieldsV1') or {}).get('f:data')]


def ownership_upgrade(obj, manager=FIELD_MANAGER, adopt=False):
    """The managedFields after moving to ``manager``'s ``Apply`` entry what it owns through ``Update`` (a create, an
    older release's writes), as kubectl's csaupgrade does; None when there is nothing to move. Without this, a data
    key we created would stay co-owned forever and a later apply could never remove it.

    With ``adopt``, the data keys that kubectl's client-side apply owns (``client_side_owner``: the manual runbook's
    ``kubectl apply``) move too, so that a key of the old content that we stop sending is removed instead of kept
    by its co-owner. Unlike csaupgrade, only ``data`` moves: the labels and annotations that kubectl applied stay
    its own, and are never removed by us."""
    entries = ((obj or {}).get('metadata') or {}).get('managedFields') or []
    updates = [e for e in entries if e.get('manager') == manager and e.get('operation') == 'Update'
               and not e.get('subresource')]
    foreign = client_side_data_owners(obj, manager) if adopt else []
    if not updates and not foreign:
        return None
    apply_entry = next((e for e in entries if e.get('manager') == manager and e.get('operation') == 'Apply'
                        and not e.get('subresource')), None)
    merged = dict(apply_entry or {'manager': manager, 'operation': 'Apply', 'apiVersion': 'v1',
                                  'fieldsType': 'FieldsV1', 'fieldsV1': {}})
    merged['fieldsV1'] = _merge_fields({}, merged.get('fieldsV1'))
    for entry in updates:
        _merge_fields(merged['fieldsV1'], entry.get('fieldsV1'))
    for entry in foreign:
        _merge_fields(merged['fieldsV1'], {'f:data': entry['fieldsV1']['f:data']})
    merged['time'] = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
    moved = set(id(e) for e in [apply_entry] + updates)
    out = []
    for entry in entries:
        if id(entry) in moved:
            continue
        if any(entry is f for f in foreign):
            rest = dict((k, v) for k, v in entry['fieldsV1'].items() if k != 'f:data')
            if rest:
                out.append(dict(entry, fieldsV1=rest))
            continue
        out.append(entry)
    out.append(merged)
    return out
