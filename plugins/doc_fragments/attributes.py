# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    # Shared attribute documentation; each plugin adds its own support level.
    DOCUMENTATION = r'''
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
'''

    # For plugins that only read.
    INFO_MODULE = r'''
options: {}
attributes:
  check_mode:
    support: full
    details: This plugin only reads, so it behaves the same in check mode.
  diff_mode:
    support: N/A
    details: This plugin changes nothing, so there is no diff.
'''

    # For controller-side action plugins.
    ACTION = r'''
options: {}
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
'''

    # For the modules of the k8s action group (meta/runtime.yml), which module_defaults can address at once.
    K8S_GROUP = r'''
options: {}
attributes:
  action_group:
    description: Use C(group/claudeops.credentials.k8s) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - claudeops.credentials.k8s
'''
