# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""fanout_probe.py CLUSTERS.json SECRET: time the phases of claude_secret's cluster work, with its own code.

Runs what the module runs for each cluster (module_utils/_k8s_api: the clusters' connection options, one ApiClient
per cluster from its kubeconfig, reads of the Secret through for_each_cluster with the default parallelism) and
prints, as JSON, the seconds each phase took: importing the kubernetes client, setting up every cluster's client
(kubeconfig load, TLS context), a first round of reads (TCP and TLS handshakes, then the request) and a second
round on the kept-alive connections (the request alone). Needs the collections root on PYTHONPATH.
"""

from __future__ import annotations

import json
import sys
import time


def main():
    specs_path, secret = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    from ansible_collections.claudeops.credentials.plugins.module_utils import _k8s_api as api
    imported = time.perf_counter()
    with open(specs_path) as handle:
        params = json.load(handle)
    params = dict(dict((k, None) for k in api.CONNECTION_OPTIONS), **params)
    clusters = [api.Cluster(c) for c in api.clusters_from_params(params)]
    api.for_each_cluster(clusters, None, lambda c: c._client())
    set_up = time.perf_counter()
    api.for_each_cluster(clusters, None, lambda c: api.read_secret(c, 'claude', secret))
    first = time.perf_counter()
    api.for_each_cluster(clusters, None, lambda c: api.read_secret(c, 'claude', secret))
    second = time.perf_counter()
    json.dump({'import': imported - start, 'setup': set_up - imported, 'first_round': first - set_up,
               'second_round': second - first, 'clusters': len(clusters)}, sys.stdout)


if __name__ == '__main__':
    main()
