# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    # Matches CLUSTER_ARGUMENT_SPEC in plugins/module_utils/_k8s_api.py. Option names follow kubernetes.core.
    DOCUMENTATION = r'''
options:
  clusters:
    description:
      - The clusters to work on, each with its own connection options. They are worked on in parallel
        (O(parallel) at once); one failing never stops the others.
      - Instead of this list, one cluster can be given with the same options at the top level.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the cluster in results and messages. Defaults to the context, else the host.
        type: str
      kubeconfig:
        description: Path of a kubeconfig file. Defaults to C(~/.kube/config) unless O(clusters[].host) is given.
        type: path
      context:
        description: Context of the kubeconfig to use. Defaults to its current context.
        type: str
      host:
        description: URL of the API server, such as C(https://k8s.example.com:6443).
        type: str
      api_key:
        description: Bearer token for the API server.
        type: str
      ca_cert:
        description: Path of the CA certificate that signed the API server's certificate.
        type: path
        aliases: [ssl_ca_cert]
      validate_certs:
        description: Whether to validate the API server's certificate. Never turn it off outside a lab.
        type: bool
        aliases: [verify_ssl]
      namespace:
        description: Namespace on this cluster, overriding the module's namespace.
        type: str
  kubeconfig:
    description:
      - One cluster, when O(clusters) is not given. Path of a kubeconfig file.
      - Can be set with E(K8S_AUTH_KUBECONFIG).
    type: path
  context:
    description:
      - One cluster, when O(clusters) is not given. Context of the kubeconfig.
      - Can be set with E(K8S_AUTH_CONTEXT).
    type: str
  host:
    description:
      - One cluster, when O(clusters) is not given. URL of the API server.
      - Can be set with E(K8S_AUTH_HOST).
    type: str
  api_key:
    description:
      - One cluster, when O(clusters) is not given. Bearer token.
      - Can be set with E(K8S_AUTH_API_KEY).
    type: str
  ca_cert:
    description:
      - One cluster, when O(clusters) is not given. CA certificate of the API server.
      - Can be set with E(K8S_AUTH_SSL_CA_CERT).
    type: path
    aliases: [ssl_ca_cert]
  validate_certs:
    description:
      - One cluster, when O(clusters) is not given. Whether to validate the API server's certificate.
      - Can be set with E(K8S_AUTH_VERIFY_SSL).
    type: bool
    aliases: [verify_ssl]
  parallel:
    description: How many clusters to work on at once.
    type: int
    default: 8
  request_timeout:
    description: Seconds to wait for each API request.
    type: float
    default: 10
  retries:
    description:
      - How many times to retry a request that failed transiently (5xx, 429, connection reset or refused, timeout),
        with exponential backoff from 0.2s up to 2s per wait. Other errors are not retried.
    type: int
    default: 3
requirements:
  - kubernetes >= 24.2.0 (Python)
'''
