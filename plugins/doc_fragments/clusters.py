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
      - The top-level connection options (O(kubeconfig), O(context), O(host), O(api_key), O(ca_cert),
        O(validate_certs)), and so their E(K8S_AUTH_*) environment variables, are the defaults of every entry that
        names neither its own O(clusters[].kubeconfig) nor its own O(clusters[].host). That is how the AWX
        kubeconfig credential (E(K8S_AUTH_KUBECONFIG)) serves entries that only name a O(clusters[].context).
      - An entry with no connection options at all uses E(KUBECONFIG) or C(~/.kube/config), and inside a pod with
        no kubeconfig the pod's service account (in-cluster configuration), as C(kubernetes.core) does.
      - Without this list, the top-level options are one cluster. An empty list means no cluster.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the cluster in results and messages. Defaults to the context, else the host.
        type: str
      kubeconfig:
        description:
          - Path of a kubeconfig file. Defaults to O(kubeconfig), else E(KUBECONFIG), else C(~/.kube/config), else
            the in-cluster service account, unless O(clusters[].host) is given.
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
      - One cluster when O(clusters) is not given, else the default of its entries. Path of a kubeconfig file.
      - Can be set with E(K8S_AUTH_KUBECONFIG).
    type: path
  context:
    description:
      - One cluster when O(clusters) is not given, else the default of its entries. Context of the kubeconfig.
      - Can be set with E(K8S_AUTH_CONTEXT).
    type: str
  host:
    description:
      - One cluster when O(clusters) is not given, else the default of its entries. URL of the API server.
      - Can be set with E(K8S_AUTH_HOST).
    type: str
  api_key:
    description:
      - One cluster when O(clusters) is not given, else the default of its entries. Bearer token.
      - Can be set with E(K8S_AUTH_API_KEY).
    type: str
  ca_cert:
    description:
      - One cluster when O(clusters) is not given, else the default of its entries. CA certificate of the API server.
      - Can be set with E(K8S_AUTH_SSL_CA_CERT).
    type: path
    aliases: [ssl_ca_cert]
  validate_certs:
    description:
      - One cluster when O(clusters) is not given, else the default of its entries. Whether to validate the API server's certificate.
      - Can be set with E(K8S_AUTH_VERIFY_SSL).
    type: bool
    aliases: [verify_ssl]
  parallel:
    description:
      - How many clusters to work on at once, each with its own thread and keep-alive connection.
      - Unset or V(0) (the default) means one per cluster, at most 128, so a fleet costs about one round of
        requests; give a smaller number to spare a controller or a shared API gateway.
    type: int
  request_timeout:
    description: Seconds to wait for each API request, above 0 and at most 3600.
    type: float
    default: 10
  retries:
    description:
      - How many times to retry after a transient fault (5xx, 429, connection reset or refused, timeout), with
        exponential backoff from 0.2s up to 2s per wait. Other errors are not retried.
      - A read is simply sent again. After a write, the object is read again and the decision made again, since the
        write may have landed. C(0) turns retries off.
    type: int
    default: 3
requirements:
  - kubernetes >= 24.2.0, < 38 (Python; each major in that range is tested against a real kube-apiserver)
'''
