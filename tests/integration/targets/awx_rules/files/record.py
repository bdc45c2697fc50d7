# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in of an awx.awx module for the awx_rules target: it records the arguments Ansible hands the module (after
Ansible has loaded and templated the task, loops expanded) as one JSON line in $AWX_RULES_RECORD, and reports changed.
runme.sh copies it, with a module's shebang, under the name of each awx.awx module playbooks/awx/configure.yml uses;
the record names the module.
Nothing is sent anywhere: tests/integration/targets/awx_rules/files/awx_rules.py applies AWX's rules to the records."""

from __future__ import annotations

import json
import os
import sys

from ansible.module_utils.basic import _load_params

MODULE = 'record'  # runme.sh writes each copy with its module's name


def main():
    params = _load_params()
    record = {'module': MODULE, 'args': dict((k, v) for k, v in params.items() if not k.startswith('_ansible_'))}
    with open(os.environ['AWX_RULES_RECORD'], 'a') as handle:
        handle.write(json.dumps(record, sort_keys=True) + '\n')
    print(json.dumps({'changed': True, 'id': 1}))
    sys.exit(0)  # a new-style module ends itself


if __name__ == '__main__':
    main()
