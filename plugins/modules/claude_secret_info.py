# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: claude_secret_info
short_description: Report the Claude Code Secret on many clusters, without its values
version_added: 0.1.0
description:
  - For each cluster, reports whether the Secret exists, its C(claudeops.io/*) annotations, its expiry and status,
    the names of its data keys, and for each workload in O(workloads) whether its pod template carries the
    Secret's current fingerprint and its pods are being replaced (pods that still run older credentials are stale;
    a paused Deployment and C(updateStrategy) C(OnDelete) hold them back).
  - Read-only. Works with a token that may only C(get) secrets (and workloads). With O(check_write) it also asks the
    API server, with a server-side dry run that writes nothing, whether this account may write the Secret.
  - Never returns a data value. An unreachable or forbidden cluster is reported in its entry and never fails the
    task; only bad input does.
author:
  - claudeops maintainers (@claudeops)
options:
  name:
    description: Name of the Secret.
    type: str
    default: claude-session
  namespace:
    description: Namespace of the Secret (a cluster's C(namespace) overrides it).
    type: str
    default: claude
  workloads:
    description: Workloads whose pod-template fingerprint to compare, such as C(Deployment/claude-agent).
    type: list
    elements: raw
    default: []
  check_write:
    description: Also ask, with a server-side dry run, whether this account may write the Secret.
    type: bool
    default: false
extends_documentation_fragment:
  - claudeops.credentials.attributes
  - claudeops.credentials.attributes.INFO_MODULE
  - claudeops.credentials.attributes.K8S_GROUP
  - claudeops.credentials.clusters
  - claudeops.credentials.thresholds
  - claudeops.credentials.stores
attributes:
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
seealso:
  - module: claudeops.credentials.claude_secret
'''

EXAMPLES = r'''
- name: Check the Secret and the agents on every cluster
  claudeops.credentials.claude_secret_info:
    clusters:
      - {name: prod-eu, kubeconfig: ~/.kube/prod-eu.yaml}
      - {name: prod-us, kubeconfig: ~/.kube/prod-us.yaml}
    workloads: [Deployment/claude-agent]
  register: info

- name: Check the session kept in Vault, as well as the clusters
  claudeops.credentials.claude_secret_info:
    clusters: [{name: prod-eu, kubeconfig: ~/.kube/prod-eu.yaml}]
    stores: [{name: vault, backend: vault, path: claude/session}]
  register: info

- name: List clusters whose agents run old credentials
  ansible.builtin.debug:
    msg: "{{ info.clusters | selectattr('workloads', 'defined') | map(attribute='name') }}"
'''

RETURN = r'''
clusters:
  description: One entry per cluster, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The cluster name.
      type: str
    namespace:
      description: The namespace looked in.
      type: str
    secret:
      description: The Secret name.
      type: str
    reachable:
      description: Whether the API server answered the read.
      type: bool
    exists:
      description: Whether the Secret exists.
      type: bool
    namespace_exists:
      description: Whether the namespace exists; null when it could not be told (no permission).
      type: bool
    managed:
      description: Whether the Secret carries the C(app.kubernetes.io/managed-by=claudeops.credentials) label.
      type: bool
    annotations:
      description: The Secret's C(claudeops.io/*) annotations.
      type: dict
    keys:
      description: Names of the Secret's data keys (never their values).
      type: list
      elements: str
    kind:
      description:
        - C(session) (the Secret holds C(.credentials.json)), C(token) (it holds C(CLAUDE_CODE_OAUTH_TOKEN)), or
          null when it holds neither or does not exist.
      type: str
    refreshable:
      description:
        - For a session, whether it holds a refresh token (read inside the module; no value is returned). Null for
          a token or no Secret.
      type: bool
    expires_at:
      description: Expiry from C(claudeops.io/expires-at) (for a session, its access token's), or null.
      type: str
    expires_in:
      description: Seconds until expiry, negative once expired, or null.
      type: int
    status:
      description:
        - C(healthy), C(warning), C(critical), C(expired), C(missing), C(unknown) (present, no expiry annotation)
          or C(unreachable).
        - C(missing) also when the Secret exists but holds no credential key (C(.credentials.json) or
          C(CLAUDE_CODE_OAUTH_TOKEN)); RV(clusters[].detail) then says so.
        - A token is judged against O(warning_within)/O(critical_within); a session with a refresh token is
          C(healthy), also after its access token expired (RV(clusters[].detail) says so); a session without one is
          judged against O(session_warning_within)/O(session_critical_within).
      type: str
    detail:
      description: Why the status is what it is when that is not obvious (a Secret without credentials, a session
        whose access token expired, one without a refresh token), or null.
      type: str
    fingerprint:
      description: The Secret's C(claudeops.io/fingerprint).
      type: str
    workloads:
      description:
        - One entry per workload, with C(kind), C(name), C(exists), C(fingerprint), C(current) and C(held).
        - C(current) is true when the pod template carries the Secret's fingerprint and the workload's controller
          replaces its pods.
        - C(held) says why the pods are not being replaced although the template changed, with what to do (a paused
          Deployment until it is resumed; a StatefulSet or DaemonSet with C(updateStrategy) C(OnDelete) until its
          status shows every pod updated); otherwise null.
      type: list
      elements: dict
    can_write:
      description: With O(check_write), whether a dry-run write was allowed; null when not asked or not decidable.
      type: bool
    error:
      description: Why the cluster could not be read, or null.
      type: str
    error_code:
      description:
        - What kind of failure O(clusters) met, or null; stable names to act on, where RV(clusters[].error) is for
          people and may be reworded.
        - C(unauthorized) (HTTP 401), C(forbidden) (403), C(not_found) (404), C(conflict) (409), C(invalid) (422),
          C(throttled) (429), C(server_error) (5xx), C(http_error) (another status), C(tls) (certificate
          verification failed), C(unreachable), C(no_status), C(not_json), C(config) (kubeconfig or in-cluster
          configuration), C(cancelled) or C(unexpected).
      type: str
    http_status:
      description: The HTTP status of the request that failed, or null when none came back (unreachable, TLS).
      type: int
    requests:
      description: API requests made.
      type: int
stores:
  description:
    - One entry per secret store of O(stores), in the order given, read without its value (the expiry and
      fingerprint kept beside it; for a session stored by someone else, the expiry inside it).
  returned: when O(stores) is given
  type: list
  elements: dict
  contains:
    name:
      description: The store's name.
      type: str
    backend:
      description: The backend.
      type: str
    key:
      description: The key read.
      type: str
    exists:
      description: Whether the store holds a value under O(stores[].key).
      type: bool
    kind:
      description: C(session) or C(token), or null when nothing is stored.
      type: str
    expires_at:
      description: Expiry of the stored credentials, ISO 8601 UTC, or null.
      type: str
    expires_in:
      description: Seconds until then (negative when past), or null.
      type: int
    status:
      description: C(healthy), C(warning), C(critical), C(expired), C(missing), C(unknown) or C(unreachable).
      type: str
    fingerprint:
      description: The fingerprint recorded beside the value, or null.
      type: str
    source_host:
      description: The source host recorded beside the value, or null.
      type: str
    error:
      description: Why the store could not be read, or null.
      type: str
    error_code:
      description:
        - What kind of failure it was, or null. C(missing_client) (the backend's Python client is not installed),
          C(timeout) (no answer within O(request_timeout)), or C(client_error) (the client raised an error of its
          own; RV(stores[].error) says which).
      type: str
    requests:
      description: Requests made to this store.
      type: int
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._k8s_api import stop_on_cancel
from ansible_collections.claudeops.credentials.plugins.module_utils._secret_info import INFO_ARGUMENT_SPEC, run


def main():
    module = AnsibleModule(argument_spec=INFO_ARGUMENT_SPEC, supports_check_mode=True)
    stop_on_cancel()
    try:
        result = run(module.params)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
