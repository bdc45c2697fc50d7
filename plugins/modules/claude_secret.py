# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: claude_secret
short_description: Publish Claude Code credentials as a Kubernetes Secret manifest, never going backwards
version_added: 0.1.0
description:
  - Builds the Kubernetes C(v1) C(Secret) (type C(Opaque)) that Claude Code agents mount, from a captured
    session (O(files)) or from a long-lived token (O(oauth_token)), and writes it as a manifest to O(dest).
  - The Secret carries the label C(app.kubernetes.io/managed-by=claudeops.credentials) and the annotations
    C(claudeops.io/expires-at), C(claudeops.io/fingerprint) (C(sha256:) over the data), C(claudeops.io/source-host)
    and C(claudeops.io/captured-at).
  - Idempotent. When data, labels and annotations already match, nothing is written and C(changed=false);
    C(claudeops.io/captured-at) is then kept from the existing manifest, so the same input gives a byte-identical file.
  - Never backwards. With O(prevent_downgrade), an existing manifest whose C(claudeops.io/expires-at) is later
    than the new credentials is left alone (RV(manifest.action=skipped)).
  - All input is validated before anything is written, and a bad input gives one error naming the option and the fix.
  - The manifest is written atomically (private temporary file in the same directory, then rename) with mode C(0600).
  - Runs on the controller. Use it in a play on C(localhost) or with C(delegate_to=localhost).
author:
  - claudeops maintainers (@claudeops)
options:
  name:
    description: Name of the Secret.
    type: str
    default: claude-session
  namespace:
    description: Namespace of the Secret.
    type: str
    default: claude
  state:
    description:
      - C(present) writes the Secret; C(absent) removes it (the manifest file at O(dest)).
    type: str
    choices: [present, absent]
    default: present
  files:
    description:
      - Session files to publish, key (the file name, such as C(.credentials.json)) to base64 content, as
        M(ansible.builtin.slurp) or M(claudeops.credentials.claude_session_facts) with C(content=true) return it.
      - C(.credentials.json) is parsed for the C(claudeops.io/expires-at) annotation and must hold a usable expiry.
      - Mutually exclusive with O(oauth_token).
    type: dict
  oauth_token:
    description:
      - A long-lived token from C(claude setup-token), stored under the key C(CLAUDE_CODE_OAUTH_TOKEN).
      - Must start with C(sk-ant-oat01-).
      - Mutually exclusive with O(files).
    type: str
  onboarding:
    description:
      - 'Add the key C(.claude.json) with C({"hasCompletedOnboarding": true}), so that Claude Code in a container
        skips its onboarding screen. An C(.claude.json) given in O(files) wins.'
    type: bool
    default: true
  expires_at:
    description:
      - Expiry of the credentials, ISO 8601, for the C(claudeops.io/expires-at) annotation. Overrides the expiry
        read from C(.credentials.json); useful with O(oauth_token), whose expiry is not inside the token.
    type: str
  dest:
    description:
      - Path of the manifest file to write. Put it under a git-ignored directory, such as C(out/).
      - Required.
    type: path
  labels:
    description: Extra labels for the Secret.
    type: dict
    default: {}
  annotations:
    description: Extra annotations for the Secret.
    type: dict
    default: {}
  source_host:
    description: Host the credentials were captured from, for the C(claudeops.io/source-host) annotation.
    type: str
  prevent_downgrade:
    description:
      - Leave an existing Secret alone when its C(claudeops.io/expires-at) is later than that of the new credentials.
    type: bool
    default: true
extends_documentation_fragment:
  - claudeops.credentials.attributes
attributes:
  check_mode:
    support: full
    details: Nothing is written in check mode; the result tells what would happen.
  diff_mode:
    support: full
    details: The diff shows keys, labels and annotations; data values are shown only as C(sha256:) digests.
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
notes:
  - The manifest holds live credentials in base64, which is not encryption. Keep it out of version control.
  - "The fingerprint is C(sha256:) of the sorted lines C(<key> NUL <sha256 hex of value>) and reveals nothing
    about the values."
seealso:
  - module: claudeops.credentials.claude_session_facts
  - module: kubernetes.core.k8s
requirements:
  - PyYAML
'''

EXAMPLES = r'''
- name: Write the captured session as a Secret manifest
  claudeops.credentials.claude_secret:
    files: "{{ hostvars['workstation1'].claudeops_capture.content }}"
    source_host: workstation1
    dest: out/claude-session-secret.yaml

- name: Write a long-lived token from `claude setup-token` as a Secret manifest
  claudeops.credentials.claude_secret:
    name: claude-token
    oauth_token: "{{ lookup('ansible.builtin.env', 'CLAUDE_CODE_OAUTH_TOKEN') }}"
    expires_at: '2027-11-23T00:00:00Z'
    dest: out/claude-token-secret.yaml
'''

RETURN = r'''
fingerprint:
  description: C(sha256:) fingerprint of the Secret data.
  returned: when O(state=present)
  type: str
  sample: sha256:3f1c0e7b9d2a4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a
expires_at:
  description: Expiry of the published credentials, ISO 8601 UTC, or null when unknown.
  returned: when O(state=present)
  type: str
  sample: '2026-01-24T06:18:47Z'
manifest:
  description: What happened to the manifest file.
  returned: always
  type: dict
  contains:
    name:
      description: The manifest path.
      type: str
    action:
      description: One of C(created), C(updated), C(unchanged), C(skipped), C(deleted), C(absent).
      type: str
    changed:
      description: Whether the file was (or in check mode would be) changed.
      type: bool
    msg:
      description: Why.
      type: str
msg:
  description: One line summary.
  returned: always
  type: str
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.claudeops.credentials.plugins.module_utils._publish import PUBLISH_ARGUMENT_SPEC, run


def main():
    module = AnsibleModule(
        argument_spec=PUBLISH_ARGUMENT_SPEC,
        mutually_exclusive=[('files', 'oauth_token')],
        supports_check_mode=True,
    )
    run(module)


if __name__ == '__main__':
    main()
