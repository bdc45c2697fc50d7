# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""manifests.py DOC DIR: write each external-secrets.io object of DOC's fenced yaml blocks to DIR/NN-KIND-NAME.yaml,
one file each, and print how many there are per kind."""

from __future__ import annotations

import os
import re
import sys

import yaml


def main():
    text = open(sys.argv[1]).read()
    count = {}
    for block in re.findall(r'```yaml\n(.*?)```', text, re.S):
        for doc in yaml.safe_load_all(block):
            if not isinstance(doc, dict) or not str(doc.get('apiVersion', '')).startswith('external-secrets.io/'):
                continue
            count[doc['kind']] = count.get(doc['kind'], 0) + 1
            n = sum(count.values())
            store = doc['metadata']['name'] if doc['kind'] == 'ClusterSecretStore' else doc['spec']['secretStoreRef']['name']
            path = os.path.join(sys.argv[2], '%02d-%s-%s.yaml' % (n, doc['kind'], store))
            with open(path, 'w') as handle:
                yaml.safe_dump(doc, handle, default_flow_style=False)
    print(' '.join('%s=%d' % item for item in sorted(count.items())))


if __name__ == '__main__':
    main()
