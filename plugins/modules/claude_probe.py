# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: claude_probe
short_description: Check that Claude Code credentials work by asking the claude CLI a tiny question
version_added: 0.1.0
description:
  - Runs C(claude -p <prompt>) with a timeout where the C(claude) CLI exists (the controller, or a POSIX capture host)
    and reports C(ok), C(unauthorized), C(no_cli), C(timeout) or C(error).
  - The token is passed in the environment variable C(CLAUDE_CODE_OAUTH_TOKEN) only, never in the command line, and
    the CLI runs with a private C(CLAUDE_CONFIG_DIR) that is removed afterwards, so no file is left behind.
  - Without O(oauth_token), probes whatever credentials the CLI finds for the account the task runs as.
  - Does not fail on a bad result unless O(fail_on_error=true); the playbook decides.
  - Costs one small request to the Claude API when the CLI is there.
author:
  - claudeops maintainers (@claudeops)
options:
  oauth_token:
    description: The token to probe, such as the long-lived one from C(claude setup-token).
    type: str
  executable:
    description: The CLI, a name looked up in E(PATH) or a path.
    type: str
    default: claude
  prompt:
    description: The question.
    type: str
    default: Reply with the single word OK.
  timeout:
    description: Seconds to wait for the answer.
    type: int
    default: 60
  fail_on_error:
    description: Fail unless the result is C(ok).
    type: bool
    default: false
extends_documentation_fragment:
  - claudeops.credentials.attributes
attributes:
  check_mode:
    support: full
    details: The probe only reads, so it also runs in check mode.
  diff_mode:
    support: N/A
    details: Nothing changes.
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
'''

EXAMPLES = r'''
- name: Probe the long-lived token on the controller
  claudeops.credentials.claude_probe:
    oauth_token: "{{ lookup('ansible.builtin.env', 'CLAUDE_CODE_OAUTH_TOKEN') }}"
    timeout: 30
  delegate_to: localhost
  register: probe
'''

RETURN = r'''
result:
  description: C(ok), C(unauthorized), C(no_cli), C(timeout) or C(error).
  returned: always
  type: str
  sample: ok
msg:
  description: What the result means, for people.
  returned: always
  type: str
elapsed:
  description: Seconds the CLI took.
  returned: always
  type: float
output:
  description: The first 300 characters of the CLI's output, any copy of the token masked.
  returned: always
  type: str
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.claudeops.credentials.plugins.module_utils._probe import probe


def main():
    module = AnsibleModule(
        argument_spec=dict(
            oauth_token=dict(type='str', no_log=True),
            executable=dict(type='str', default='claude'),
            prompt=dict(type='str', default='Reply with the single word OK.'),
            timeout=dict(type='int', default=60),
            fail_on_error=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    if module.params['timeout'] < 1:
        module.fail_json(msg='timeout must be at least 1 second.')
    result = probe(module.params['executable'], module.params['prompt'], module.params['timeout'],
                   module.params['oauth_token'])
    if module.params['fail_on_error'] and result['result'] != 'ok':
        module.fail_json(changed=False, **result)
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()
