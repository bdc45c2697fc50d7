# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: claude_secret
short_description: Publish Claude Code credentials as a Kubernetes Secret to many clusters or a manifest, never going backwards
version_added: 0.1.0
description:
  - Builds the Kubernetes C(v1) C(Secret) (type C(Opaque)) that Claude Code agents mount, from a captured
    session (O(files)) or from a long-lived token (O(oauth_token)), and applies it to every cluster in O(clusters)
    and/or writes it as a manifest to O(dest). The same decision code serves both.
  - Talks to the Kubernetes API through the C(kubernetes) Python client; never runs C(kubectl).
  - "Writes use server-side apply with field manager C(claudeops) (no C(last-applied-configuration) annotation that
    would copy the data): data keys, labels and annotations this module set and no longer sends are removed; those
    owned by others are kept."
  - A new Secret is created with all its data in one request (a concurrent creator gets 409 and re-decides), so a
    pod never sees it half-made; a second request then moves the fields the create owns to the server-side apply
    entry (as C(kubectl)'s csaupgrade does), so that later applies can remove keys.
  - "A Secret made by C(kubectl apply) carries C(kubectl.kubernetes.io/last-applied-configuration), a copy of the
    old credentials: publishing removes it (guarded by C(resourceVersion)), and diffs show every annotation that is
    not ours as a C(sha256:) digest."
  - Every write carries the C(resourceVersion) that was read; on a 409 the Secret is read again and the decision is
    made again, so two racing publishers end with the newest credentials. Only reads are retried blindly. After a
    write that timed out or failed with 5xx, the Secret is read again and the outcome is what the cluster holds (a
    write that landed although its answer was lost still reports C(changed) and restarts the workloads).
  - A no-op costs one GET per cluster and no write, plus one GET per workload in O(restart).
  - Per cluster, RV(clusters) reports C(created), C(updated), C(unchanged), C(skipped), C(deleted), C(absent) or
    C(failed); in check mode C(would create), C(would update) or C(would delete) instead of the first three and
    C(deleted). A cluster that is unreachable, rejects TLS or the credentials (401/403), lacks the namespace, or
    rejects the Secret (422), or fails in any unforeseen way, never stops the others; the task fails at the end
    naming each failed cluster and why.
  - Refuses, with the fix, a same-named Secret that is not labelled as ours (unless O(adopt)), one of another
    C(type) (Kubernetes cannot change it), and an C(immutable) one whose data would change.
  - Warns when one OAuth session (with a refresh token) goes to more than one cluster, since the copies race on the
    single-use refresh token.
  - The Secret carries the label C(app.kubernetes.io/managed-by=claudeops.credentials) and the annotations
    C(claudeops.io/expires-at), C(claudeops.io/fingerprint) (C(sha256:) over the data), C(claudeops.io/source-host)
    and C(claudeops.io/captured-at).
  - Idempotent. When data, labels and annotations already match, nothing is written and C(changed=false);
    C(claudeops.io/captured-at) is then kept from the existing manifest, so the same input gives a byte-identical file.
  - Never backwards. With O(prevent_downgrade), an existing session (manifest or cluster) whose
    C(claudeops.io/expires-at) is later than that of the new session is left alone (C(skipped)). This applies to
    sessions, whose expiry is known; publishing a long-lived token always applies (a different token is a rotation).
  - All input is validated before anything is written, and a bad input gives one error naming the option and the fix,
    among others for an expiry that has passed, lies more than 400 days ahead, is not a finite number, or is written in
    seconds instead of milliseconds, and a O(dest) that holds the manifest of another Secret.
  - The manifest is written atomically (private temporary file in the same directory, then rename) with mode C(0600).
  - Runs on the controller. Use it in a play on C(localhost) or with C(delegate_to=localhost).
author:
  - claudeops maintainers (@claudeops)
options:
  name:
    description:
      - Name of the Secret.
      - Without it, C(claude-session) for a captured session (O(files)) and C(claude-token) for a long-lived token
        (O(oauth_token)), so that neither kind replaces the other by default. With O(state=absent), C(claude-session).
    type: str
  namespace:
    description: Namespace of the Secret.
    type: str
    default: claude
  state:
    description:
      - C(present) writes the Secret; C(absent) removes it from every cluster (only a Secret labelled
        C(app.kubernetes.io/managed-by=claudeops.credentials)) and removes the manifest file at O(dest).
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
      - Without it, a long-lived token's expiry is recorded when the token is first published to a target (that
        moment plus one year, the token's life) and kept while the same token is published again, so a rerun
        changes nothing. A different token is a rotation and records its own.
      - Must lie in the future and at most 400 days ahead (a C(claude setup-token) token lives one year); for a
        session (O(files)), at most O(session_max_lifetime) ahead.
    type: str
  dest:
    description:
      - Path of the manifest file to write. Put it under a git-ignored directory, such as C(out/).
      - Required when no cluster is given.
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
      - Leave an existing Secret that holds a session alone when its C(claudeops.io/expires-at) is later than that of
        the new session. Long-lived tokens are never refused.
    type: bool
    default: true
  create_namespace:
    description: Create the namespace when it does not exist.
    type: bool
    default: false
  adopt:
    description:
      - Take over (or, with O(state=absent), remove) a same-named Secret that does not carry the label
        C(app.kubernetes.io/managed-by=claudeops.credentials), such as one made by the manual runbook with C(kubectl).
      - Without it, such a Secret is left alone and its cluster fails with the reason.
    type: bool
    default: false
  replace_kind:
    description:
      - Let a captured session (C(.credentials.json)) replace a long-lived token (C(CLAUDE_CODE_OAUTH_TOKEN)) in an
        existing Secret, or a token a session.
      - Without it, a Secret that holds the other kind is left alone and its cluster fails with the reason, since the
        workloads of one read a key the other does not have. Publish the two to different Secrets instead.
    type: bool
    default: false
  restart:
    description:
      - Workloads in the Secret's namespace whose pod template must carry the annotation
        C(claudeops.io/credentials-fingerprint) with the fingerprint of what the Secret holds (the Reloader pattern).
        Each run reads them and sets it where it differs, so their pods restart with the new credentials, and a
        restart that failed is made by the next run.
      - A paused Deployment, and a StatefulSet or DaemonSet with C(updateStrategy) C(OnDelete), get the annotation
        too but do not replace their pods; they are reported under RV(clusters[].pending) with what to do, never
        under RV(clusters[].restarted).
      - Each is C(Deployment/NAME), C(StatefulSet/NAME), C(DaemonSet/NAME), or a dict with C(kind) and C(name).
    type: list
    elements: raw
    default: []
extends_documentation_fragment:
  - claudeops.credentials.attributes
  - claudeops.credentials.session_lifetime
  - claudeops.credentials.attributes.K8S_GROUP
  - claudeops.credentials.clusters
attributes:
  check_mode:
    support: full
    details: Nothing is written in check mode; writes that would happen are sent with C(dryRun=All), so permission
      and validation errors still show.
  diff_mode:
    support: full
    details: The diff shows keys, labels and annotations; data values, and the values of annotations that are not
      ours, are shown only as C(sha256:) digests.
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
notes:
  - Needs, in the Secret's namespace, C(get), C(create), C(patch) and C(delete) on C(secrets), and C(get) and
    C(patch) on the workloads in O(restart); with O(create_namespace), C(create) on C(namespaces).
  - The manifest holds live credentials in base64, which is not encryption. Keep it out of version control.
  - "The fingerprint is C(sha256:) of the sorted lines C(<key> NUL <sha256 hex of value>) and reveals nothing
    about the values."
seealso:
  - module: claudeops.credentials.claude_session_facts
  - module: kubernetes.core.k8s
requirements:
  - PyYAML
  - kubernetes >= 24.2.0 (Python), for clusters
'''

EXAMPLES = r'''
- name: Apply the captured session to three clusters and restart the agents
  claudeops.credentials.claude_secret:
    files: "{{ hostvars['workstation1'].claudeops_capture.content }}"
    source_host: workstation1
    clusters:
      - {name: prod-eu, kubeconfig: ~/.kube/prod-eu.yaml}
      - {name: prod-us, kubeconfig: ~/.kube/prod-us.yaml, context: agents}
      - {name: lab, host: 'https://10.0.0.5:6443', api_key: "{{ lab_token }}", ca_cert: /etc/pki/lab-ca.pem}
    restart:
      - Deployment/claude-agent

- name: Write the captured session as a Secret manifest
  claudeops.credentials.claude_secret:
    files: "{{ hostvars['workstation1'].claudeops_capture.content }}"
    source_host: workstation1
    dest: out/claude-session-secret.yaml

- name: Write a long-lived token from `claude setup-token` as a Secret manifest
  claudeops.credentials.claude_secret:
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
  description:
    - Expiry of the published credentials, ISO 8601 UTC, or null when unknown.
    - For a long-lived token without O(expires_at), the expiry the targets recorded when they first received this
      token (the earliest, if they differ).
  returned: when O(state=present)
  type: str
  sample: '2026-01-24T06:18:47Z'
clusters:
  description: What happened on each cluster, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The cluster name.
      type: str
    action:
      description:
        - One of C(created), C(updated), C(unchanged), C(skipped), C(deleted), C(absent), C(failed).
        - In check mode C(would create), C(would update) and C(would delete) stand for the changes that would be made.
        - With O(state=absent), a Secret that a finalizer keeps after the API server accepted its deletion is
          C(deleted) in the run that asked for it and C(unchanged) in later runs while it is pending; RV(clusters[].msg)
          names the finalizers. The module never removes finalizers; their controllers do.
      type: str
    changed:
      description: Whether the Secret was (or in check mode would be) changed.
      type: bool
    msg:
      description: Why, or what failed.
      type: str
    requests:
      description: API requests made to this cluster, retries included.
      type: int
    expires_at:
      description: The C(claudeops.io/expires-at) the Secret holds after this run, or null.
      type: str
    restarted:
      description:
        - Workloads whose pod template annotation was set by this run and whose controller now replaces their pods
          (empty when all were current).
        - Setting the annotation makes RV(clusters[].changed) true even when the Secret itself was up to date.
      type: list
      elements: str
      returned: when O(restart) is set
    pending:
      description:
        - Workloads whose pod template carries the Secret's fingerprint but whose pods are not being replaced, each as
          C(KIND/NAME), a colon, why, and what to do in brackets, in every run until they are.
        - A paused Deployment rolls out only once resumed (C(kubectl rollout resume)); a StatefulSet or DaemonSet with
          C(updateStrategy) C(OnDelete) replaces a pod only when it is deleted.
        - RV(clusters[].msg) repeats them.
      type: list
      elements: str
      returned: when O(restart) is set
manifest:
  description: What happened to the manifest file.
  returned: when O(dest) is set
  type: dict
  contains:
    name:
      description: The manifest path.
      type: str
    action:
      description:
        - One of C(created), C(updated), C(unchanged), C(skipped), C(deleted), C(absent).
        - In check mode C(would create), C(would update) and C(would delete) instead.
      type: str
    changed:
      description: Whether the file was (or in check mode would be) changed.
      type: bool
    msg:
      description: Why.
      type: str
    expires_at:
      description: The C(claudeops.io/expires-at) the manifest holds after this run, or null.
      type: str
msg:
  description: One line summary.
  returned: always
  type: str
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._k8s_api import stop_on_cancel
from ansible_collections.claudeops.credentials.plugins.module_utils._publish import PUBLISH_ARGUMENT_SPEC, run


def main():
    module = AnsibleModule(argument_spec=PUBLISH_ARGUMENT_SPEC, mutually_exclusive=[('files', 'oauth_token')],
                           supports_check_mode=True)
    stop_on_cancel()
    try:
        result = run(module.params, module.check_mode, module._diff, module.warn)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    if result.pop('failed'):
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
